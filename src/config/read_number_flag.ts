/**
 * {@linkcode readWholeNumberFlag} for a value a person typed: its refusal
 * quotes the value as given, unless the value looks like a key or token
 * (pasted into the wrong flag): then it shows its fingerprint only, as the
 * refusal of any other flag or THOTH_* variable would
 * (`identity/shown_env_value.ts`). Plain digits are what the option takes,
 * so a number out of range is shown as typed, however long. Every numeric
 * option reads through it:
 * `thoth run`'s (`run_flag_numbers.ts`), `audit tail --lines`, `audit prove
 * --seq`, `approvals watch --interval`. Pure.
 *
 * @example
 * ```ts
 * readNumberFlag("--lines", "ghp_0123456789abcdefABCDEF", { min: 0, max: 10, expected: "a count" });
 * // throws usage.bad_flag: --lines: (value hidden: it looks like a key or token, fingerprint …) is not a plain decimal number; …
 * ```
 */
import { isAppError } from "../errors.ts";
import { valueShownIn } from "../identity/value_shown_in.ts";
import { readWholeNumberFlag, type WholeNumberRange } from "./whole_number_flag.ts";

const DIGITS = /^[0-9]+$/;

/** Reads `value` for `flag` as {@linkcode readWholeNumberFlag} does; a key-like value is never quoted. */
export function readNumberFlag(flag: string, value: string, range: WholeNumberRange): number {
  try {
    return readWholeNumberFlag(flag, value, range);
  } catch (error) {
    // Digits are what the option takes: one out of range is shown as typed, however long.
    throw isAppError(error) && !DIGITS.test(value) ? valueShownIn(error, value) : error;
  }
}
