/**
 * The one reader of a whole-number command-line value, for every numeric
 * option of `thoth` and `thothctl` (`thoth run`'s flags through
 * `run_flag_numbers.ts`, `audit tail --lines`, `audit prove --seq`,
 * `approvals watch --interval`). Pure.
 *
 * A number is plain decimal digits: no sign, no surrounding or inner spaces,
 * no `_`, `.`, exponent, `0x`/`0o`/`0b` prefix, `NaN`, `Infinity` or
 * non-ASCII digits. Leading zeros are read as decimal (`0500` is 500). A
 * value outside `[min, max]` is refused as out of range, so a value too long
 * to hold exactly (past 2^53 - 1) never reaches the caller.
 *
 * @example
 * ```ts
 * readWholeNumberFlag("--interval", "250", {
 *   min: 50, max: 60_000, expected: "whole milliseconds", fallback: 500,
 * }); // 250
 * readWholeNumberFlag("--interval", "0x100", { min: 50, max: 60_000, expected: "whole milliseconds", fallback: 500 });
 * // throws usage.bad_flag: --interval: "0x100" is not a plain decimal number; expected whole milliseconds from 50 to 60000
 * ```
 */
import { AppError } from "../errors.ts";

const DECIMAL = /^[0-9]+$/;
const DIGITS_ONLY = 'write digits only, with no sign, spaces, "_", "." or exponent';

/** What a whole-number option accepts, and how its errors describe it. */
export interface WholeNumberRange {
  /** The smallest value accepted. */
  readonly min: number;
  /** The largest value accepted; at most `Number.MAX_SAFE_INTEGER`. */
  readonly max: number;
  /** What the value is, read after "expected": `"whole milliseconds"`, `"a record count"`. */
  readonly expected: string;
  /** The option's default, named in the hints; absent when it has none. */
  readonly fallback?: number;
  /** The value the first hint shows when there is no default. */
  readonly example?: number;
}

/**
 * Reads `value`, given for `flag`, as a whole number in `[range.min,
 * range.max]`, or throws `usage.bad_flag` (exit 2) naming the flag, the value
 * and what is expected, with a hint.
 */
export function readWholeNumberFlag(flag: string, value: string, range: WholeNumberRange): number {
  const expected = `expected ${range.expected} from ${range.min} to ${range.max}`;
  if (!DECIMAL.test(value)) {
    const example = range.fallback !== undefined
      ? `"${range.fallback}" (the default)`
      : `"${range.example ?? range.min}"`;
    throw new AppError(
      "usage.bad_flag",
      `${flag}: ${JSON.stringify(value)} is not a plain decimal number; ${expected}`,
      { hints: [`${DIGITS_ONLY}, for example ${example}`] },
    );
  }
  const n = Number(value);
  if (n < range.min || n > range.max) {
    const fallback = range.fallback !== undefined ? `; the default is ${range.fallback}` : "";
    throw new AppError("usage.bad_flag", `${flag}: "${value}" is out of range; ${expected}`, {
      hints: [`choose between ${range.min} and ${range.max}${fallback}`],
    });
  }
  return n;
}
