/**
 * The simple commands of a shell text, as far as an approval-command reading
 * needs them (`approval_commands.ts`): the text is cut where a command may
 * start, outside quotes: at a line break, `;`, `&`, `|`, `(`, `)`, a `{` or
 * `}` that stands alone (a `{` after `,` or `:` is an object in code, no
 * group), and around `$(…)` and `` `…` `` substitutions, whose text is a
 * command text of its own. In the command around it a substitution is the
 * word `${_}` (a word a shell expands first). A redirection (`>`, `>>`, `<`,
 * `<<<`, `2>&1`, `&>`) becomes the word
 * {@linkcode REDIRECT}, which the next word (its target) follows. A `#`
 * that starts a word outside quotes (after unescaped white space or an
 * operator) starts a comment, unless `comments` is false (a quoted word
 * read again that no shell reads as a script): it becomes the word
 * {@linkcode COMMENT}, and the text after it is kept as written (no quote
 * read) up to a line break, or up to `;`, `&`, `|`, `(`, `)`, a backtick or
 * `$(`, where the reading goes on as before: interactive zsh and cmd.exe read
 * no comment there, and a runner's call in code may follow one. A
 * segment cut by a `(` that follows a name (`VALUES (`, `subprocess.run(`)
 * is a call's arguments in code: the name is its caller. The whole text of
 * an outermost call whose caller `runs` says runs what it is given is kept
 * too, line breaks and inner calls in it (`subprocess.run(\n  ["thoth",\n
 * "approvals", …]\n)`), since code writes a call's arguments across lines;
 * so is that of an outermost call of another name, or of one nested in a
 * call (`print(p(\n  ["thoth", …]))`) none of whose own calls was taken so,
 * once `runsSpan` says,
 * given where its text starts and ends, that it runs it (a name a runner
 * was given, asked only of a text that may hold a command).
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
import { backtickInCode, commentedPair } from "./backtick_in_code.ts";
import { codeSigns } from "./js_code_signs.ts";
import { opensGroup } from "./shell_word_patterns.ts";
import { CallTexts, type SpanKind } from "./call_texts.ts";
import { HeredocBodies } from "./heredoc_bodies.ts";
import { parameterClose } from "./parameter_close.ts";
import {
  assignedBefore,
  assignmentAt,
  backtickPairEnd,
  callerOf,
  closingParen,
  endsComment,
  extglobEnd,
  inList,
  isNameCode,
  isSpace,
  printsBefore,
} from "./command_text_scans.ts";

/** The word a redirection operator becomes: the word after it is its target. */
export const REDIRECT = "\u0001";

/** The word a comment starts with: the words after it in the segment are not passed. */
export const COMMENT = "\u0002";

/**
 * A `$(…)` or `` `…` `` substitution: its text, and whether it stands where
 * a command word does.
 */
export interface Substitution {
  text: string;
  /**
   * `$(…)` always; a backtick one at the start of a command (after white space
   * and other substitutions only), of an assignment's value (`` x=`…` ``), or
   * in a double-quoted word: any in a shell's script (`shell`), else one
   * that starts a command outside a call's parentheses, a shell's
   * assignment at a command's start or `echo`'s or `printf`'s argument (``
   * "`…`" ``, `` x="`…`" ``, `` echo "x`…`" ``; none in a quoted word read
   * again that no shell reads as a script): run there as `$(…)` is; not
   * where `\` is no escape, as on Windows.
   */
  atCommandWord: boolean;
  /** A backtick one in code, as `backtick_in_code.ts` reads it (`` out = `…` ``). */
  inCode: boolean;
  /**
   * Whether what it prints may be run: a `$(…)` at the start of a command
   * (`$(echo thoth …)`) or at the start of a double-quoted word, which may
   * be a script (`sh -c "$(echo …)"`); for a backtick one, as
   * `atCommandWord`, and in a double-quoted word as for `$(…)`.
   */
  leads: boolean;
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
  /**
   * The text between the parentheses of each outermost call that runs what
   * it is given (see `runs` and `runsSpan` of {@linkcode commandSegments}),
   * as written; to the text's end when it is not closed. Three at most over
   * any character, so linear in all.
   */
  calls: string[];
  /** For each of {@linkcode CommandSegments.calls}, its caller's name (`subprocess.run`). */
  callNames: string[];
}

