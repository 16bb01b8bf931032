/**
 * Parses a policy duration such as `"24h"`, `"30m"`, `"7d"` or `"1h30m"` into
 * milliseconds. Units: `ms`, `s`, `m`, `h`, `d`. Returns `undefined` for
 * anything else, including zero and durations over 400 days.
 *
 * @example
 * ```ts
 * parseDuration("24h"); // 86_400_000
 * parseDuration("1h30m"); // 5_400_000
 * parseDuration("soon"); // undefined
 * ```
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const WHOLE = /^(?:\d{1,9}(?:ms|s|m|h|d))+$/;
const PART = /(\d{1,9})(ms|s|m|h|d)/g;
/** The longest duration (and so the longest progressive window) a policy may give: 400 days. */
export const MAX_DURATION_MS = 400 * 86_400_000;

/** Milliseconds in `text`, or `undefined` when it is not a valid duration. */
export function parseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(PART)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  return total > 0 && total <= MAX_DURATION_MS ? total : undefined;
}
