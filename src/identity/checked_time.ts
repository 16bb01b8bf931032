/**
 * A time read from a number since the Unix epoch (a token's `exp`, a session's
 * `expires_at`, an audit checkpoint's time), kept only when it is one thoth
 * can show and compare: a valid date from 1970 to the end of the year 9999,
 * the range an ISO 8601 time with a four-digit year covers. Anything else
 * comes back as the reason, worded to follow the value, so a caller reports
 * it as a problem instead of printing `+061971-…` or failing on `Invalid time
 * value`. Seconds past the year 9999 that would be a time after 2000 in
 * milliseconds are called out as such. Pure.
 *
 * @example
 * ```ts
 * checkedTime(1_893_456_000, "s").date?.toISOString(); // "2030-01-01T00:00:00.000Z"
 * checkedTime(1_893_456_000_000, "s").problem;
 * // "is after the year 9999 as seconds since 1970; it looks like milliseconds (divide by 1000)"
 * ```
 */

/** The last millisecond of the year 9999 (UTC). */
export const LATEST_TIME_MS = 253_402_300_799_999;

/** Seconds past 9999 that are a time after 2000 in milliseconds: likely milliseconds. */
const MS_HINT_FROM = 946_684_800_000;

/** A usable time, or why the number is not one. */
export type CheckedTime =
  | { readonly date: Date; readonly problem: null }
  | { readonly date: null; readonly problem: string };

/** Reads `value` as seconds (`"s"`) or milliseconds (`"ms"`) since 1970-01-01T00:00:00Z. */
export function checkedTime(value: number, unit: "s" | "ms"): CheckedTime {
  const bad = (problem: string): CheckedTime => ({ date: null, problem });
  if (!Number.isFinite(value)) return bad("is not a number of seconds or milliseconds");
  const ms = unit === "s" ? value * 1000 : value;
  if (ms < 0) return bad("is before 1970");
  if (ms > LATEST_TIME_MS) {
    return unit === "s" && value >= MS_HINT_FROM && value <= LATEST_TIME_MS
      ? bad(
        "is after the year 9999 as seconds since 1970; it looks like milliseconds (divide by 1000)",
      )
      : bad("is after the year 9999");
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? bad("is not a valid time") : { date, problem: null };
}
