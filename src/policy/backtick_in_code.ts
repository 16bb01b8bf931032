/**
 * Whether a backtick pair stands in code, where it runs its text (ruby,
 * perl, PHP and a shell alike), rather than in markdown or a JavaScript
 * template, where it only shows or builds it:
 *
 * - after a tag that runs it (zx's `` $`…` ``, `` Bun.$`…` ``, `` execa`…` ``),
 *   also called with options (`` execa({shell: true})`…` ``) or apart from
 *   it by blanks after `await`, `return`, `yield`, an arrow function's `=>`
 *   or an assignment's `=` in code (`` await $ `…` ``, `` const out = $
 *   `…` ``, `` f = a => $ `…` ``; a lower-case name's `=` and a `(NAME =>`
 *   only in a text with signs of code, see {@linkcode expressionFollows});
 * - after `=` (`` out = `…` ``, `` my $o = `…`; ``), unless the name is
 *   JavaScript's (`const`, `let` or `var` before it), a first parameter's
 *   default (`` f(cmd = `…`) ``, but not ruby's `` def f(cmd = `…`) `` at
 *   a statement's start, which runs it) or a code span of prose (`` `X` =
 *   `…` ``);
 * - after a word that prints or returns what it gives (`` puts `…` ``,
 *   `` echo `…` ``, `` return `…` ``) that starts a statement (a line, or
 *   after `;`, `{`, `(`, `&`, `|`), which prose's words do not (``The hook
 *   will print `…` for you``).
 *
 * Never after JavaScript's `const`, `let` or `var NAME =`, whose template
 * builds a string (`` const hint = `thoth … ${id}` ``); a `${` alone says
 * nothing, since perl, PHP and a shell read `${id}` in a backtick pair too.
 * Never when prose follows it on the line (``x = `…` is the command``, a
 * table's `` | `…` | `` cell). Comments are the caller's to skip, with
 * {@linkcode commentedPair}. Pure.
 *
 * @example
 * ```ts
 * backtickInCode("out = `ls`", 6, 9); // true
 * backtickInCode("Run `ls` now", 4, 7); // false
 * backtickInCode("const s = `ls ${d}`;", 10, 18); // false
 * ```
 */
import { codeSigns } from "./js_code_signs.ts";

/** Words before a backtick pair in code that print or return what it gives. */
const CODE_WORDS: ReadonlySet<string> = new Set([
  "puts",
  "print",
  "p",
  "pp",
  "echo",
  "say",
  "warn",
  "die",
  "return",
]);

/** Tags of a JavaScript template that run it as a command (zx, Bun's shell, execa). */
const RUNNING_TAGS: ReadonlySet<string> = new Set(["$", "execa", "execaSync", "execaNode"]);

/** Words after a backtick pair that go on with code (`` `…` or die ``), not prose. */
const CODE_AFTER: ReadonlySet<string> = new Set([
  "if",
  "unless",
  "or",
  "and",
  "rescue",
  "while",
  "until",
  "then",
  // Perl's word operators (`` `…` x 2 ``, `` `…` eq '' ``).
  "x",
  "eq",
  "ne",
  "lt",
  "gt",
  "le",
  "ge",
  "cmp",
  "do",
  "end",
]);

/** JavaScript's declarations: a template after `const NAME =` builds a string. */
const JS_DECLARATIONS: ReadonlySet<string> = new Set(["const", "let", "var"]);

/** The longest word read back or forward, plus one: longer words are none of the above. */
const WORD_LENGTH = 10;

/** Whether `code` is an ASCII letter. */
function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Whether `code` may be part of a name: `[A-Za-z0-9_$]`. */
function isNameCode(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57) || code === 95 || code === 36;
}

