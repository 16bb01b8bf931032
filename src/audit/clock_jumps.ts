/**
 * Records dated earlier than the record before them. A writer stamps each
 * record with its process's clock while it holds the log's lock, so records
 * in seq order are in time order as long as every process reads the same
 * clock. A small step back is no news: NTP steps a clock back to correct an
 * offset (by well under a second once it is synchronised), and a container
 * or virtual machine that shares the profile with its host can run a few
 * seconds apart from it. A step back of more than {@linkcode CLOCK_TOLERANCE_MS}
 * is a clock set back, or a record dated by hand, and is named. Each record
 * is compared with the one just before it, not with the latest time seen: a
 * clock set back an hour is one warning, at the first record after the step,
 * not one for every record written in the hour after it. Pure.
 *
 * @example
 * ```ts
 * const jumps = new ClockJumps();
 * jumps.add(0, "2026-03-01T10:00:00.000Z");
 * jumps.add(1, "2026-03-01T09:00:00.000Z");
 * jumps.findings(); // one clock_went_back warning at seq 1
 * ```
 */
import type { Finding } from "./finding.ts";

/** How far a record may be dated before the one it follows without a warning. */
export const CLOCK_TOLERANCE_MS = 5_000;
/** Jumps given a finding of their own; the rest are counted in the last. */
const JUMPS_NAMED = 10;

/** Steps back in the records' `ts`, in seq order. */
export class ClockJumps {
  #last: { seq: number; ts: string; ms: number } | undefined;
  readonly #jumps: { seq: number; ts: string; before: { seq: number; ts: string }; ms: number }[] =
    [];
  #count = 0;

  /** The next readable record's seq and `ts`. */
  add(seq: number, ts: string): void {
    const last = this.#last;
    // ISO 8601 times of one shape sort as text: no parse for a record dated after the last.
    if (last !== undefined && ts.length === last.ts.length && ts >= last.ts) {
      this.#last = { seq, ts, ms: Number.NaN };
      return;
    }
    const ms = Date.parse(ts);
    if (Number.isNaN(ms)) return;
    const lastMs = last === undefined
      ? Number.NaN
      : Number.isNaN(last.ms)
      ? Date.parse(last.ts)
      : last.ms;
    if (lastMs - ms > CLOCK_TOLERANCE_MS) {
      this.#count += 1;
      if (this.#jumps.length < JUMPS_NAMED) {
        this.#jumps.push({ seq, ts, before: { seq: last!.seq, ts: last!.ts }, ms: lastMs - ms });
      }
    }
    this.#last = { seq, ts, ms };
  }

  /** One warning per step back (the first ten; the rest counted in the tenth). */
  findings(): Finding[] {
    const rest = this.#count - this.#jumps.length;
    return this.#jumps.map(({ seq, ts, before, ms }, i) => ({
      kind: "clock_went_back",
      severity: "warning",
      seq,
      message:
        `the record at seq ${seq} is dated ${ts}, ${
          duration(ms)
        } before the record before it (seq ${before.seq}, ${before.ts}): the clock of the process that wrote it was set back, or the record was dated by hand (steps back of up to ${
          CLOCK_TOLERANCE_MS / 1000
        } s are not named); periods (export --since/--until) read by these dates may leave records out` +
        (i === JUMPS_NAMED - 1 && rest > 0 ? ` (and ${rest} more step(s) back after it)` : ""),
    }));
  }
}

/** A length of time in words: seconds, minutes, hours or days. */
function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s * 10) / 10} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.round(s / 360) / 10} h`;
  return `${Math.round(s / 8640) / 10} days`;
}
