/**
 * Reads a `--since`/`--until` value: an age such as `30m`, `24h`, `7d`
 * counted back from `now`, a date, or a date and time. Every time is UTC
 * unless it carries its own zone (`Z`, `+02:00`): the log stamps records in
 * UTC, and a reading that changed with the machine's zone would pick other
 * records on another machine. A bare date means that whole day: as `--since`
 * its first millisecond, as `--until` its last (records are stamped to the
 * millisecond, so that is the next midnight, exclusive). A time likewise
 * means the whole of its last unit given: as `--until`, `09:00` runs to
 * 09:00:59.999, `09:00:05` (a time as `audit show` prints it) to
 * 09:00:05.999 and `09:00:05.5` to 09:00:05.599. The same millisecond to
 * both flags is a period of that millisecond; two times finer than a
 * millisecond inside one can hold no record, and are refused with the
 * millisecond to give instead. A date that does not exist
 * (`2026-02-31`, month 13, hour 25) is refused, never rolled over. Pure.
 *
 * @example
 * ```ts
 * parseTimeArg("24h", new Date("2026-03-02T00:00:00Z")); // 2026-03-01T00:00:00.000Z
 * parseTimeArg("2026-03-01", now); // 2026-03-01T00:00:00.000Z
 * parseTimeArg("2026-03-01", now, "--until"); // 2026-03-01T23:59:59.999Z
 * parseTimeArg("2026-03-01T09:30", now); // 2026-03-01T09:30:00.000Z (UTC)
 * parseTimeArg("2026-03-01 09:30:05", now, "--until"); // 2026-03-01T09:30:05.999Z
 * parsePeriod({ since: "2026-03-01", until: "2026-03-01" }, now); // that whole day
 * ```
 */
import { AppError } from "../errors.ts";

/** The flag a time was given to: `--since` starts a period, `--until` ends it (inclusive). */
export type TimeFlag = "--since" | "--until";

/** A period of records: `since <= ts <= until`, each end optional. */
export interface TimePeriod {
  since?: Date;
  until?: Date;
}

/** What the flags accept, for help texts and hints. */
export const TIME_FORMS =
  'a date ("2026-03-01": the whole day, UTC), a date and time ("2026-03-01T09:00:00Z"; ' +
  'without "Z" or an offset such as "+02:00" it is read as UTC) or an age ("30m", "24h", "7d")';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DAY_MS = 86_400_000;
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * `YYYY-MM-DD`, then optionally `T` (or a space, as `audit show` prints it)
 * and `HH:MM`, `:SS`, a fraction, and `Z` or an offset `±HH:MM` / `±HHMM`.
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|([+-])(\d{2}):?(\d{2}))?)?$/;

/**
 * How a message shows a time a person gave: quoted by default; the CLI
 * passes a rule that hides a key pasted in its place (`showName`).
 */
export type ShowText = (text: string) => string;

/**
 * Parses the time given to `flag` or throws a usage error that shows it (by
 * `show`) and names the flag.
 */
export function parseTimeArg(
  text: string,
  now: Date,
  flag: TimeFlag = "--since",
  show: ShowText = JSON.stringify,
): Date {
  return readTime(text, now, flag, show).at;
}

/**
 * The time for `flag` (`at`), and the instant the text names, to the
 * nanosecond it gives (`exact`, ns since the epoch): a time finer than a
 * millisecond is kept apart from what it rounds to.
 */
