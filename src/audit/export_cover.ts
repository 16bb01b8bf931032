/**
 * Where an export's records end so that a signed checkpoint covers every one
 * (`verify --bundle` rejects records none covers). A checkpoint record at
 * place `i` carries `size === i`: its signed root covers the records before
 * it, and it is itself the bundle's last record. A period with an end
 * (`--until`) is extended to the first such record at or after its last
 * record; a period without one ends at the newest such record, since
 * records a live session wrote after it are covered only by a checkpoint to
 * come: they are left out (counted) and the next export includes them. Pure.
 *
 * @example
 * ```ts
 * coveredEnd(lines, { first: 0, last: lines.length - 1, sound: lines.length, open: true });
 * // { last: 41, leftOut: 3 }: records 42..44 wait for the next checkpoint
 * ```
 */
import { AppError } from "../errors.ts";
import type { LogLine } from "./read_records.ts";

/** The places an export reads (see `exportBundle`). */
export interface CoverRange {
  /** The period's first record. */
  first: number;
  /** The period's last record. */
  last: number;
  /** Places from here on do not stand for seqs (a seq break): no checkpoint there counts. */
  sound: number;
  /** True when the period has no end (no `--until`). */
  open: boolean;
}

/** Where the bundle ends, and how many newer records were left out. */
export interface CoveredEnd {
  last: number;
  leftOut: number;
}

/** Whether `lines[i]` is a checkpoint record that covers the records before it. */
function coversAt(lines: readonly LogLine[], i: number): boolean {
  const record = lines[i]?.record;
  return record?.["type"] === "checkpoint" && record["size"] === i;
}

/**
 * The bundle's last record (see the module's comment); undefined when no
 * checkpoint before `sound` covers the period's records.
 */
export function coveredEnd(lines: readonly LogLine[], range: CoverRange): CoveredEnd | undefined {
  for (let i = range.last; i < range.sound; i++) {
    if (coversAt(lines, i)) return { last: i, leftOut: 0 };
  }
  if (!range.open) return undefined;
  for (let i = Math.min(range.last, range.sound - 1); i >= range.first; i--) {
    if (coversAt(lines, i)) return { last: i, leftOut: range.last - i };
  }
  return undefined;
}

/**
 * The refusal for a period whose records up to `last` no signed checkpoint
 * covers; with `until` (a period with an end), a hint also names the
 * newest signed checkpoint's time as an end that works.
 */
export function uncoveredError(
  lines: readonly LogLine[],
  first: number,
  last: number,
  until: boolean,
): AppError {
  const hints = [
    'run "thoth audit checkpoint" on this device to sign one, then export again (export only reads the log)',
  ];
  if (until) {
    let newest = last;
    while (newest >= first && !coversAt(lines, newest)) newest--;
    const ts = lines[newest]?.record?.["ts"];
    if (newest >= first && typeof ts === "string") {
      hints.push(
        `or end the period (--until) at ${ts}, the time of the newest signed checkpoint (seq ${newest})`,
      );
    }
  }
  return new AppError(
    "audit.uncovered",
    `the newest records (up to seq ${last}) are not covered by a signed checkpoint yet`,
    { hints },
  );
}
