/**
 * An error that quotes a value a person gave, with that value shown the way
 * {@linkcode showValue} shows it: by fingerprint when it looks like a key or
 * token. For errors built by a reader that quotes values as given (the
 * shared whole-number reader), so that a key pasted into a numeric flag is
 * hidden as it is in any other flag. Pure.
 *
 * @example
 * ```ts
 * const error = new AppError("usage.bad_flag", '--lines: "ghp_0123456789abcdefABCDEF" is not a plain decimal number');
 * valueShownIn(error, "ghp_0123456789abcdefABCDEF").message;
 * // "--lines: (value hidden: it looks like a key or token, fingerprint …) is not a plain decimal number"
 * ```
 */
import { AppError } from "../errors.ts";
import { showValue } from "./shown_env_value.ts";

/**
 * `error`, or a copy whose message shows `value` (quoted as JSON) as
 * {@linkcode showValue} does. The copy does not keep `error` as its cause:
 * `--verbose` prints causes, and the original message holds the value.
 */
export function valueShownIn(error: AppError, value: string): AppError {
  const quoted = JSON.stringify(value);
  const shown = showValue(value);
  if (shown === quoted || !error.message.includes(quoted)) return error;
  return new AppError(error.code, error.message.replaceAll(quoted, shown), {
    hints: error.hints,
    exitCode: error.exitCode,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}