function readTime(
  text: string,
  now: Date,
  flag: TimeFlag,
  show: ShowText,
): { at: Date; exact: bigint } {
  const age = /^(\d+)([smhd])$/.exec(text);
  if (age) {
    const at = new Date(now.getTime() - Number(age[1]) * UNITS[age[2]!]!);
    // Further back than a Date reaches (about 273,000 years): say so rather than match nothing.
    if (!Number.isNaN(at.getTime())) return { at, exact: BigInt(at.getTime()) * 1_000_000n };
    throw badTime(flag, show(text), "that age reaches back further than a date can", [
      'give a shorter age ("24h", "7d", "3650d") or a date such as "2026-03-01"',
    ]);
  }
  const parts = DATE_TIME.exec(text);
  if (parts === null) {
    throw badTime(flag, show(text), "it is not a date, a date and time, or an age", [
      `use ${TIME_FORMS}`,
    ]);
  }
  const [, y, mo, d, h, mi, s, fraction, zone, sign, zh, zm] = parts;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h ?? 0), minute = Number(mi ?? 0), second = Number(s ?? 0);
  const wrong = (why: string): AppError =>
    badTime(flag, show(text), why, [`use a time that exists: ${TIME_FORMS}`]);
  if (month < 1 || month > 12) throw wrong(`there is no month ${mo} (months run 01 to 12)`);
  const days = daysIn(year, month);
  if (day < 1 || day > days) {
    throw wrong(`${MONTHS[month - 1]} ${y} has no day ${d} (it has ${days})`);
  }
  if (hour > 23) throw wrong(`there is no hour ${h} (hours run 00 to 23)`);
  if (minute > 59) throw wrong(`there is no minute ${mi} (minutes run 00 to 59)`);
  if (second > 59) throw wrong(`there is no second ${s} (seconds run 00 to 59)`);
  let offset = 0;
  if (sign !== undefined) {
    if (Number(zh) > 23 || Number(zm) > 59) {
      throw wrong(`the offset ${zone} is not a zone (hours 00 to 23, minutes 00 to 59)`);
    }
    offset = (sign === "-" ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000;
  }
  // Date.UTC reads years 0 to 99 as 1900 to 1999; setUTCFullYear does not.
  const base = new Date(0);
  base.setUTCFullYear(year, month - 1, day);
  base.setUTCHours(hour, minute, second, 0);
  let ms = base.getTime() - offset;
  const exact = BigInt(ms) * 1_000_000n + BigInt((fraction ?? "").slice(0, 9).padEnd(9, "0"));
  if (h === undefined) {
    // A bare date is the whole day: --until ends at its last millisecond.
    return { at: new Date(flag === "--until" ? ms + DAY_MS - 1 : ms), exact };
  }
  if (fraction !== undefined) {
    // Records are stamped to the millisecond: keep within what was asked for.
    const whole = Number(fraction.slice(0, 3).padEnd(3, "0"));
    const finer = /[1-9]/.test(fraction.slice(3));
    ms += whole + (finer && flag === "--since" ? 1 : 0);
    // As --until, ".5" is the whole tenth: up to .599.
    if (flag === "--until" && fraction.length < 3) ms += 10 ** (3 - fraction.length) - 1;
  } else if (flag === "--until") {
    // As --until, a time is its whole last unit given, as a date is its day:
    // "09:00" up to 09:00:59.999, "09:00:05" (as show prints it) up to .999.
    ms += (s === undefined ? 60_000 : 1000) - 1;
  }
  return { at: new Date(ms), exact };
}

/** Reads both flags and checks that the period does not end before it starts. */
export function parsePeriod(
  flags: { since?: string | undefined; until?: string | undefined },
  now: Date,
  show: ShowText = JSON.stringify,
): TimePeriod {
  const from = flags.since === undefined ? undefined : readTime(flags.since, now, "--since", show);
  const to = flags.until === undefined ? undefined : readTime(flags.until, now, "--until", show);
  const since = from?.at;
  const until = to?.at;
  if (from !== undefined && to !== undefined && from.at.getTime() > to.at.getTime()) {
    const sinceText = show(flags.since ?? "");
    const untilText = show(flags.until ?? "");
    if (from.exact <= to.exact) {
      // In order, but both inside one millisecond and finer than it: records are
      // stamped to the millisecond, so none can fall between them.
      const ms = new Date(Number(from.exact / 1_000_000n)).toISOString();
      throw new AppError(
        "usage.bad_time",
        `--since ${sinceText} and --until ${untilText} lie within one millisecond (${ms}), finer than records are stamped: no record can fall between them`,
        {
          hints: [
            `give the millisecond itself to both, to take the records stamped in it: --since ${ms} --until ${ms}`,
          ],
          exitCode: 2,
        },
      );
    }
    throw new AppError(
      "usage.bad_time",
      `--since ${sinceText} (${from.at.toISOString()}) is after --until ${untilText} (${to.at.toISOString()})`,
      {
        hints: [
          `give --since a time before --until: swap them (--since ${untilText} --until ${sinceText})`,
        ],
        exitCode: 2,
      },
    );
  }
  return { ...(since ? { since } : {}), ...(until ? { until } : {}) };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `shown` is the time as {@linkcode ShowText} shows it. */
function badTime(flag: TimeFlag, shown: string, why: string, hints: string[]): AppError {
  return new AppError("usage.bad_time", `cannot read the time ${shown} given to ${flag}: ${why}`, {
    hints,
    exitCode: 2,
  });
}
