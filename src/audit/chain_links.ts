/**
 * Checks the links `show` and `tail` can check while they read: each record
 * names the leaf hash of the line before it (`prev`) and the seq after it,
 * so a record changed, removed or put in between breaks a link next to it.
 * One SHA-256 per line, synchronous (see `sha256.ts`). It does not replace
 * `thoth audit verify`: records cut off the end, or a log rewritten with
 * every link recomputed, chain here and only the signed checkpoints show
 * them. Pure.
 *
 * @example
 * ```ts
 * const ranges = unchainedRanges(lines, { startsLog: true });
 * if (ranges.length > 0) console.error(unchainedNotice(ranges));
 * // "thoth: warning: records 3..4 do not chain (a record was changed, removed or put in between there): run \"thoth audit verify\" for what changed"
 * ```
 */
import { toHex } from "./encoding.ts";
import { leafHashSync } from "./merkle_hash.ts";
import { GENESIS_PREV } from "./record.ts";
import type { LogLine } from "./read_records.ts";
import { seqOf } from "./seq_break.ts";

/** Records, by seq, between which a link does not hold. */
export interface UnchainedRange {
  fromSeq: number;
  toSeq: number;
}

/** Where the lines checked stand in the log. */
export interface ChainContext {
  /** The first line is the log's first (seq 0, chained to the genesis value). */
  startsLog?: boolean;
}

/**
 * The seq ranges around every link of `lines` that does not hold: a record
 * whose `prev` is not the leaf hash of the line before it, or whose seq does
 * not follow that line's, or a line that is no record. Adjacent ranges are
 * merged. A line's seq is the one it claims, else the one after the line
 * before it.
 */
export function unchainedRanges(
  lines: readonly LogLine[],
  context: ChainContext = {},
): UnchainedRange[] {
  const check = new ChainCheck(context);
  for (const line of lines) check.push(line);
  return check.ranges();
}

/**
 * {@linkcode unchainedRanges} a line at a time, for a reader that does not
 * hold the lines: it keeps the line before (a view `push` was given, read
 * again only to hash it when the next one comes) and the ranges found.
 *
 * @example
 * ```ts
 * const check = new ChainCheck({ startsLog: true });
 * for (const line of lines) check.push(line);
 * check.ranges(); // as unchainedRanges(lines, { startsLog: true })
 * ```
 */
export class ChainCheck {
  readonly #context: ChainContext;
  readonly #ranges: UnchainedRange[] = [];
  readonly #scratch = new Uint8Array(32);
  #label = -1;
  #previous: LogLine | undefined;

  constructor(context: ChainContext = {}) {
    this.#context = context;
  }

  /** Checks `line`'s link to the line pushed before it. */
  push(line: LogLine): void {
    const record = line.record;
    const claimed = seqOf(record);
    const before = this.#label;
    this.#label = claimed ?? this.#label + 1;
    const previous = this.#previous;
    this.#previous = line;
    if (previous === undefined) {
      if (this.#context.startsLog && (claimed !== 0 || record?.["prev"] !== GENESIS_PREV)) {
        this.#add(0, Math.max(0, this.#label));
      }
      return;
    }
    const linked = record !== undefined && previous.record !== undefined &&
      claimed !== undefined && claimed === before + 1 &&
      record["prev"] === toHex(leafHashSync(previous.bytes, this.#scratch));
    if (!linked) this.#add(Math.min(before, this.#label), Math.max(before, this.#label));
  }

  /** The ranges found so far (see {@linkcode unchainedRanges}). */
  ranges(): UnchainedRange[] {
    return this.#ranges.map((r) => ({ ...r }));
  }

  #add(fromSeq: number, toSeq: number): void {
    const last = this.#ranges[this.#ranges.length - 1];
    if (last !== undefined && fromSeq <= last.toSeq + 1) {
      last.toSeq = Math.max(last.toSeq, toSeq);
    } else this.#ranges.push({ fromSeq, toSeq });
  }
}

/** How many ranges the notice names before it counts the rest. */
const NAMED = 5;

/** The stderr line for `ranges` (not empty): where, and what to run. */
export function unchainedNotice(ranges: readonly UnchainedRange[]): string {
  const named = ranges.slice(0, NAMED).map((r) =>
    r.fromSeq === r.toSeq ? `${r.fromSeq}` : `${r.fromSeq}..${r.toSeq}`
  );
  const more = ranges.length > NAMED ? ` and ${ranges.length - NAMED} more places` : "";
  const one = ranges.length === 1 && ranges[0]!.fromSeq === ranges[0]!.toSeq;
  return `thoth: warning: record${one ? "" : "s"} ${named.join(", ")}${more} ${
    one ? "does" : "do"
  } not chain (a record was changed, removed or put in between there), so what is shown there is not what thoth wrote: run "thoth audit verify" for what changed\n`;
}
