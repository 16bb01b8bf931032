/**
 * Quotes a word of a command a doctor hint asks to paste into a POSIX shell:
 * in double quotes, as the hints have always read, when nothing in it is
 * special inside them; else in single quotes ({@linkcode shellQuote}), so
 * that a path from a config or a project folder's name (`x$(id)`, a
 * backquote) stays a name when the hint is pasted. Pure.
 *
 * @example
 * ```ts
 * pasteQuote("/home/ana/.mcp.json"); // '"/home/ana/.mcp.json"'
 * pasteQuote("/src/x$(id)/.mcp.json"); // "'/src/x$(id)/.mcp.json'"
 * ```
 */
import { shellQuote } from "./shell_quote.ts";

/** The word, quoted for a POSIX shell. */
export function pasteQuote(word: string): string {
  // Inside double quotes a shell still expands $, ` and \, and bash's history expands !.
  return /["$`\\!]/.test(word) ? shellQuote(word) : `"${word}"`;
}