/**
 * See the module's documentation. `runs` tells whether a call of that name
 * (`subprocess.run`) runs what it is given, for {@linkcode CommandSegments.calls};
 * `shell`, whether the text is a POSIX shell's script, in which every
 * backtick pair runs (but in a quoted here-document's body, `heredoc_bodies.ts`).
 */
export function commandSegments(
  text: string,
  backslashEscapes: boolean,
  comments = true,
  runs: (caller: string) => boolean = () => false,
  runsSpan: (caller: string, start: number, end: number, kind: SpanKind) => boolean = () => false,
  shell = false,
): CommandSegments {
  const segments: string[] = [];
  const callers: string[] = [];
  const substitutions: Substitution[] = [];
  // The texts of the calls taken whole, read at each `(` and `)` (see `call_texts.ts`).
  const calls = new CallTexts(text, runs, runsSpan);
  let current = "";
  let caller = "";
  let double = false;
  // Whether a word starts here: at a command's start, after unescaped white space or an
  // operator. Kept as a flag, never read back from `current`, so that the pass stays linear.
  let wordStart = true;
  // Whether `current` holds white space and substitutions only (the ` `` ` before a fenced block's text).
  let placeholders = true;
  // Whether the open double quote started a word (`sh -c "$(…)"`), where it is, and whether a
  // backtick pair in it runs (asked at its first pair).
  let quotedAtStart = false;
  let quoteAt = -1;
  let quoteRuns: boolean | undefined;
  // Where the word now read starts, and whether the command's words before it are assignments
  // only (`a=1 b="`…`"`): each word checked once, when it ends.
  let wordBegin = 0;
  let leading = true;
  // In a shell's script: the bodies of here-documents with a quoted delimiter (`<<'EOF'`).
  const heredocs = new HeredocBodies();
  // Whether a backtick pair sits in a comment for sure (a line's own `#` or `//` one, a `/* … */`
  // one that opens the line): no code's then. Asked of the pairs in order.
  const commented = commentedPair(text);
  // Whether the text shows signs of JavaScript code: searched once, when a pair asks.
  const signs = codeSigns(text);
  const n = text.length;
  const cut = (next = "") => {
    segments.push(current);
    callers.push(caller);
    current = "";
    caller = next;
    wordStart = true;
    placeholders = true;
    leading = true;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (wordStart && !isSpace(c)) wordBegin = i;
    if (c === 92 && backslashEscapes) {
      current += text.slice(i, i + 2);
      i += 2;
      wordStart = false;
      placeholders = false;
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
      wordStart = false;
      placeholders = false;
      continue;
    }
    if (c === 34) {
      if (!double) {
        quotedAtStart = wordStart;
        quoteAt = i;
        // At a command's start outside a call's parentheses (`"`…`"`), or anywhere in a shell's
        // script: its backtick pairs run.
        const script = shell && !heredocs.unexpanded(i);
        quoteRuns = script || (comments && placeholders && caller === "") ? true : undefined;
      }
      double = !double;
      current += '"';
      i++;
      wordStart = false;
      placeholders = false;
      continue;
    }
    if (c === 36 && text.charCodeAt(i + 1) === 40) {
      // $(…): a command text of its own; `${_}` here (braced: a name may follow, `$(true)list`).
      const close = closingParen(text, i + 2);
      substitutions.push({
        text: text.slice(i + 2, close),
        atCommandWord: true,
        inCode: false,
        leads: double ? quotedAtStart && text.charCodeAt(i - 1) === 34 : placeholders,
        backtick: false,
      });
      current += "${_}";
      i = close + 1;
      wordStart = false;
      continue;
    }
    if (c === 96) {
      const { close, lines } = backtickPairEnd(text, i, backslashEscapes);
      // In a double-quoted word a shell runs it as `$(…)` (where `\` escapes: not on Windows), read
      // where the word may be run or printed, as a pair outside quotes is (not in prose's quote).
      if (double) {
        quoteRuns ??= comments && caller === "" &&
          (leading && assignedBefore(text, quoteAt) || printsBefore(text, quoteAt));
      }
      const quoted = double && backslashEscapes && quoteRuns === true;
      const atCommandWord = quoted || (!double && (placeholders || assignedBefore(text, i)));
      substitutions.push({
        text: text.slice(i + 1, close),
        atCommandWord,
        inCode: !double && !(comments && commented(i, close)) &&
          backtickInCode(text, i, close, signs),
        leads: quoted ? quotedAtStart && text.charCodeAt(i - 1) === 34 : atCommandWord,
        backtick: true,
      });
      // An unclosed pair is no substitution a shell runs (it refuses the command); one across
      // lines right after a word's character and before `,;.)]}` closes a template or a code span
      // (`list\`,`): an ordinary character, so that the word never vanishes into the one before.
      const closes = lines && isNameCode(text.charCodeAt(i - 1)) &&
        ",;.)]}".includes(text[i + 1]!);
      current += close < n && !closes ? "${_}" : "\uFFFD";
      i = close + 1;
      wordStart = false;
      continue;
    }
    if (c === 36 && text.charCodeAt(i + 1) === 123) {
      // ${…}: one word, its braces no group; a quoted `}` in them is no close.
      const close = parameterClose(text, i + 2);
      const end = close === -1 ? n : close + 1;
      current += text.slice(i, end);
      i = end;
      wordStart = false;
      placeholders = false;
      continue;
    }
    if (double) {
      current += text[i];
      i++;
      continue;
    }
    if (c === 35 && comments && wordStart) {
      // A comment: its plain text as written, up to where a command may start again.
      let j = i + 1;
      while (
        j < n && !endsComment(text.charCodeAt(j)) &&
        !(text.charCodeAt(j) === 36 && text.charCodeAt(j + 1) === 40)
      ) j++;
      current += ` ${COMMENT} ${text.slice(i + 1, j)}`;
      i = j;
      wordStart = false;
      placeholders = false;
      continue;
    }
    if (c === 62 || c === 60) {
      // A redirection (`<<<` is one): a single-digit fd glued before it is dropped, `&` or `|`
      // after it kept in.
      let j = i + 1;
      while (
        j < n && (text.charCodeAt(j) === 62 || text.charCodeAt(j) === 60 ||
          text.charCodeAt(j) === 38 || text.charCodeAt(j) === 124)
      ) j++;
      if (shell) heredocs.redirect(text, i, j);
      current += ` ${REDIRECT} `;
      i = j;
      wordStart = true;
      placeholders = false;
      continue;
    }
    if (c === 38 && text.charCodeAt(i + 1) === 62) {
      // &> and &>>: a redirection.
      i++;
      continue;
    }
    const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
    if (c === 40 && opensGroup(prev)) {
      // An extglob group (`@(thoth|x)`): part of its word; one not read as written (a quote, `\`
      // or `$` in it) or past the bound may be any name: `(*)`.
      const { end, exact } = extglobEnd(text, i);
      if (end !== -1) {
        current += exact ? text.slice(i, end) : "(*)";
        i = end;
        wordStart = false;
        placeholders = false;
        continue;
      }
    }
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 10;
    // A quoted here-document's body is not expanded: no backtick pair in its double quotes runs.
    if (c === 10 && shell) heredocs.lineEnd(text, i);
    if (
      c === 10 || c === 13 || c === 59 || c === 38 || c === 124 || c === 40 || c === 41 ||
      (c === 123 && isSpace(next) && (isSpace(prev) || prev === 59) && !inList(text, i)) ||
      (c === 125 && (isSpace(prev) || prev === 59) &&
        (isSpace(next) || next === 59 || next === 41 || next === 124 || next === 38))
    ) {
      const name = c === 40 ? callerOf(current) : "";
      if (c === 40) calls.open(i, name);
      else if (c === 41) calls.close(i);
      cut(name);
      i++;
      continue;
    }
    if (
      c >= 48 && c <= 57 && (i + 1 < n && (next === 62 || next === 60)) &&
      (current.length === 0 || isSpace(prev))
    ) {
      // A single-digit file descriptor before a redirection (`2>`): dropped.
      i++;
      continue;
    }
    current += text[i];
    i++;
    if (isSpace(c) && !wordStart && leading) leading = assignmentAt(text, wordBegin);
    wordStart = isSpace(c);
    if (!wordStart) placeholders = false;
  }
  cut();
  // Calls left open run to the text's end.
  calls.end();
  return { segments, callers, substitutions, calls: calls.calls, callNames: calls.callNames };
}
