/**
 * The words a shell expands before it runs them, for the approval-command
 * reading (`approval_commands.ts`): a word with an unquoted `*`, `?` or
 * `[…]` (a glob), `{a,b}` or `{a..z}` (brace expansion), or bash's extglob
 * `@(…)`, `?(…)`, `*(…)`, `+(…)` and `!(…)` may become another word, the
 * name of a program among them (`th?th`, `/usr/bin/th*h`, `{thoth,}`,
 * `t[h]oth`). `shell_words.ts` writes {@linkcode PATTERN_MARK} before each
 * such unquoted character of a word that has a pattern in it; a quoted one
 * (`'th?th'`) stays as written, and means itself.
 *
 * {@linkcode mayExpandTo} is the one place that decides whether such a word
 * may be a name: no expansion is built; the word is matched against the
 * names at once, a set of how much of each name is matched so far carried
 * along its characters, the alternatives of a brace or an extglob group
 * each read from the set before it and their sets joined. The names hold
 * no `/`, and a `/` of the word (with `lastPart`) starts the name again;
 * `*(…)`, `+(…)`, `!(…)` and a sequence `{a..z}`
 * are read as `*`, which matches more. An expansion (its `$` marked, see
 * `shell_expansions.ts`) matches nothing but the empty string, a
 * parameter's word (`${x:-approvals}`) is read as `?(approvals)`, and past
 * {@linkcode MAX_PARAMETER_NESTING} nested words as `*`. Linear in the word
 * for each name; groups nested deeper than `MAX_NESTING`
 * (`pattern_group_pairs.ts`) may be any name. Pure.
 *
 * @example
 * ```ts
 * const word = `th${PATTERN_MARK}?th`; // th?th, the `?` unquoted
 * mayExpandTo(word, ["thoth"], false); // true
 * mayExpandTo("th?th", ["thoth"], false); // false: a quoted `?` means itself
 * ```
 */

import { expansionEnd, parameterWord } from "./shell_expansions.ts";
import { bracketAt, bracketSet } from "./glob_brackets.ts";
import { MARK, markedAt, PATTERN_MARK } from "./pattern_mark.ts";
import { groupPairs } from "./pattern_group_pairs.ts";

/** Parameters' words nested deeper than this (`${x:-${y:-…}}`) may be any word. */
export const MAX_PARAMETER_NESTING = 4;

/**
 * Whether `word` has a pattern in it (see the module's documentation).
 *
 * @example
 * ```ts
 * isPattern(`th${PATTERN_MARK}?th`); // true
 * ```
 */
export function isPattern(word: string): boolean {
  return word.indexOf(PATTERN_MARK) !== -1;
}

/** A pattern mark, and the `"` after one that tells an expansion's word holds a quote. */
const MARKS = new RegExp(PATTERN_MARK + '"?', "g");

/**
 * `word` without its pattern marks: the word as written, quotes read.
 *
 * @example
 * ```ts
 * unmarked(`th${PATTERN_MARK}?th`); // "th?th"
 * ```
 */
export function unmarked(word: string): string {
  return isPattern(word) ? word.replace(MARKS, "") : word;
}

/** A step of a word's reading: a character, or what a pattern character does. */
const enum Step {
  /** A plain character: `codes[k]`. */
  Char,
  /** `?`: any one character but `/`. */
  One,
  /** `*` (and what is read as it): any run of characters without `/`. */
  Any,
  /** `[…]`: one character of the set `sets[k]`. */
  Set,
  /** A brace's or an extglob group's `{` or `@(`; `?(`, which may match nothing, is `Maybe`. */
  Open,
  Maybe,
  /** A `,` of a brace or a `|` of a group: the next alternative. */
  Or,
  /** The `}` or `)` that closes the group. */
  Close,
}

/** A word read into steps: each step's kind, its character and its bracket's set. */
interface Steps {
  kinds: Step[];
  codes: number[];
  sets: (((code: number) => boolean) | undefined)[];
}

/**
 * Whether `code` is one of `?*+@!`, which before `(` open an extglob group.
 *
 * @example
 * ```ts
 * opensGroup("@".charCodeAt(0)); // true
 * ```
 */
export function opensGroup(code: number): boolean {
  return code === 63 || code === 42 || code === 43 || code === 64 || code === 33;
}

