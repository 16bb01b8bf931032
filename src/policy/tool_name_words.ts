/**
 * The pieces the default policy's tool-name globs are built from
 * (`command_runner_globs.ts`, `delete_like_globs.ts`): a tool name is read as
 * words split at `_ - . /` and at a camelCase capital, and each word list is
 * written in every case form (snake, camelCase, PascalCase, UPPER). Pure.
 *
 * @example
 * ```ts
 * `${AT_WORD}${list(["run", "exec"])}${SEP}${list(["command"].map(either))}`;
 * // "{,**[-_./]}{run,exec}[-_./]{[cC]ommand}"
 * ```
 */

/** One separator between words. */
export const SEP = "[-_./]";
/** The start of the name or anything up to a separator: the word starts a word. */
export const AT_WORD = `{,**${SEP}}`;

/** `Command`: a word capitalized (PascalCase, or a camelCase word after the first). */
export const cap = (w: string): string => w[0]!.toUpperCase() + w.slice(1);
/** `COMMAND`: a word in capitals. */
export const upper = (w: string): string => w.toUpperCase();
/** `{a,b}`: one of the words, each once, in their first order. */
export const list = (words: readonly string[]): string => `{${[...new Set(words)].join(",")}}`;
/** `[cC]ommand`: a word in lower case or capitalized (camelCase); the empty word stays empty. */
export const either = (w: string): string =>
  w.length === 0 ? "" : `[${w[0]}${w[0]!.toUpperCase()}]${w.slice(1)}`;
/** `{[cC]ommand,[sS]hell}`: one of the words, in lower case or capitalized. */
export const eitherList = (words: readonly string[]): string => list(words.map(either));
