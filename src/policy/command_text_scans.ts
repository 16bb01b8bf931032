/**
 * The scans of a shell text that `command_segments.ts` makes around one
 * character: the name of the call whose `(` ends a text, whether a `{`
 * stands in a list in code or a backtick after an assignment's `=`, where a
 * comment's plain text ends, the `)` that closes a `$(` and the one that
 * closes an extglob group (`@(a|b)`). Each reads a
 * bounded stretch (backwards over a name, forwards to the closing
 * parenthesis), so that the segmentation stays linear. Pure.
 *
 * @example
 * ```ts
 * callerOf("x = subprocess.run"); // "subprocess.run"
 * closingParen("echo hi) rest", 0); // 7
 * ```
 */
import { RESERVED_WORDS } from "./approval_command_words.ts";
import { opensGroup } from "./shell_word_patterns.ts";

/** Shell words a subshell's `(` may follow: no call's name. */
const SHELL_WORDS: ReadonlySet<string> = new Set([...RESERVED_WORDS, "time"]);

/**
 * The name of the call whose `(` ends `text` (`subprocess.run(`, `VALUES (`):
 * the last run of `[A-Za-z0-9_$.:]` before blanks, from its first letter, `_`
 * or `$`; or "" for a subshell's. Read backwards, once per segment.
 */
export function callerOf(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  let start = end;
  while (start > 0 && isCallerCode(text.charCodeAt(start - 1))) start--;
  while (start < end && !startsCaller(text.charCodeAt(start))) start++;
  const name = text.slice(start, end);
  return SHELL_WORDS.has(name) ? "" : name;
}

/** Whether `code` may be part of a caller's name: `[A-Za-z0-9_$.:]`. */
function isCallerCode(code: number): boolean {
  return isNameCode(code) || code === 36 || code === 46 || code === 58;
}

/** Whether `code` may start a caller's name: `[A-Za-z_$]`. */
function startsCaller(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
}

/**
 * Whether `code` ends a comment's plain text: a line break, `;&|()` or a backtick.
 *
 * @example
 * ```ts
 * endsComment(";".charCodeAt(0)); // true
 * ```
 */
export function endsComment(code: number): boolean {
  return code === 10 || code === 13 || code === 59 || code === 38 || code === 124 ||
    code === 40 || code === 41 || code === 96;
}

/**
 * Whether `text` before `at` ends with `,` or `:` and white space: a `{` there is an object in code.
 *
 * @example
 * ```ts
 * inList("f(a, { b })", 5); // true
 * ```
 */
export function inList(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  const code = text.charCodeAt(i);
  return code === 44 || code === 58;
}

/**
 * Whether `text` before `at` ends with an assignment's `NAME=` that starts a
 * word (`` x=`…` ``): read backwards over the name only, so that it stays
 * linear.
 *
 * @example
 * ```ts
 * assignedBefore("x=`id`", 2); // true
 * assignedBefore("a.b=`id`", 4); // false: no shell's name
 * ```
 */
export function assignedBefore(text: string, at: number): boolean {
  const equals = at - 1;
  if (equals < 0 || text.charCodeAt(equals) !== 61) return false;
  let start = equals;
  while (start > 0 && isNameCode(text.charCodeAt(start - 1))) start--;
  if (start === equals) return false;
  const first = text.charCodeAt(start);
  if (first >= 48 && first <= 57) return false;
  const before = start === 0 ? 10 : text.charCodeAt(start - 1);
  return isSpace(before) || before === 59 || before === 38 || before === 124 || before === 40 ||
    before === 41;
}

/**
 * Whether the word at `at` in `text` is an assignment (`NAME=…`): read
 * forwards over the name only.
 *
 * @example
 * ```ts
 * assignmentAt("a=1 b=2", 4); // true
 * ```
 */
