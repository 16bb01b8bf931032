/**
 * An error's message as a session's notes on stderr quote it: an `Error`'s
 * message, anything else as a string.
 *
 * @example
 * ```ts
 * errorText(new Error("Broken pipe (os error 32)")); // "Broken pipe (os error 32)"
 * ```
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
