/**
 * A command line for a hint a person pastes into a POSIX shell: each word
 * as it is when nothing in it is special to a shell, else single-quoted
 * ({@linkcode shellQuote}). Pure.
 *
 * @example
 * ```ts
 * commandLineText(["deno", "task", "thoth"]); // "deno task thoth"
 * commandLineText(["cd", "/src/my thoth"]); // "cd '/src/my thoth'"
 * ```
 */
import { shellQuote } from "./shell_quote.ts";

/** The words, joined with spaces, quoted where a shell would read them otherwise. */
export function commandLineText(words: readonly string[]): string {
  return words.map((w) => /^[\w@%+=:,./-]+$/.test(w) ? w : shellQuote(w)).join(" ");
}