export function assignmentAt(text: string, at: number): boolean {
  const first = text.charCodeAt(at);
  if (!isNameCode(first) || (first >= 48 && first <= 57)) return false;
  let i = at + 1;
  while (isNameCode(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 61;
}

/**
 * Whether `code` may be part of a shell variable's name: `[A-Za-z0-9_]`.
 *
 * @example
 * ```ts
 * isNameCode("t".charCodeAt(0)); // true
 * ```
 */
export function isNameCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) || code === 95;
}

/**
 * Whether `code` is white space.
 *
 * @example
 * ```ts
 * isSpace("\t".charCodeAt(0)); // true
 * ```
 */
export function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Words that print what follows them: a double-quoted word after one is printed whole. */
const PRINT_WORDS: ReadonlySet<string> = new Set(["echo", "printf"]);

/**
 * Whether the word before `at` in `text` (past blanks) prints what follows
 * (`echo "…"`, `printf "…"`) and starts a command: at the text's start or
 * after a line break, `;`, `&`, `|`, `(` or `{`. Reads back over the blanks
 * and ten letters at most.
 *
 * @example
 * ```ts
 * printsBefore('echo "x"', 5); // true
 * printsBefore('puts "x"', 5); // false
 * ```
 */
export function printsBefore(text: string, at: number): boolean {
  let end = at;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  let start = end;
  while (start > 0 && end - start <= 10 && isLetter(text.charCodeAt(start - 1))) start--;
  if (!PRINT_WORDS.has(text.slice(start, end))) return false;
  let before = start;
  while (before > 0 && (text.charCodeAt(before - 1) === 32 || text.charCodeAt(before - 1) === 9)) {
    before--;
  }
  const c = before === 0 ? 10 : text.charCodeAt(before - 1);
  return c === 10 || c === 13 || c === 59 || c === 38 || c === 124 || c === 40 || c === 123;
}

/** Whether `code` is an ASCII letter. */
function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Whether a word starts after `code`: white space or one of `;&|()`. */
function startsWordAfter(code: number): boolean {
  return isSpace(code) || code === 59 || code === 38 || code === 124 || code === 40 ||
    code === 41;
}

/** How far an extglob group, its nested groups in, is read for its `)` before it is any name. */
export const MAX_EXTGLOB = 256;

/** Where an extglob group ends (-1: it is none), and whether its text is read as written. */
export interface ExtglobGroup {
  end: number;
  exact: boolean;
}

/** No extglob group. */
const NO_GROUP: ExtglobGroup = { end: -1, exact: false };

/**
 * The extglob group whose `(` is at `at` in `text` (after `?`, `*`, `+`,
 * `@` or `!`: `@(thoth|x)`, `@(@(list))`): the index just past its `)`,
 * and `exact` when it holds none of a quote, `\` or `$` (`@(approvals|'x')`
 * is not read as written: it may be any name). `end` is -1 when the group
 * holds white space, `;&<>`, a backtick or a `(` that opens no group before
 * its `)`, or a quote left open: then the `(` is read as it was (a
 * subshell's or a call's in code). A group longer than
 * {@linkcode MAX_EXTGLOB} is a group whatever it holds: it runs to its `)`
 * (`exact` as above), or, with none, up to where the word ends or a quote
 * left open starts, and is not `exact`. Reads that far only (a group past
 * the bound is read once), so that asking at each `(` stays linear.
 *
 * @example
 * ```ts
 * extglobEnd("@(@(list)) x", 1); // { end: 10, exact: true }
 * extglobEnd("@(a b)", 1).end; // -1
 * ```
 */