/** Whether `code` is a blank: a space or a tab. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** The index before the blanks that end at `end` in `text`. */
function backOverBlanks(text: string, end: number): number {
  let i = end;
  while (i > 0 && isBlank(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Where the name (`[A-Za-z0-9_$.]`, at most {@linkcode WORD_LENGTH} long) ending at `end` starts. */
function nameStart(text: string, end: number, dots: boolean): number {
  let start = end;
  while (start > 0 && end - start < WORD_LENGTH * 4) {
    const c = text.charCodeAt(start - 1);
    if (!(isNameCode(c) || (dots && (c === 46 || c === 64)))) break;
    start--;
  }
  return start;
}

/** Whether the code unit before `at` (past blanks) starts a statement: text start, a line, `;{}(&|`. */
function startsStatement(text: string, at: number): boolean {
  const i = backOverBlanks(text, at);
  if (i === 0) return true;
  const c = text.charCodeAt(i - 1);
  // PHP's opening tag (`<?php echo `…`;`).
  if (isLetter(c)) return i >= 5 && text.slice(i - 5, i) === "<?php";
  return c === 10 || c === 13 || c === 59 || c === 123 || c === 125 || c === 40 || c === 38 ||
    c === 124;
}

/**
 * Whether prose follows the pair that closes at `close`: a word of its own on
 * the line (``x = `…` is the command``), or a table's `|`.
 */
function proseAfter(text: string, close: number): boolean {
  let i = close + 1;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if (c === 124) return text.charCodeAt(i + 1) !== 124;
  if (!isLetter(c)) return false;
  let end = i;
  while (end < text.length && end - i < WORD_LENGTH && isLetter(text.charCodeAt(end))) end++;
  return !CODE_AFTER.has(text.slice(i, end));
}

/** Whether the `=` at `equals` assigns a name in code (not JavaScript's, a default or prose's). */
function assignsInCode(text: string, equals: number): boolean {
  // Past an operator glued before `=` (`||=`, `+=`, `.=`, `:=`).
  let end = equals;
  while (end > 0 && equals - end < 3 && "|&+-*/.:!<>~".includes(text[end - 1]!)) end--;
  end = backOverBlanks(text, end);
  const before = end > 0 ? text.charCodeAt(end - 1) : 10;
  // A code span of prose (`` `X` = `…` ``).
  if (before === 96) return false;
  const start = nameStart(text, end, true);
  // A sigil's name (`$x =`, `@x =`, `my $x =`) is perl's or PHP's, never JavaScript's.
  const sigil = text.charCodeAt(start) === 36 || text.charCodeAt(start) === 64;
  const word = backOverBlanks(text, start);
  const wordStart = nameStart(text, word, false);
  if (!sigil && JS_DECLARATIONS.has(text.slice(wordStart, word))) return false;
  // A first parameter's default or keyword argument (`f(cmd = `…`)`); after `,` it may be
  // ruby's or perl's list assignment (`a, b = `…``), read as code. Ruby runs a method's
  // default (`def f(cmd = `…`)`) when the method is called without it.
  const paren = backOverBlanks(text, wordStart) - 1;
  return wordStart !== word || wordStart === 0 || text.charCodeAt(paren) !== 40 ||
    rubyMethodAt(text, paren);
}

/**
 * Ruby's words that take the method a `def` after them on its line defines
 * (`private def f(…)`, `module_function def f(…)`).
 */
const DEF_TAKERS: ReadonlySet<string> = new Set([
  "private",
  "protected",
  "public",
  "module_function",
  "private_class_method",
  "public_class_method",
]);

/** How many of {@linkcode DEF_TAKERS} are read back before a `def` (`private module_function def`). */
const MAX_DEF_TAKERS = 3;

/**
 * Whether the `(` at `paren` opens the parameters of ruby's `def NAME(`
 * (`def self.f(`), `def` starting a statement (or after `private`,
 * `module_function` and the like): not prose's (``In ruby: def f(x = `…`)
 * runs it``).
 */
function rubyMethodAt(text: string, paren: number): boolean {
  const name = nameStart(text, paren, true);
  const def = backOverBlanks(text, name);
  if (name === paren || def === name || def < 3 || text.slice(def - 3, def) !== "def") return false;
  if (def > 3 && isNameCode(text.charCodeAt(def - 4))) return false;
  let start = def - 3;
  for (let taken = 0; taken <= MAX_DEF_TAKERS; taken++) {
    if (startsStatement(text, start)) return true;
    const wordEnd = backOverBlanks(text, start);
    const wordStart = nameStart(text, wordEnd, false);
    if (taken === MAX_DEF_TAKERS || !DEF_TAKERS.has(text.slice(wordStart, wordEnd))) return false;
    start = wordStart;
  }
  return false;
}

/** Words after which a tag separated from its template by blanks starts an expression. */
const EXPRESSION_WORDS: ReadonlySet<string> = new Set(["await", "return", "yield"]);

/**
 * Whether the code before `at` (past blanks) leaves no doubt that an
 * expression follows in JavaScript: `await`, `return` or `yield`; an arrow
 * function's `) =>`, or `NAME =>` after `=`, `async` or a call's `(` (`` f =
 * a => $ `…` ``, `` xs.map(x => $ `…`) ``), or after any `(` in a text with
 * signs of code; or an assignment's `=` after `const`, `let` or `var NAME`,
 * or after a name that starts a statement and starts in lower case in a
 * text with signs of code (`` out = $ `…`; ``). Not a line's
 * start, where markdown shows a prompt (``$ `thoth …` ``), nor `(`, `[`,
 * `,`, `;`, `:`, `&&`, `||`, `?`, a capital's `=` or a `NAME =>` that
 * starts a line, which prose writes before one too (``Result = $ `…` ``,
 * ``- list => $ `…` ``, ``(e.g., $ `thoth approvals list`)``), nor those
 * above that need signs of code in a text without them (``cost = $ `…`.``,
 * ``Tip: (x => $ `…`)``).
 */
function expressionFollows(text: string, at: number, signs: () => boolean): boolean {
  const i = backOverBlanks(text, at);
  if (i === 0) return false;
  const c = text.charCodeAt(i - 1);
  if (isLetter(c)) return EXPRESSION_WORDS.has(text.slice(nameStart(text, i, false), i));
  if (c !== 61 && !(c === 62 && text.charCodeAt(i - 2) === 61)) return false;
  if (c === 61) return assignsTag(text, i - 1, signs);
  const arrow = backOverBlanks(text, i - 2);
  return text.charCodeAt(arrow - 1) === 41 || arrowParameter(text, arrow, signs);
}

/** Whether `code` glued before `=` makes it no assignment's (`==`, `!=`, `<=`, `+=`). */
function operatorCode(code: number): boolean {
  return code === 61 || code === 33 || code === 60 || code === 62 || code === 43 ||
    code === 45 || code === 42 || code === 47 || code === 37 || code === 38 || code === 124 ||
    code === 94 || code === 58 || code === 63 || code === 126;
}

/**
 * Whether the name that ends at `end` before `=>` is an arrow function's
 * one parameter in code: after an assignment's `=` or `async`, or after
 * `(` glued to a call's name (`` xs.map(x => $ `…`) ``) or in a text with
 * signs of code (see `js_code_signs.ts`); prose puts a `(` before one
 * too (``Tip: (x => $ `…`)``).
 */
function arrowParameter(text: string, end: number, signs: () => boolean): boolean {
  const start = nameStart(text, end, false);
  if (start === end) return false;
  const first = text.charCodeAt(start);
  if (first >= 48 && first <= 57) return false;
  const before = backOverBlanks(text, start);
  if (before === 0) return false;
  const c = text.charCodeAt(before - 1);
  if (c === 40) return (before > 1 && isNameCode(text.charCodeAt(before - 2))) || signs();
  if (c === 61) return !operatorCode(text.charCodeAt(before - 2));
  return isLetter(c) && text.slice(nameStart(text, before, false), before) === "async";
}

/**
 * Whether the `=` at `equals`, before a running tag, assigns a name in
 * JavaScript: after `const`, `let` or `var NAME`, or after a name in lower
 * case (`out`, `this.out`, `_x`, `$x`) that starts a statement in a text
 * with signs of code (see `js_code_signs.ts`), which prose's
 * ``cost = $ `…` `` lacks.
 */
function assignsTag(text: string, equals: number, signs: () => boolean): boolean {
  if (operatorCode(text.charCodeAt(equals - 1))) return false;
  const end = backOverBlanks(text, equals);
  const start = nameStart(text, end, true);
  if (start === end) return false;
  const word = backOverBlanks(text, start);
  if (JS_DECLARATIONS.has(text.slice(nameStart(text, word, false), word))) return true;
  const first = text.charCodeAt(start);
  return (first >= 97 && first <= 122 || first === 95 || first === 36) &&
    startsStatement(text, start) && signs();
}

/**
 * Whether a running tag ends at `end`, just before a backtick pair: one
 * called with options (`` execa({shell: true})`…` ``, `` $({cwd})`…` ``), or
 * one that blanks part from it (`` await $ `…` ``, `spaced`) where an
 * expression may start. Reads back to the call's `(` over nested
 * parentheses, never past another backtick.
 */
function runningTagBefore(
  text: string,
  end: number,
  spaced: boolean,
  signs: () => boolean,
): boolean {
  let tagEnd = end;
  if (text.charCodeAt(end - 1) === 41) {
    let depth = 0;
    let i = end - 1;
    for (; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c === 96) return false;
      if (c === 41) depth++;
      else if (c === 40 && --depth === 0) break;
    }
    if (i < 0) return false;
    tagEnd = backOverBlanks(text, i);
  } else if (!spaced) return false;
  const tagStart = nameStart(text, tagEnd, false);
  if (tagStart === tagEnd || !RUNNING_TAGS.has(text.slice(tagStart, tagEnd))) return false;
  return tagEnd !== end || expressionFollows(text, tagStart, signs);
}

/**
 * Whether the backtick pair from `at` to `close` in `text` stands in code
 * (see the module's documentation). Reads back over the blanks and a name or
 * word before it, and forward over blanks and a word after it, never past
 * another backtick, so that a pass over many backticks stays linear;
 * `signs`: {@linkcode codeSigns} of `text`, shared by a pass over its pairs.
 */
export function backtickInCode(
  text: string,
  at: number,
  close: number,
  signs: () => boolean = codeSigns(text),
): boolean {
  const end = backOverBlanks(text, at);
  const tagStart = nameStart(text, at, false);
  if (tagStart < at && RUNNING_TAGS.has(text.slice(tagStart, at))) return true;
  if (proseAfter(text, close)) return false;
  if (end > 0 && runningTagBefore(text, end, end < at, signs)) return true;
  if (end > 0 && text.charCodeAt(end - 1) === 61) return assignsInCode(text, end - 1);
  if (end === at) return false;
  let start = end;
  while (start > 0 && end - start < WORD_LENGTH && isLetter(text.charCodeAt(start - 1))) start--;
  if (start > 0 && (isNameCode(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 46)) {
    return false;
  }
  return CODE_WORDS.has(text.slice(start, end)) && startsStatement(text, start);
}

/** Whether `code` is a blank of a line: a space, a tab or a carriage return. */
function isLineBlank(code: number): boolean {
  return isBlank(code) || code === 13;
}

/**
 * A test of whether a backtick pair (from `at` to `close`) sits in a comment
 * for sure: both on one line whose first word opens a `#` or `//` comment,
 * or inside a `/* … *\/` one that opens the line and closes on it. Nothing
 * else counts (a `//` mid-line is perl's operator, a `#` mid-line may sit in
 * a string, a regular expression or a list, `/*` is a shell's glob, a line's
 * `=head1` may be a heredoc's): when unsure, the pair is read as code. Asked
 * of pairs in order, it looks at each line once.
 */
export function commentedPair(text: string): (at: number, close: number) => boolean {
  // Where the line being read starts and ends (-1: not looked at yet), and the characters
  // before `scanned` whose line breaks are known.
  let lineStart = 0;
  let lineEnd = -1;
  let scanned = 0;
  // What opens the line: a `#` or `//` comment to its end, a `/* … */` one to `blockEnd`.
  let toEnd = false;
  let blockEnd = -1;
  return (at, close) => {
    for (; scanned < at; scanned++) {
      if (text.charCodeAt(scanned) === 10) {
        lineStart = scanned + 1;
        lineEnd = -1;
      }
    }
    if (lineEnd === -1) {
      lineEnd = text.indexOf("\n", lineStart);
      if (lineEnd === -1) lineEnd = text.length;
      let first = lineStart;
      while (first < lineEnd && isLineBlank(text.charCodeAt(first))) first++;
      const c = text.charCodeAt(first);
      const next = text.charCodeAt(first + 1);
      toEnd = c === 35 || (c === 47 && next === 47);
      blockEnd = -1;
      if (c === 47 && next === 42) {
        for (let j = first + 2; j + 1 < lineEnd && blockEnd === -1; j++) {
          if (text.charCodeAt(j) === 42 && text.charCodeAt(j + 1) === 47) blockEnd = j;
        }
      }
    }
    if (close >= lineEnd) return false;
    return toEnd || close < blockEnd;
  };
}
