/**
 * The groups of a shell word with pattern marks (see `shell_word_patterns.ts`),
 * paired in one pass before the word is read into steps: the close of each
 * marked `{` and `(` and each parameter's `${`, and which braces hold
 * alternatives (`{a,b}`) or a sequence (`{a..z}`); `null` when they nest
 * deeper than {@linkcode MAX_NESTING}, and such a word may be any name. Pure.
 *
 * @example
 * ```ts
 * const found = groupPairs(`${PATTERN_MARK}{a${PATTERN_MARK},b${PATTERN_MARK}}`);
 * found?.close.get(1); // 7
 * found?.commas.has(1); // true
 * ```
 */
import { MARK } from "./pattern_mark.ts";

/** Brace and extglob groups nested deeper than this may be any name. */
export const MAX_NESTING = 32;

/** The groups of a word, see {@linkcode groupPairs}. */
export interface GroupPairs {
  close: Map<number, number>;
  commas: Set<number>;
  dots: Set<number>;
}

/** What {@linkcode pairs} finds in a word without `{` and `(`: nothing. */
const NO_PAIRS = {
  close: new Map<number, number>(),
  commas: new Set<number>(),
  dots: new Set<number>(),
};

/**
 * The closing partner of each marked `{` and `(` and each parameter's `${` in
 * `word` (each by the index of its `{` or `(`), and the braces with a `,` at
 * their own level (alternatives) or `..` (a sequence), in one pass; `null`
 * when they nest deeper than {@linkcode MAX_NESTING}. A word without `{` and
 * `(` is not read.
 */
export function groupPairs(word: string): GroupPairs | null {
  return word.indexOf("{") === -1 && word.indexOf("(") === -1 ? NO_PAIRS : pairs(word);
}

/** {@linkcode groupPairs}, read. */
function pairs(word: string): GroupPairs | null {
  const close = new Map<number, number>();
  const commas = new Set<number>();
  const dots = new Set<number>();
  const open: { at: number; code: number }[] = [];
  // How many parameters' braces are open.
  let parameters = 0;
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const marked = word.charCodeAt(i - 1) === MARK;
    const top = open[open.length - 1];
    if (c === 123 && word.charCodeAt(i - 1) === 36) {
      // A parameter's `${`: closed by its first `}`, marked or not, as bash closes it (a `{` or
      // an extglob group in it holds none).
      open.push({ at: i, code: 36 });
      parameters++;
      if (open.length > MAX_NESTING) return null;
    } else if (c === 125 && parameters > 0) {
      while (open[open.length - 1]!.code !== 36) open.pop();
      close.set(open.pop()!.at, i);
      parameters--;
    } else if (marked && c === 123 && parameters > 0) {
      // A `{` in a parameter's braces: no brace of its own.
    } else if (marked && (c === 123 || c === 40)) {
      open.push({ at: i, code: c });
      if (open.length > MAX_NESTING) return null;
    } else if (marked && (c === 125 || c === 41)) {
      if (top !== undefined && top.code === (c === 125 ? 123 : 40)) {
        close.set(top.at, i);
        open.pop();
      }
    } else if (top !== undefined && top.code === 123) {
      if (marked && c === 44) commas.add(top.at);
      else if (c === 46 && word.charCodeAt(i + 1) === 46) dots.add(top.at);
    }
  }
  return { close, commas, dots };
}