export function extglobEnd(text: string, at: number): ExtglobGroup {
  let depth = 1;
  let exact = true;
  const bound = at + MAX_EXTGLOB;
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 41 && --depth === 0) return { end: i + 1, exact };
    if (c === 40 && opensGroup(text.charCodeAt(i - 1))) depth++;
    else if (
      isSpace(c) || c === 59 || c === 38 || c === 60 || c === 62 || c === 96 || c === 40
    ) return i > bound ? { end: i, exact: false } : NO_GROUP;
    else if (c === 39 || c === 34) {
      exact = false;
      // Read within the bound first: a quote that runs past it puts the group past it, and
      // one left open then ends the group before it.
      let close = quoteEnd(text, i, i > bound ? text.length : bound);
      if (close === -1 && i <= bound && text.length > bound) close = quoteEnd(text, i, text.length);
      if (close === -1) return text.length > bound ? { end: i, exact } : NO_GROUP;
      i = close;
    } else if (c === 92 || c === 36) {
      exact = false;
      if (c === 92) i++;
    }
    i++;
  }
  return i > bound ? { end: text.length, exact: false } : NO_GROUP;
}

/**
 * The index of the quote that closes the one at `at` (`\` escapes in
 * `"…"`) before `limit`, or -1.
 *
 * @example
 * ```ts
 * quoteEnd("'a' b", 0, 5); // 2
 * ```
 */
export function quoteEnd(text: string, at: number, limit: number): number {
  const quote = text.charCodeAt(at);
  const end = Math.min(limit, text.length);
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) return i;
    if (c === 92 && quote === 34) i++;
  }
  return -1;
}

/**
 * The index of the `)` that closes a `$(` whose text starts at `from` (or
 * the text's end). Quotes are read as a shell reads them: `'…'` as written,
 * `"…"` with its `\` escapes and the `$(…)` in it; a comment (a `#` that
 * starts a word: at the start, after an unescaped blank or line break, `;`,
 * `&`, `|`, `(` or `)`, outside quotes) runs to the line's end, its
 * parentheses and quotes none: `$(: # it's (⏎)` closes on the second line,
 * `$(echo " #")` and `$(echo a\ #)` on the first. One pass: the
 * substitutions open inside double quotes are kept on a stack.
 *
 * @example
 * ```ts
 * closingParen('echo " #") rest', 0); // 9
 * ```
 */
export function closingParen(text: string, from: number): number {
  // For each `$(` open, its depth of parentheses, or -1 for a double quote open in the one below.
  const open: number[] = [1];
  let i = from;
  let wordStart = true;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const top = open.length - 1;
    if (open[top] === -1) {
      // Inside "…": `\` escapes, `"` closes, `$(` opens a command text of its own.
      wordStart = false;
      if (c === 92) i += 2;
      else if (c === 34) {
        open.pop();
        i++;
      } else if (c === 36 && text.charCodeAt(i + 1) === 40) {
        open.push(1);
        wordStart = true;
        i += 2;
      } else i++;
      continue;
    }
    if (c === 92) {
      i += 2;
      wordStart = false;
      continue;
    }
    if (c === 35 && wordStart) {
      const line = text.indexOf("\n", i + 1);
      if (line === -1) return text.length;
      i = line;
      continue;
    }
    if (c === 39) {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return text.length;
      i = close + 1;
    } else if (c === 34) {
      open.push(-1);
      i++;
    } else {
      if (c === 40) open[top]!++;
      else if (c === 41 && --open[top]! === 0) {
        if (top === 0) return i;
        open.pop();
      }
      i++;
    }
    wordStart = startsWordAfter(c);
  }
  return text.length;
}

/**
 * The index of the backtick that closes the pair whose first one is at `at`
 * in `text` (the text's length when none does), `\` escaping the next
 * character where `backslashEscapes`, and whether a line break comes
 * before it.
 *
 * @example
 * ```ts
 * backtickPairEnd("a `b` c", 2, true); // { close: 4, lines: false }
 * ```
 */
export function backtickPairEnd(
  text: string,
  at: number,
  backslashEscapes: boolean,
): { close: number; lines: boolean } {
  let close = at + 1;
  let lines = false;
  while (close < text.length && text.charCodeAt(close) !== 96) {
    lines ||= text.charCodeAt(close) === 10;
    close += text.charCodeAt(close) === 92 && backslashEscapes ? 2 : 1;
  }
  return { close, lines };
}
