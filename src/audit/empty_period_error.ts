/**
 * The refusal of an export whose period holds no record
 * (`audit.empty_range`, exit 1): it names the period as it was read, in UTC
 * (a date or an age given to `--since`/`--until` becomes a moment), and the
 * times of the log's earliest and latest records, so the flags can be widened
 * to reach them. A record's time is the one the period is chosen by
 * (`record_time.ts`). The times travel on the error too, for `--json`. Pure.
 *
 * @example
 * ```ts
 * throw emptyPeriodError(lines, { since: new Date("2026-03-02T00:00:00Z") });
 * // thoth: error: no audit records fall in the period from 2026-03-02T00:00:00.000Z on (UTC): the log's records run from … to …
 * ```
 */
import { AppError } from "../errors.ts";
import type { TimePeriod } from "./parse_time.ts";
import { recordTimeMs } from "./record_time.ts";

/** The period as read, in ISO 8601 UTC; null for an open end. */
export interface PeriodRead {
  since: string | null;
  until: string | null;
}

/** What the log holds: how many lines, and its earliest and latest record times (null with none). */
export interface LogTimes {
  records: number;
  first: string | null;
  last: string | null;
}

/** An export whose period holds no record of the log. */
export class EmptyPeriodError extends AppError {
  /** The period as read. */
  readonly period: PeriodRead;
  /** The log's records and their times. */
  readonly log: LogTimes;

  constructor(period: PeriodRead, log: LogTimes) {
    const holds = log.first === null || log.last === null
      ? "the log holds no records yet"
      : `the log's ${log.records} records run from ${log.first} to ${log.last} (UTC)`;
    super(
      "audit.empty_range",
      `no audit records fall in the period ${periodText(period)} (UTC, as read): ${holds}`,
      {
        hints: log.first === null || log.last === null
          ? [
            "run thoth with a server first; every session writes records",
            'run "thoth audit verify" if there should be some',
          ]
          : [
            `widen --since or --until to reach the records (${log.first} to ${log.last}), or leave both out to export the whole log`,
            'run "thoth audit show" to see what the log holds',
          ],
      },
    );
    this.period = period;
    this.log = log;
  }
}

/** The error for `lines` (anything with an optional parsed record) and `period`. */
export function emptyPeriodError(
  lines: readonly { record?: Readonly<Record<string, unknown>> | undefined }[],
  period: TimePeriod,
): EmptyPeriodError {
  let first = Infinity;
  let last = -Infinity;
  for (const line of lines) {
    const ms = line.record === undefined ? Number.NaN : recordTimeMs(line.record);
    if (Number.isNaN(ms)) continue;
    first = Math.min(first, ms);
    last = Math.max(last, ms);
  }
  const some = first <= last;
  return new EmptyPeriodError(
    { since: period.since?.toISOString() ?? null, until: period.until?.toISOString() ?? null },
    {
      records: lines.length,
      first: some ? new Date(first).toISOString() : null,
      last: some ? new Date(last).toISOString() : null,
    },
  );
}

/** `2026-03-01T00:00:00.000Z to 2026-03-01T23:59:59.999Z`, or one end with "from … on" / "up to …". */
function periodText(period: PeriodRead): string {
  if (period.since !== null && period.until !== null) {
    return `${period.since} to ${period.until}`;
  }
  if (period.since !== null) return `from ${period.since} on`;
  if (period.until !== null) return `up to ${period.until}`;
  return "of the whole log";
}
