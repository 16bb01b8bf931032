/**
 * The pattern mark of the approval-command reading (`approval_commands.ts`):
 * `shell_words.ts` writes {@linkcode PATTERN_MARK} before each unquoted
 * pattern character and expansion of a word (see `shell_word_patterns.ts`
 * and `shell_expansions.ts`), so a mark must never come from what is read.
 * {@linkcode withoutMarks} writes each one a text holds as
 * {@linkcode MARK_STAND_IN}, an ordinary character, as a shell reads it
 * (U+0003 is no special character to a shell): every text and list item
 * read, and every text an escape decodes (`$'\x03'`, `"\u0003"`), goes
 * through it first. Pure.
 *
 * @example
 * ```ts
 * withoutMarks(`echo ${PATTERN_MARK}"x"`); // `echo \uFFFD"x"`
 * markedAt(`a${PATTERN_MARK}*`, 2, "*".charCodeAt(0)); // true
 * ```
 */

/** The character `shell_words.ts` writes before an unquoted pattern character of a word. */
export const PATTERN_MARK = "\u0003";

/** {@linkcode PATTERN_MARK}'s code. */
export const MARK = 3;

/** What a {@linkcode PATTERN_MARK} in a text read is written as: U+FFFD, an ordinary character. */
export const MARK_STAND_IN = "\uFFFD";

/** `text` with each {@linkcode PATTERN_MARK} in it written as {@linkcode MARK_STAND_IN}. */
export function withoutMarks(text: string): string {
  return text.indexOf(PATTERN_MARK) === -1 ? text : text.replaceAll(PATTERN_MARK, MARK_STAND_IN);
}

/** Whether `word[at]` is a marked character `code` (its mark at `at - 1`). */
export function markedAt(word: string, at: number, code: number): boolean {
  return at > 0 && word.charCodeAt(at - 1) === MARK && word.charCodeAt(at) === code;
}
