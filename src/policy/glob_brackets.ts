/**
 * A shell's bracket expression in a word with pattern marks (see
 * `shell_word_patterns.ts`): where the marked `[` at an index closes, and
 * the set of characters it stands for. A `]` first, or right after a first
 * `!` or `^`, is a member; a character class, an equivalence class or a
 * collating element (`[:alpha:]`, `[=h=]`, `[.h.]`) makes the bracket any
 * one character. Pure, linear in the word within a budget.
 *
 * @example
 * ```ts
 * const m = PATTERN_MARK;
 * const word = `${m}[!a-c${m}]`; // [!a-c], unquoted
 * bracketAt(word, 1, { left: 64 }); // { end: 7, wide: false }
 * bracketSet("!a-c", false)("d".charCodeAt(0)); // true
 * ```
 */

import { MARK, markedAt, PATTERN_MARK } from "./pattern_mark.ts";

/**
 * The bracket expression whose marked `[` is at `open` in `word`: the index
 * of the marked `]` that closes it (-1: none does, and the `[` means
 * itself), and whether it is any one character. A `]` first, or right after
 * a first `!` or `^`, is a member; a character class, an equivalence class
 * or a collating element (`[:alpha:]`, `[=h=]`, `[.h.]`) is skipped to its
 * own `:]`, `=]` or `.]` and makes the bracket any one character. `budget`
 * counts the characters read over all brackets of a word: the reading gives
 * up (`end` -2) once it is spent, so that a word stays linear.
 */
export function bracketAt(
  word: string,
  open: number,
  budget: { left: number },
): { end: number; wide: boolean } {
  let i = open + 1;
  if (word.charCodeAt(i) === 33 || word.charCodeAt(i) === 94) i++;
  // A first `]` is a member.
  if (word.charCodeAt(i) === 93) i++;
  else if (markedAt(word, i + 1, 93)) i += 2;
  let wide = false;
  for (; i < word.length; i++) {
    if (--budget.left < 0) return { end: -2, wide };
    if (word.charCodeAt(i) !== MARK) continue;
    const s = word.charCodeAt(++i);
    if (s === 93) return { end: i, wide };
    const kind = word.charCodeAt(i + 1);
    if (s === 91 && (kind === 58 || kind === 61 || kind === 46)) {
      wide = true;
      // Its own close: `kind`, then a marked `]`; else the `[` is a member.
      const close = word.indexOf(String.fromCharCode(kind) + PATTERN_MARK + "]", i + 2);
      budget.left -= (close === -1 ? word.length : close) - i;
      if (close !== -1) i = close + 2;
    }
  }
  return { end: -1, wide };
}

/**
 * The set a bracket's text `body` stands for (`h`, `!a-c`, `]x`), its marks
 * left out; any character when `wide` (see {@linkcode bracketAt}).
 */
export function bracketSet(body: string, wide: boolean): (code: number) => boolean {
  if (wide) return () => true;
  const text = body.replaceAll(PATTERN_MARK, "");
  const negated = text.charCodeAt(0) === 33 || text.charCodeAt(0) === 94;
  const from = negated ? 1 : 0;
  return (code) => {
    let inside = false;
    for (let i = from; i < text.length && !inside; i++) {
      const low = text.charCodeAt(i);
      if (text.charCodeAt(i + 1) === 45 && i + 2 < text.length) {
        inside = code >= low && code <= text.charCodeAt(i + 2);
        i += 2;
      } else inside = code === low;
    }
    return inside !== negated;
  };
}
