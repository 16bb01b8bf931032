/**
 * The simple commands of a shell text, as far as an approval-command reading
 * needs them (`approval_commands.ts`): the text is cut where a command may
 * start, outside quotes: at a line break, `;`, `&`, `|`, `(`, `)`, a `{` or
 * `}` that stands alone, and around `$(…)` and `` `…` `` substitutions,
 * whose text is a command text of its own. In the command around it a
 * substitution is the word `$_` (a word a shell expands first). A
 * redirection (`>`, `>>`, `<`, `2>&1`, `&>`) becomes the word
 * {@linkcode REDIRECT}, which the next word (its target) follows. A
 * segment cut by a `(` that follows a name (`VALUES (`, `subprocess.run(`)
 * is a call's arguments in code: the name is its caller.
 *
 * Pure and linear in the text; quotes stay in the segments for
 * `shellWords` to read. `backslashEscapes` false reads `\` as a plain
 * character (Windows paths).
 *
 * @example
 * ```ts
 * commandSegments("cd /tmp && thoth approvals list > out.txt", true).segments;
 * // ["cd /tmp ", " ", "thoth approvals list  \u0001  out.txt"] (roughly)
 * ```
 */

/** The word a redirection operator becomes: the word after it is its target. */
export const REDIRECT = "\u0001";

/**
 * A `$(…)` or `` `…` `` substitution: its text, and whether it stands where
 * a command word does.
 */
export interface Substitution {
  text: string;
  /**
   * `$(…)` always; a backtick one at the start of a command (after white space
   * and other substitutions only) or of an assignment's value (`` x=`…` ``).
   */
  atCommandWord: boolean;
  backtick: boolean;
}

/** The segments and substitutions of a text, see the module's documentation. */
export interface CommandSegments {
  segments: string[];
  /**
   * For each segment, the name of the call whose `(` starts it
   * (`subprocess.run`, `VALUES`), or "" (a subshell's `(`, or no `(`).
   */
  callers: string[];
  substitutions: Substitution[];
}

/** A text of white space and substitutions only (the ` `` ` before a fenced block's text). */
const PLACEHOLDERS = /^(?:\s|\$_)*$/;

/** A text that ends with an assignment's `NAME=`. */
const ASSIGNED = /(?:^|\s)[A-Za-z_][A-Za-z0-9_]*=$/;

/** The name a `(` follows (`subprocess.run(`, `VALUES (`), at the end of a text. */
const CALLER = /([A-Za-z_$][\w$.:]*)[ \t]*$/;

/** Shell words a subshell's `(` may follow: no call's name. */
const SHELL_WORDS: ReadonlySet<string> = new Set([
  "if",
  "then",
  "do",
  "else",
  "elif",
  "while",
  "until",
  "time",
]);

/** The name of the call whose `(` ends `text`, or "" for a subshell's. */
function callerOf(text: string): string {
  const name = CALLER.exec(text)?.[1] ?? "";
  return SHELL_WORDS.has(name) ? "" : name;
}

/** Whether `code` is white space. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** The index of the `)` that closes a `$(` whose text starts at `from` (or the text's end). */
function closingParen(text: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 39) {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return text.length;
      i = close + 1;
    } else {
      if (c === 40) depth++;
      else if (c === 41 && --depth === 0) return i;
      i++;
    }
  }
  return text.length;
}

/** See the module's documentation. */
export function commandSegments(text: string, backslashEscapes: boolean): CommandSegments {
  const segments: string[] = [];
  const callers: string[] = [];
  const substitutions: Substitution[] = [];
  let current = "";
  let caller = "";
  let double = false;
  const n = text.length;
  const cut = (next = "") => {
    segments.push(current);
    callers.push(caller);
    current = "";
    caller = next;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92 && backslashEscapes) {
      current += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (!double && c === 39) {
      // '…' (and $'…'): as written, up to its close.
      let close = i + 1;
      const ansi = i > 0 && text.charCodeAt(i - 1) === 36;
      while (close < n && text.charCodeAt(close) !== 39) {
        close += ansi && text.charCodeAt(close) === 92 ? 2 : 1;
      }
      current += text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    if (c === 34) {
      double = !double;
      current += '"';
      i++;
      continue;
    }
    if (c === 36 && text.charCodeAt(i + 1) === 40) {
      // $(…): a command text of its own; `$_` here.
      const close = closingParen(text, i + 2);
      substitutions.push({ text: text.slice(i + 2, close), atCommandWord: true, backtick: false });
      current += "$_";
      i = close + 1;
      continue;
    }
    if (c === 96) {
      let close = i + 1;
      while (close < n && text.charCodeAt(close) !== 96) {
        close += text.charCodeAt(close) === 92 && backslashEscapes ? 2 : 1;
      }
      substitutions.push({
        text: text.slice(i + 1, close),
        atCommandWord: !double &&
          (PLACEHOLDERS.test(current) || ASSIGNED.test(current)),
        backtick: true,
      });
      current += "$_";
      i = close + 1;
      continue;
    }
    if (c === 36 && text.charCodeAt(i + 1) === 123) {
      // ${…}: one word, its braces no group.
      const close = text.indexOf("}", i + 2);
      const end = close === -1 ? n : close + 1;
      current += text.slice(i, end);
      i = end;
      continue;
    }
    if (double) {
      current += text[i];
      i++;
      continue;
    }
    if (c === 62 || c === 60) {
      // A redirection: a single-digit fd glued before it is dropped, `&` or `|` after it kept in.
      if (/(?:^|\s)\d$/.test(current) || /&$/.test(current)) current = current.slice(0, -1);
      let j = i + 1;
      while (
        j < n && (text.charCodeAt(j) === 62 || text.charCodeAt(j) === 38 ||
          text.charCodeAt(j) === 124)
      ) j++;
      current += ` ${REDIRECT} `;
      i = j;
      continue;
    }
    if (c === 38 && text.charCodeAt(i + 1) === 62) {
      // &> and &>>: a redirection.
      i++;
      continue;
    }
    const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 10;
    if (
      c === 10 || c === 13 || c === 59 || c === 38 || c === 124 || c === 40 || c === 41 ||
      (c === 123 && isSpace(next) && (isSpace(prev) || prev === 59)) ||
      (c === 125 && (isSpace(prev) || prev === 59) &&
        (isSpace(next) || next === 59 || next === 41 || next === 124 || next === 38))
    ) {
      cut(c === 40 ? callerOf(current) : "");
      i++;
      continue;
    }
    current += text[i];
    i++;
  }
  cut();
  return { segments, callers, substitutions };
}
