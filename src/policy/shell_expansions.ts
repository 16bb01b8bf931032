/**
 * A shell's expansions in a word, for the approval-command reading
 * (`approval_commands.ts`): `shell_words.ts` writes a pattern mark before
 * the `$` of each expansion (`$x`, `${x}`, `$1`, `$@`, and `${_}`, the word a
 * `$(…)` or backtick substitution becomes), and a `"` after that mark when
 * the word holds a quote outside a parameter's braces, so that the
 * expansion can never take the word away (`"$x"` and `''$x` are an
 * argument, empty or not; `${x:+""}` may be none). An expansion may be
 * empty; `${x:-w}`, `${x-w}`, `${x:=w}`, `${x=w}`, `${x:+w}` and `${x+w}`
 * may also be `w` (see `shell_word_patterns.ts`, which reads `w` as one
 * alternative of a group that may match nothing; unquoted white space in
 * `w` splits the word, see `shell_words.ts`).
 *
 * {@linkcode mayVanish} is the one place that decides whether a word may
 * expand to no word at all, and so need not count: an unquoted expansion
 * alone (`$x`, `$(…)` that prints nothing; not `$$`, `$#`, `$?`, `${#x}`
 * or `${x:?e}`, never empty), a glob under `nullglob`, or a word of
 * pattern characters only (`{}`). Pure, linear in the word.
 *
 * @example
 * ```ts
 * const m = PATTERN_MARK;
 * mayVanish(`${m}$x`); // true: `$x` unquoted
 * mayVanish(`${m}"$x`); // false: `"$x"`, an empty argument
 * parameterWord(`${m}\${x:-approve}`, 2, 13); // 6: where `approve` starts
 * ```
 */

import { MARK, PATTERN_MARK } from "./pattern_mark.ts";

/** The code of `"`: after a mark, before an expansion's `$`, the word holds a quote. */
const QUOTED = 34;

/** `$` */
const DOLLAR = 36;

/**
 * Whether `code` may start a parameter's name: a letter or `_`.
 *
 * @example
 * ```ts
 * startsParameterName("x".charCodeAt(0)); // true
 * ```
 */
export function startsParameterName(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Whether `code` may continue a parameter's name: a letter, a digit or `_`. */
function continuesParameterName(code: number): boolean {
  return startsParameterName(code) || (code >= 48 && code <= 57);
}

/** Whether `code` is a special parameter's character after `$`: `@*#?$!-` or a digit. */
function isSpecialParameter(code: number): boolean {
  return code === 64 || code === 42 || code === 35 || code === 63 || code === 36 ||
    code === 33 || code === 45 || (code >= 48 && code <= 57);
}

/**
 * Whether the `$` whose next character is at `at` in `text` starts an
 * expansion: `${`, a name, a digit or a special parameter.
 *
 * @example
 * ```ts
 * startsExpansion("$x", 1); // true
 * startsExpansion("a$ b", 2); // false
 * ```
 */
export function startsExpansion(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code === 123 || startsParameterName(code) || isSpecialParameter(code);
}

/**
 * The index just past the expansion whose `$` is at `at` in `word`: a
 * name, one special character, or `${…}` to its first `}` (marked or not)
 * that no nested `${` holds, as bash closes it (a `{` in it opens none),
 * the word's end when it has none.
 */
export function expansionEnd(word: string, at: number): number {
  let i = at + 1;
  const code = word.charCodeAt(i);
  if (code === MARK) return i + 2;
  if (code !== 123) {
    if (!startsParameterName(code)) return Math.min(i + 1, word.length);
    while (i < word.length && continuesParameterName(word.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 123 && word.charCodeAt(i - 1) === DOLLAR) depth++;
    else if (c === 125 && --depth === 0) return i + 1;
  }
  return word.length;
}

/**
 * Where the word of a parameter expansion that may be it starts (`${x:-w}`,
 * `${x-w}`, `${x:=w}`, `${x=w}`, `${x:+w}`, `${x+w}`, also `${!x:-w}`),
 * given the index of its `{` and of its closing `}` in `word`; -1 for any
 * other expansion (`${x}`, `${x:?w}`, `${x#w}`, `${#x}`).
 */
export function parameterWord(word: string, open: number, close: number): number {
  let i = open + 1;
  if (word.charCodeAt(i) === 33) i++;
  if (word.charCodeAt(i) === MARK) i++;
  const code = word.charCodeAt(i);
  if (startsParameterName(code)) {
    while (i < close && continuesParameterName(word.charCodeAt(i))) i++;
  } else if (isSpecialParameter(code)) i++;
  else return -1;
  if (word.charCodeAt(i) === 58) i++;
  const op = word.charCodeAt(i);
  return i < close && (op === 45 || op === 61 || op === 43) ? i + 1 : -1;
}

/**
 * Whether `word` (with pattern marks, see the module's documentation) may
 * expand to no word at all.
 */
export function mayVanish(word: string): boolean {
  if (word.indexOf(PATTERN_MARK) === -1) return false;
  let vanishes = true;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code !== MARK) {
      // A character as written: only a pattern's own (`{}`) leaves a word that may be none.
      vanishes &&= PATTERN_CHARACTERS.has(code);
      continue;
    }
    const next = word.charCodeAt(i + 1);
    // A glob that matches nothing under `nullglob` takes the word away, quotes and all.
    if (next === 42 || next === 63 || next === 91 || next === 40) return true;
    // A quoted expansion is an argument; so is one never empty (`$$`, `${#x}`, `${x:?e}`).
    if (next === QUOTED || (next === DOLLAR && neverEmpty(word, i + 1))) vanishes = false;
    if (next === DOLLAR || (next === QUOTED && word.charCodeAt(i + 2) === DOLLAR)) {
      i = expansionEnd(word, next === DOLLAR ? i + 1 : i + 2) - 1;
    } else i++;
  }
  return vanishes;
}

/**
 * Whether the expansion whose `$` is at `at` in `word` is never empty: `$$`,
 * `$#`, `$?` (numbers), `${#x}` (a length) or `${x:?e}` (the shell stops
 * when `x` is empty).
 */
function neverEmpty(word: string, at: number): boolean {
  const next = word.charCodeAt(at + 1);
  if (next === DOLLAR || next === 35 || next === 63) return true;
  if (next !== 123) return false;
  let i = at + 2;
  if (word.charCodeAt(i) === 35) return true;
  while (continuesParameterName(word.charCodeAt(i))) i++;
  if (i === at + 2 || word.charCodeAt(i) !== 58) return false;
  // The `?` marked as a pattern's, unquoted.
  if (word.charCodeAt(i + 1) === MARK) i++;
  return word.charCodeAt(i + 1) === 63;
}

/** The codes of a pattern's characters: `*?[]{},()|@+!`. */
const PATTERN_CHARACTERS: ReadonlySet<number> = new Set(
  [..."*?[]{},()|@+!"].map((c) => c.charCodeAt(0)),
);
