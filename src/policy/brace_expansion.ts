/**
 * A shell's brace expansion of one word with pattern marks (see
 * `shell_word_patterns.ts`): each marked `{` whose marked `}` closes it and
 * that holds a marked `,` at its own level yields a word per alternative,
 * the text around it on each (`a{b,c}d` → `abd acd`), braces in an
 * alternative and later braces of the word expanded too (`{a,{b,c}}` → `a b
 * c`). A brace without a `,` (`{a}`, a sequence `{a..z}`) stays as written,
 * and so do `${…}` and quoted characters (unmarked). Empty words are left
 * out, as a shell drops them (`{approve,{,}}` → `approve`). Bounded: past
 * {@linkcode MAX_BRACE_WORDS} words, a few times the word's length in all,
 * or {@linkcode MAX_BRACE_NESTING} nested braces, the answer is `null`. Pure.
 *
 * @example
 * ```ts
 * const m = PATTERN_MARK;
 * braceExpansion(`${m}{thoth${m},approvals${m}}`); // ["thoth", "approvals"]
 * braceExpansion(`x${m}{${m},${m}}`); // ["x", "x"]
 * ```
 */
import { MARK, PATTERN_MARK } from "./pattern_mark.ts";

/** The most words one word's braces yield before the expansion gives up. */
export const MAX_BRACE_WORDS = 64;

/** Braces nested deeper than this are not expanded. */
export const MAX_BRACE_NESTING = 32;

/** A brace with alternatives: where its `{` is, its `,` at its own level and its `}`. */
interface Brace {
  open: number;
  commas: number[];
  close: number;
}

/**
 * The braces of `word` with alternatives, by the index of their `{`, or
 * `null` when they nest too deep or hold too many `,` for the bound. A `{` after `$` (`${x}`) opens a
 * parameter, up to the next `}`: no brace.
 */
function bracesOf(word: string): Map<number, Brace> | null {
  const found = new Map<number, Brace>();
  const open: { at: number; commas: number[] }[] = [];
  let commas = 0;
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const marked = word.charCodeAt(i - 1) === MARK;
    if (c === 123 && !marked && word.charCodeAt(i - 1) === 36) {
      const close = word.indexOf("}", i + 1);
      if (close === -1) break;
      i = close;
    } else if (c === 123 && marked) {
      open.push({ at: i, commas: [] });
      if (open.length > MAX_BRACE_NESTING) return null;
    } else if (c === 125 && marked && open.length > 0) {
      const top = open.pop()!;
      if (top.commas.length > 0) {
        found.set(top.at, { open: top.at, commas: top.commas, close: i });
      }
    } else if (c === 44 && marked && open.length > 0) {
      // Each `,` adds a word at least: past the bound already.
      if (++commas >= MAX_BRACE_WORDS) return null;
      open[open.length - 1]!.commas.push(i);
    }
  }
  return found;
}

/**
 * The words `word` yields (see the module's documentation), or `null` past
 * the bounds. A word without a brace to expand yields itself.
 */
export function braceExpansion(word: string): string[] | null {
  if (word.indexOf(PATTERN_MARK + "{") === -1) return [word];
  const braces = bracesOf(word);
  if (braces === null) return null;
  if (braces.size === 0) return [word];
  const budget = { words: MAX_BRACE_WORDS, chars: 4 * word.length + 1024 };
  const out = expand(word, 0, word.length, braces, budget);
  return out === null ? null : out.filter((one) => one !== "");
}

/**
 * The words of `word[from…to)`: its plain stretches, each brace's
 * alternatives one after the other, joined as products; `null` once the
 * budget is spent.
 */
function expand(
  word: string,
  from: number,
  to: number,
  braces: ReadonlyMap<number, Brace>,
  budget: { words: number; chars: number },
): string[] | null {
  let out = [""];
  let plain = from;
  for (let i = from; i < to; i++) {
    const brace = braces.get(i);
    if (brace === undefined) continue;
    // The stretch before the brace, without the `{`'s mark.
    const before = word.slice(plain, i - 1);
    const alternatives: string[] = [];
    let start = i + 1;
    for (const end of [...brace.commas, brace.close]) {
      // Each alternative without the mark before its `,` or `}`.
      const one = expand(word, start, end - 1, braces, budget);
      if (one === null) return null;
      alternatives.push(...one);
      start = end + 1;
    }
    const next: string[] = [];
    for (const head of out) {
      for (const tail of alternatives) {
        const joined = head + before + tail;
        budget.chars -= joined.length;
        if (next.length >= budget.words || budget.chars < 0) return null;
        next.push(joined);
      }
    }
    out = next;
    plain = brace.close + 1;
    i = brace.close;
  }
  const rest = word.slice(plain, to);
  budget.chars -= out.length * rest.length;
  if (budget.chars < 0) return null;
  return rest === "" ? out : out.map((head) => head + rest);
}