/** The last word {@linkcode stepsOf} read, and its steps: a word is often asked of twice. */
let keptWord: string | undefined;
let keptSteps: Steps | null = null;

/** The steps of `word`, or `null` when its groups nest too deep (see `groupPairs`). */
function stepsOf(word: string): Steps | null {
  if (word !== keptWord) {
    keptSteps = readSteps(word);
    keptWord = word;
  }
  return keptSteps;
}

/** {@linkcode stepsOf}, read. */
function readSteps(word: string): Steps | null {
  const found = groupPairs(word);
  if (found === null) return null;
  const steps: Steps = { kinds: [], codes: [], sets: [] };
  const push = (kind: Step, code = 0, set?: (code: number) => boolean) => {
    steps.kinds.push(kind);
    steps.codes.push(code);
    steps.sets.push(set);
  };
  // The groups open at this point: the index of each one's close, whether it is a brace, and
  // whether a parameter's word (`${x:-w}`); how many of those are open.
  const groups: { close: number; brace: boolean; parameter?: boolean }[] = [];
  let parameters = 0;
  // What the brackets may read in all: a few times the word.
  const budget = { left: 4 * word.length + 16 };
  let i = 0;
  while (i < word.length) {
    const c = word.charCodeAt(i);
    const open = groups[groups.length - 1];
    if (open?.parameter && (i === open.close || (c === MARK && i + 1 === open.close))) {
      push(Step.Close);
      groups.pop();
      parameters--;
      i = open.close + 1;
      continue;
    }
    if (c !== MARK) {
      push(Step.Char, c);
      i++;
      continue;
    }
    const at = i + 1;
    const s = word.charCodeAt(at);
    const top = open;
    // An expansion's `$`, after a `"` when the word holds a quote (see `shell_expansions.ts`).
    const dollar = s === 34 ? at + 1 : at;
    if (word.charCodeAt(dollar) === 36 && (s === 36 || s === 34)) {
      // An expansion may be empty: no step; `${x:-w}` and the like `w` or nothing.
      if (word.charCodeAt(dollar + 1) !== 123) {
        i = expansionEnd(word, dollar);
        continue;
      }
      const close = found.close.get(dollar + 1) ?? word.length;
      const from = parameterWord(word, dollar + 1, close);
      if (from === -1) i = close + 1;
      else if (parameters >= MAX_PARAMETER_NESTING) {
        push(Step.Any);
        i = close + 1;
      } else {
        push(Step.Maybe);
        groups.push({ close, brace: false, parameter: true });
        parameters++;
        i = from;
      }
    } else if (opensGroup(s) && markedAt(word, at + 2, 40) && found.close.has(at + 2)) {
      // An extglob group: `@(…)` one of its alternatives, `?(…)` one or none, the others `*`.
      const end = found.close.get(at + 2)!;
      if (s === 64 || s === 63) {
        push(s === 64 ? Step.Open : Step.Maybe);
        groups.push({ close: end, brace: false });
        i = at + 3;
      } else {
        push(Step.Any);
        i = end + 1;
      }
    } else if (s === 42 || s === 63) {
      push(s === 42 ? Step.Any : Step.One);
      i = at + 1;
    } else if (s === 91) {
      const { end, wide } = bracketAt(word, at, budget);
      // Past the budget: may be any name.
      if (end === -2) return null;
      // A bracket that ends past the group it opens in is cut by it (brace expansion comes
      // first): a `[` as written. One that holds whole groups is read with their characters
      // as members.
      if (end === -1 || (top !== undefined && end > top.close)) {
        push(Step.Char, s);
        i = at + 1;
      } else {
        push(Step.Set, 0, bracketSet(word.slice(at + 1, end - 1), wide));
        i = end + 1;
      }
    } else if (s === 123 && found.close.has(at) && found.commas.has(at)) {
      push(Step.Open);
      groups.push({ close: found.close.get(at)!, brace: true });
      i = at + 1;
    } else if (s === 123 && found.close.has(at) && found.dots.has(at)) {
      // A sequence `{a..z}`: read as `*`.
      push(Step.Any);
      i = found.close.get(at)! + 1;
    } else if (
      top !== undefined && !top.parameter && (s === 44 || s === 124) && (s === 44) === top.brace
    ) {
      push(Step.Or);
      i = at + 1;
    } else if (top !== undefined && at === top.close) {
      push(Step.Close);
      groups.pop();
      i = at + 1;
    } else {
      push(Step.Char, s);
      i = at + 1;
    }
  }
  return steps;
}

