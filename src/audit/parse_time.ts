/**
 * Reads a `--since`/`--until` value: an ISO 8601 date or time, or an age
 * such as `30m`, `24h`, `7d` counted back from `now`. Pure.
 *
 * @example
 * ```ts
 * parseTimeArg("24h", new Date("2026-03-02T00:00:00Z")); // 2026-03-01T00:00:00Z
 * parseTimeArg("2026-03-01", now); // 2026-03-01T00:00:00Z
 * ```
 */
import { AppError } from "../errors.ts";

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a time argument or throws a usage error that quotes it. */
export function parseTimeArg(text: string, now: Date): Date {
  const age = /^(\d+)([smhd])$/.exec(text);
  if (age) {
    const at = new Date(now.getTime() - Number(age[1]) * UNITS[age[2]!]!);
    // Further back than a Date reaches (about 273,000 years): say so rather than match nothing.
    if (!Number.isNaN(at.getTime())) return at;
    throw new AppError("usage.bad_time", `the age "${text}" reaches back further than a date can`, {
      hints: ['give a shorter age ("24h", "7d", "3650d") or an ISO date such as "2026-03-01"'],
      exitCode: 2,
    });
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new AppError("usage.bad_time", `cannot read the time "${text}"`, {
    hints: [
      'use an ISO date or time ("2026-03-01", "2026-03-01T09:00:00Z") or an age ("24h", "7d")',
    ],
    exitCode: 2,
  });
}
