/**
 * The bound on an API key read from standard input ({@linkcode MAX_KEY_INPUT})
 * and the errors that refuse what is read there: more than one line
 * ({@linkcode moreThanOneLine}), or past the bound ({@linkcode tooLong}).
 * `set-api-key` refuses with them whether the key was piped or typed.
 *
 * @example
 * ```ts
 * if (text.length > MAX_KEY_INPUT) throw tooLong();
 * ```
 */
import { AppError } from "../errors.ts";

/** The most an API key read from standard input may take, in bytes (piped) or characters (typed). */
export const MAX_KEY_INPUT = 64 * 1024;

/** Refuses input of more than one line: nothing is saved. */
export function moreThanOneLine(): AppError {
  return new AppError(
    "usage.bad_api_key",
    "the API key on standard input is more than one line: nothing was saved",
    { hints: ["paste or pipe only the key, on one line"] },
  );
}

/** Refuses input past {@linkcode MAX_KEY_INPUT}. */
export function tooLong(): AppError {
  return new AppError("usage.bad_api_key", "the API key on standard input is too long", {
    hints: ["pipe only the key itself"],
  });
}
