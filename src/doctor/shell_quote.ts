/**
 * Quotes a word for a POSIX shell (sh, bash, zsh) with single quotes, inside
 * which nothing is expanded: a file named `x$(rm -rf ~).jwt` stays a name
 * when a doctor hint is pasted. An embedded `'` becomes `'\''`. Pure.
 *
 * @example
 * ```ts
 * shellQuote("/h/.thoth/sessions/x$(id).jwt"); // "'/h/.thoth/sessions/x$(id).jwt'"
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */

/** The word, single-quoted for a POSIX shell. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