/**
 * Whether `code` ends the path or assignment before a program's name in a
 * word: `/\=:({[,` (`/usr/bin/thoth`, `X=thoth`).
 *
 * @example
 * ```ts
 * startsName("/".charCodeAt(0)); // true
 * ```
 */
export function startsName(code: number): boolean {
  return code === 47 || code === 92 || code === 61 || code === 58 || code === 40 ||
    code === 123 || code === 91 || code === 44;
}

/** The lower case of an ASCII letter `code`. */
function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/**
 * Whether `word`, a shell word with pattern marks (see the module's
 * documentation), may be one of `names` once a shell expands it; with
 * `lastPart`, whether its last part (after `/`, `\`, `=`, `:` and the
 * like, as written; a make recipe's `@`, `+` or `-` before it) may be, in
 * any case (`names` in lower case then).
 * A word without a mark is compared as it is.
 */
export function mayExpandTo(
  word: string,
  names: readonly string[],
  lastPart = false,
): boolean {
  if (!isPattern(word)) return names.includes(word);
  const steps = stepsOf(word);
  if (steps === null) return true;
  if (steps.kinds.length === 0) return names.includes("");
  return names.some((name) => matches(steps, name, lastPart));
}

/**
 * Those of `names` that `word` may expand to (see {@linkcode mayExpandTo}),
 * the word read once for all.
 *
 * @example
 * ```ts
 * namesExpandedTo(`s${PATTERN_MARK}?do`, ["env", "sudo"], true); // ["sudo"]
 * ```
 */
export function namesExpandedTo(
  word: string,
  names: readonly string[],
  lastPart = false,
): string[] {
  if (!isPattern(word)) return names.filter((name) => name === word);
  const steps = stepsOf(word);
  if (steps === null) return [...names];
  // An expansion alone (`$x`) matches the empty string only.
  if (steps.kinds.length === 0) return [];
  return names.filter((name) => matches(steps, name, lastPart));
}

/** Whether the steps of a word may spell `name` (see {@linkcode mayExpandTo}). */
function matches(steps: Steps, name: string, lastPart: boolean): boolean {
  const n = name.length;
  const full = (1 << (n + 1)) - 1;
  // Bit p: the first p characters of the name are matched.
  let state = 1;
  const frames: { start: number; joined: number }[] = [];
  const { kinds, codes, sets } = steps;
  for (let k = 0; k < kinds.length; k++) {
    switch (kinds[k]!) {
      case Step.Char: {
        const code = lastPart ? lower(codes[k]!) : codes[k]!;
        if (lastPart && startsName(code)) {
          state = 1;
          break;
        }
        let next = 0;
        for (let p = 0; p < n; p++) {
          if ((state >> p) & 1 && name.charCodeAt(p) === code) next |= 1 << (p + 1);
        }
        // A make recipe's `@`, `+` or `-` before the name.
        if (lastPart && (code === 64 || code === 43 || code === 45)) next |= state & 1;
        state = next;
        break;
      }
      case Step.One:
        state = (state << 1) & full;
        break;
      case Step.Any:
        // Every bit from the lowest one set up.
        state = state === 0 ? 0 : full & ~((state & -state) - 1);
        break;
      case Step.Set: {
        const set = sets[k]!;
        let next = 0;
        for (let p = 0; p < n; p++) {
          const code = name.charCodeAt(p);
          const upper = lastPart && code >= 97 && code <= 122 ? code - 32 : code;
          if ((state >> p) & 1 && (set(code) || set(upper))) next |= 1 << (p + 1);
        }
        state = next;
        break;
      }
      case Step.Open:
      case Step.Maybe:
        frames.push({ start: state, joined: kinds[k] === Step.Maybe ? state : 0 });
        break;
      case Step.Or: {
        const frame = frames[frames.length - 1]!;
        frame.joined |= state;
        state = frame.start;
        break;
      }
      case Step.Close:
        state |= frames.pop()!.joined;
        break;
    }
  }
  return ((state >> n) & 1) === 1;
}
