/**
 * A bounded chain check of the log's newest records, for `thoth doctor` and
 * `thoth health`: the last {@linkcode RECENT_CHAIN_RECORDS} records the
 * state file counts (read backwards from where the state says the log ends,
 * through earlier segments when the newest holds fewer) must follow one
 * another as the writer chains them: each record's `seq` one more than the
 * one stored before it, its `prev` that record's leaf hash, and the log's
 * first record's `prev` the genesis. An edit, a removal or an insertion
 * among them breaks that, as `thoth audit verify` would report it (the last
 * record's own edit is `check_log_end.ts`'s to see). It is not a verify: a
 * change further back, a checkpoint's root or signature, a key are
 * `verify`'s alone. It reads at most {@linkcode RECENT_CHAIN_BYTES} from
 * the end of the log, whatever its size, one chunk at a time; a segment is
 * opened only when it is a regular file. Thin I/O.
 *
 * @example
 * ```ts
 * const chain = await checkRecentChain(auditPaths(thothHome).dir, state);
 * chain.problem; // undefined, or "seq 41 in seg-….jsonl does not chain to …"
 * chain.checked; // how many records were looked at
 * chain.limited; // true when the byte budget stopped it short of the records it wanted
 * ```
 */
import { bytesEqual, fromHex, toHex } from "./encoding.ts";
import { listSegments } from "./log_files.ts";
import type { LogState } from "./log_state.ts";
import { leafHashSync } from "./merkle_hash.ts";
import { GENESIS_PREV } from "./record.ts";
import { LinesFromEnd } from "./lines_from_end.ts";
import { openRegularFileIfThere } from "../platform/open_regular_file.ts";
import { readFileAt } from "./read_file_at.ts";

/** How many of the newest records the check looks at, at most. */
export const RECENT_CHAIN_RECORDS = 1000;

/** How many bytes from the log's end it reads, at most (long records mean fewer records). */
export const RECENT_CHAIN_BYTES = 8 * 1024 * 1024;

/** The bytes read at a time. */
const CHUNK = 256 * 1024;

/** What the check found. */
export interface RecentChain {
  /** How many of the newest records it looked at. */
  readonly checked: number;
  /**
   * Whether {@linkcode RECENT_CHAIN_BYTES} stopped it before it had the
   * records it looks at (the limit, or the log's every record): long
   * records, so fewer of them.
   */
  readonly limited: boolean;
  /** Where the chain breaks among them, in words; undefined when it holds. */
  readonly problem: string | undefined;
}

/** A line as the check reads it, with where it lies. */
interface Line {
  bytes: Uint8Array;
  segment: string;
}

/**
 * Checks the newest records of the log in `dir` whose end `state` names
 * (see the module's doc); `limit` records at most.
 */
export async function checkRecentChain(
  dir: string,
  state: Pick<LogState, "size" | "segment" | "segmentBytes">,
  limit = RECENT_CHAIN_RECORDS,
): Promise<RecentChain> {
  const none = { checked: 0, limited: false, problem: undefined };
  if (state.size === 0 || state.segment === null) return none;
  const segments = await listSegments(dir);
  const at = segments.indexOf(state.segment);
  if (at < 0) return none; // check_log_end.ts says so.
  const want = Math.min(limit, state.size);
  const lines: Line[] = []; // Newest first.
  let budget = RECENT_CHAIN_BYTES;
  for (let i = at; i >= 0 && lines.length < want && budget > 0; i--) {
    const segment = segments[i]!;
    const read = await linesFromEnd(
      `${dir}/${segment}`,
      i === at ? state.segmentBytes : undefined,
      want - lines.length,
      budget,
    );
    if (read === undefined) break;
    budget -= read.bytes;
    for (const bytes of read.lines) lines.push({ bytes, segment });
    if (!read.whole) break; // Cut by the budget (or the file meanwhile): nothing older joins on.
  }
  return {
    checked: lines.length,
    limited: lines.length < want && budget <= 0,
    problem: chainProblem(lines, state.size - 1),
  };
}

/**
 * Where the chain of `lines` (newest first; the newest is seq `lastSeq`)
 * breaks, or undefined. Pure.
 */
export function chainProblem(lines: readonly Line[], lastSeq: number): string | undefined {
  let later: { prev: Uint8Array; seq: number; line: Line } | undefined;
  for (const [i, line] of lines.entries()) {
    const expected = lastSeq - i;
    const record = readRecord(line.bytes);
    const where = `the record stored where seq ${expected} belongs (in ${line.segment})`;
    if (record === undefined) return `${where} is not a readable record: the log was changed`;
    if (record.seq !== expected) {
      return `${where} claims seq ${record.seq}: ` +
        "records were removed, inserted or changed";
    }
    if (later !== undefined) {
      const leaf = leafHashSync(line.bytes);
      if (!bytesEqual(later.prev, leaf)) {
        return `seq ${later.seq} (in ${later.line.segment}) does not chain to seq ${record.seq} ` +
          `stored before it (its prev ${toHex(later.prev).slice(0, 16)}…, that record's leaf ` +
          `hash ${toHex(leaf).slice(0, 16)}…): seq ${record.seq} was changed, or records were ` +
          "removed or inserted between them";
      }
    }
    if (expected === 0 && toHex(record.prev) !== GENESIS_PREV) {
      return `seq 0 (in ${line.segment}) does not start the chain (its prev is not the ` +
        "genesis): records were removed before it";
    }
    later = { prev: record.prev, seq: record.seq, line };
  }
  return undefined;
}

/** A line's `seq` and `prev`, or undefined when it is not a record. */
function readRecord(bytes: Uint8Array): { seq: number; prev: Uint8Array } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const { seq, prev } = value as Record<string, unknown>;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || typeof prev !== "string") {
    return undefined;
  }
  const hash = fromHex(prev);
  return hash === undefined || hash.length !== 32 ? undefined : { seq, prev: hash };
}

/**
 * Up to `count` whole lines of the file at `path` that end at or before
 * byte `end` (its size when undefined), newest first, reading at most
 * `budget` bytes; `whole` when the last line returned is the file's first
 * or `count` were found (not cut by the budget). Undefined when the file
 * is gone or is not a regular file.
 */
async function linesFromEnd(
  path: string,
  end: number | undefined,
  count: number,
  budget: number,
): Promise<{ lines: Uint8Array[]; bytes: number; whole: boolean } | undefined> {
  const file = await openRegularFileIfThere(path);
  if (file === undefined) return undefined;
  try {
    const size = end ?? (await file.stat()).size;
    const split = new LinesFromEnd();
    const lines: Uint8Array[] = [];
    let start = size;
    while (start > 0 && lines.length < count && size - start < budget) {
      const from = Math.max(0, start - CHUNK, size - budget);
      const chunk = await readFileAt(file, from, start - from);
      if (chunk.length !== start - from) break; // Cut meanwhile: what was read stands.
      lines.push(...split.push(chunk, from));
      start = from;
    }
    if (start === 0 && lines.length < count) {
      const first = split.finish();
      if (first !== undefined) lines.push(first);
    }
    const kept = lines.slice(0, count);
    return { lines: kept, bytes: size - start, whole: kept.length === count || start === 0 };
  } finally {
    file.close();
  }
}
