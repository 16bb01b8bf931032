/**
 * When a record's event happened, as `audit show` prints and selects records
 * by it and `audit export` chooses a period's records: a record written late (taken in from a killed session's
 * spool, or held while the log could not be written) carries the time of
 * its decision or approval as `decidedAt` beside its own `ts`, the time it
 * was written; every other record has `ts` only. Pure.
 *
 * @example
 * ```ts
 * recordTimeMs({ ts: "2026-12-06T12:26:05.000Z", decidedAt: "2026-12-06T12:24:49.000Z" }); // the decision's time
 * ```
 */

/** The record's time in epoch ms: its `decidedAt` when it carries a valid one, else its `ts` (NaN when neither is a time). */
export function recordTimeMs(record: Readonly<Record<string, unknown>>): number {
  const decidedAt = record["decidedAt"];
  if (typeof decidedAt === "string") {
    const ms = Date.parse(decidedAt);
    if (!Number.isNaN(ms)) return ms;
  }
  return Date.parse(String(record["ts"]));
}
