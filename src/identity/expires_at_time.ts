/**
 * A session file's `expires_at` given as a string, read strictly: an ISO 8601
 * (RFC 3339) date and time with `Z` or a UTC offset (`2026-03-01T10:00:00Z`,
 * `2026-03-01T11:00:00.5+01:00`), the date and time parted by `T` or by one
 * space as RFC 3339 allows (Python's `str(datetime)` writes
 * `2026-03-01 10:00:00.250000+00:00`), or digits only, read as seconds since
 * 1970 as a JSON number there is (`"1772359200"`). Anything else is a problem
 * that says what is wrong with the value (no offset, a date without a time, a
 * fraction or an ending that is not ISO 8601, a number that is not whole), not
 * a guess: `Date.parse` would read `"3600"` as the year 3600 (a session that
 * never expires), `"12"` as 2001, and a time with no offset in whatever time
 * zone the machine is in. A date that does not exist (`2026-02-30`) is
 * refused too. The time must be one `checkedTime` accepts (1970 to 9999).
 * Pure.
 *
 * @example
 * ```ts
 * expiresAtTime("2026-03-01T10:00:00Z").date?.toISOString(); // "2026-03-01T10:00:00.000Z"
 * expiresAtTime("1772359200").date?.toISOString(); // "2026-03-01T10:00:00.000Z"
 * expiresAtTime("2026-03-01 11:00:00+01:00").date?.toISOString(); // "2026-03-01T10:00:00.000Z"
 * expiresAtTime("2026-03-01T10:00:00").problem; // "has no Z or UTC offset …"
 * ```
 */
import { type CheckedTime, checkedTime } from "./checked_time.ts";

/** `YYYY-MM-DD`, `T` or a space, `HH:MM[:SS[.fraction]]` and `Z` or `±HH:MM`. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** A date and time as above with any fraction and anything after it: to say what is wrong. */
const LOOSE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(\.\d*)?)?(.*)$/s;

/** An example of what an `expires_at` string may be, for the problems below. */
const EXAMPLE = "such as 2026-03-01T10:00:00Z or 2026-03-01T11:00:00+01:00";

/** What an `expires_at` string must be, worded to follow the value. */
export const EXPIRES_AT_RULE =
  `is not an ISO 8601 time with Z or an offset (${EXAMPLE}) nor a whole ` +
  "number of seconds since 1970";

/** Why `text`, which `ISO_TIME` and the digits rule refused, is not an `expires_at` time. */
function whatIsWrong(text: string): string {
  if (/^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$/.test(text)) {
    return "is not a whole number of seconds since 1970 (digits only, no sign, fraction or " +
      `exponent) nor an ISO 8601 time (${EXAMPLE})`;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return `is a date without a time of day and a Z or UTC offset (${EXAMPLE})`;
  }
  const loose = LOOSE_TIME.exec(text);
  if (loose === null) return EXPIRES_AT_RULE;
  const fraction = loose[1];
  const rest = loose[2] ?? "";
  if (fraction !== undefined && (fraction.length < 2 || fraction.length > 10)) {
    return "has a fraction of a second that is not 1 to 9 digits after the point";
  }
  if (rest === "") {
    return `has no Z or UTC offset (${EXAMPLE}): without one its time zone is a guess`;
  }
  return `ends in ${JSON.stringify(rest.slice(0, 12))}, which is not Z or a UTC offset ` +
    `as ±HH:MM (${EXAMPLE})`;
}

/** Reads `text` as an `expires_at` time (see the module's doc). */
export function expiresAtTime(text: string): CheckedTime {
  if (/^\d{1,20}$/.test(text)) return checkedTime(Number(text), "s");
  const match = ISO_TIME.exec(text);
  if (match === null) return { date: null, problem: whatIsWrong(text) };
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) =>
    Number(match[i] ?? "0")
  ) as [number, number, number, number, number, number];
  const fraction = Number(match[7] ?? "0");
  const offsetHours = Number(match[10] ?? "0");
  const offsetMinutes = Number(match[11] ?? "0");
  const exists = month >= 1 && month <= 12 && day >= 1 &&
    day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && hour <= 23 && minute <= 59 &&
    second <= 59 && offsetHours <= 23 && offsetMinutes <= 59;
  if (!exists) return { date: null, problem: "is not a time that exists" };
  const sign = match[9] === "-" ? -1 : 1;
  const offsetMs = match[8] !== undefined ? 0 : sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMs +
    Math.floor(fraction * 1000);
  // Date.UTC reads years 0 to 99 as 1900 to 1999: such a year is before 1970 either way.
  return year < 100 ? checkedTime(-1, "ms") : checkedTime(utc, "ms");
}
