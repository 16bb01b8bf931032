/**
 * Whether a text, or one command's words, run one of thoth's approval
 * commands, read as a shell reads them, for `approval_commands.ts` (which
 * documents what counts): cut into simple commands (`command_segments.ts`),
 * each command's words past prefixes and options that start a command
 * (`approval_command_simple.ts`), what a remote shell runs
 * (`ssh_remote_command.ts`), words and substitutions read again as texts a
 * bounded number of times, and runners' calls in code, perl's `qx{…}` and
 * `open` with a pipe (`approval_command_code.ts`, `pipe_open_commands.ts`);
 * a text read first is read again with code's forms written as the plain
 * ones (`code_forms_read.ts`). Pure.
 *
 * @example
 * ```ts
 * textRuns("cd /tmp && thoth approvals approve k3f9x2qa", MAX_DEPTH); // true
 * commandRuns(["sh", "-c", "thoth approvals list"], MAX_DEPTH, false); // true
 * remoteListRuns(["localhost", "thoth approvals", "list"], "ssh"); // true
 * textRuns("grep 'thoth approvals list' notes.md", MAX_DEPTH); // false
 * ```
 */
import { codeEscapesRead, gated, nestedSpanGate, spanGate } from "./approval_command_escapes.ts";
import {
  bareRunnerLists,
  callsBareRunner,
  codeLists,
  quotedCommands,
} from "./approval_command_code.ts";
import {
  argv0Call,
  getattrRead,
  lastName,
  runnerAliases,
  runnerName,
  takesData,
} from "./runner_names.ts";
import {
  commandWords,
  expandedWords,
  lastPart,
  namesThoth,
  scriptTexts,
  simpleRuns,
} from "./approval_command_simple.ts";
import { optionCommandRuns } from "./approval_command_options.ts";
import { isPattern, unmarked } from "./shell_word_patterns.ts";
import { codeFormsRead } from "./code_forms_read.ts";
import { commandSegments } from "./command_segments.ts";
import { pipeOpenCommands } from "./pipe_open_commands.ts";
import { shellWords } from "./shell_words.ts";
import { PATTERN_MARK, withoutMarks } from "./pattern_mark.ts";
import { remoteCommands, type RemoteShell, remoteShell } from "./ssh_remote_command.ts";
import {
  COMPOUND,
  DATA_OPTIONS,
  ENTRY_POINT,
  SEARCHERS,
  THOTH_NAME,
} from "./approval_command_words.ts";

/**
 * A string's prefix in code (`f"…"`, `rb'…'`, C's `L"…"`) in a call's
 * arguments: at their start, or after white space, `,`, `[`, `(`, `{`, `=`
 * or `:`.
 */
const STRING_PREFIX = /(^|[\s,[({=:])[bBfFrRuUL]{1,2}(?=['"])/g;

/** How many times a word or substitution with a command in it is read again. */
export const MAX_DEPTH = 4;

/**
 * Whether the words of one simple command run an approval command: at their
 * start (see {@linkcode simpleRuns}), after an option that starts a command
 * (`find -exec … \;`, `cmd /c`, see `approval_command_options.ts`), or in a word with white space and
 * `approvals` in it (`sh -c '…'`, `python -c "…"`, `sh <<< '…'`), read
 * again as a text, `depth` more times at most, unless it is a pattern or a
 * message (`grep "…"`, `git commit -m "…"`). `list`: the words are an
 * argument list (see {@linkcode simpleRuns}); `script`: a runner's call in
 * code.
 *
 * @example
 * ```ts
 * commandRuns(["ssh", "localhost", "thoth", "approvals", "list"], MAX_DEPTH, false); // true
 * commandRuns(["git", "commit", "-m", "thoth approvals list"], MAX_DEPTH, false); // false
 * ```
 */
export function commandRuns(
  written: readonly string[],
  depth: number,
  list: boolean,
  script = false,
): boolean {
  // A brace yields a word per alternative (`thoth {approvals,list}`); past the bounds, one that
  // may supply a word of the command counts.
  const raw = expandedWords(written);
  if (raw === null) return true;
  const words = commandWords(raw, false);
  const { runs, program, at, then, evalAt } = simpleRuns(words, list);
  if (runs) return true;
  if (program !== undefined && SEARCHERS.has(program)) return false;
  // What ssh (autossh, mosh) runs on the other machine, which may be this one (`ssh localhost
  // thoth …`); after a program's word that may vanish, the next one's (`$x ssh host …`).
  let shell = program === undefined ? undefined : remoteShell(program);
  let shellAt = at;
  if (shell === undefined && then !== undefined) {
    shell = remoteShell(then.program);
    shellAt = then.at;
  }
  // mosh's options may come after the host too (`mosh host -ssh ssh thoth …`): they are left out,
  // and kept in (`POSIXLY_CORRECT` set).
  const readings = shell === undefined ? [] : remoteCommands(shell, words, shellAt);
  // Whether the first reading runs another remote shell (`mosh a -- ssh b …`).
  let chainedFirst = false;
  for (let r = 0; r < readings.length; r++) {
    const rest = readings[r]!;
    const next = simpleRuns(rest, false);
    if (next.runs) return true;
    // Read again as a text, its words as written (no pattern mark left in).
    const joined = rest.map(unmarked).join(" ");
    if (!gated(joined)) continue;
    const chained = next.program !== undefined && remoteShell(next.program) !== undefined;
    // A chain of remote shells deeper than the reading goes, `approvals` and a word that may
    // name thoth still ahead: counted.
    if (depth <= 0) {
      if (chained && rest.some(mayNameThoth)) return true;
      continue;
    }
    if (r === 0) chainedFirst = chained;
    // The text the other machine's shell reads: plain words (`ls approvals`) split as they are.
    // The second reading's is cut into commands but read no deeper unless it alone goes on to
    // another remote shell (`mosh a sudo -u x mosh b …`, read as POSIXLY_CORRECT leaves it):
    // read again as deep as the first, the readings of a mosh in a mosh's command would double at
    // each depth. Its words with white space are read again below all the same.
    const deeper = r === 0 || (chained && !chainedFirst);
    if (textRuns(joined, deeper ? depth - 1 : 0, true, true)) return true;
  }
  // `eval` joins its words with spaces and reads them as a script (`eval thoth approvals \$x
  // list`); one word alone is read again below.
  if (depth > 0 && evalAt !== -1 && words.length - evalAt > 1) {
    const script = words.slice(evalAt).map(unmarked).join(" ");
    if (gated(script) && textRuns(script, depth - 1, true, true)) return true;
  }
  if (optionCommandRuns(words)) return true;
  if (depth <= 0) return false;
  const { texts, scripts, shells } = scriptTexts(raw, script);
  for (let k = 0; k < texts.length; k++) {
    const word = texts[k]!;
    if (!COMPOUND.test(word) || !gated(word)) continue;
    const before = k > 0 ? texts[k - 1]! : "";
    if (DATA_OPTIONS.has(before) || /^--(?:message|filter|grep)=/.test(word)) continue;
    if (textRuns(unmarked(word), depth - 1, scripts[k]!, shells[k]!)) return true;
  }
  return false;
}

/**
 * Whether `text`, read as a shell reads it, runs an approval command.
 * `comments` false reads a `#` as data (a quoted word no shell reads as a
 * script). `depth`: how many more times a word or substitution is read again.
 *
 * @example
 * ```ts
 * textRuns("out=$(thoth approvals list --json)", MAX_DEPTH); // true
 * textRuns("see the approvals list", MAX_DEPTH); // false
 * ```
 */
export function textRuns(
  text: string,
  depth: number,
  comments = true,
  shell = false,
): boolean {
  if (readText(text, depth, true, comments, shell)) return true;
  // On Windows `\` separates folders: a text with one is read both ways.
  return text.indexOf("\\") !== -1 && readText(text, depth, false, comments, shell);
}

/**
 * Whether one segment runs an approval command: as a shell's words, or as a
 * list in code. `script`: the segment is a runner's call in code; `argv0`:
 * one whose list holds the program's `argv[0]` (see `ARGV0_CALL`).
 */
function segmentRuns(
  segment: string,
  depth: number,
  backslashEscapes: boolean,
  script: boolean,
  argv0: boolean,
): boolean {
  const words = shellWords(segment, backslashEscapes, true).words;
  if (commandRuns(words, depth, false, script)) return true;
  for (const list of codeLists(segment, argv0)) {
    if (commandRuns(list, depth, false, script)) return true;
  }
  return false;
}

/**
 * Whether some list that `lists` finds in `code`, as written or with its
 * strings' escapes read (`'\x61pprovals'`), runs an approval command.
 */
function codeListsRun(
  code: string,
  lists: (code: string, argv0: boolean) => string[][],
  depth: number,
  argv0 = false,
): boolean {
  for (const list of lists(code, argv0)) if (commandRuns(list, depth, false, true)) return true;
  const decoded = codeEscapesRead(code);
  if (decoded === code) return false;
  for (const list of lists(decoded, argv0)) if (commandRuns(list, depth, false, true)) return true;
  return false;
}

/**
 * Whether `text` runs an approval command as {@linkcode textRuns} reads it,
 * or read again with code's forms written as the plain ones (`(e :=
 * os.execvp)(…)`, `shutil.which('thoth')`, `_T("…")`, see
 * `code_forms_read.ts`): a second reading, never one in the place of the
 * text's, since what a form's expression passes over may be a shell's
 * command. For a text read first (an argument's string), not for one read
 * again inside it: the forms are written once over the whole text, so the
 * work does not double at each depth. A text with U+0003 in it is also
 * read with it as a line break: Ctrl-C typed into a terminal drops the
 * line typed so far.
 *
 * @example
 * ```ts
 * textOrFormsRun("os.execv(shutil.which('thoth'), ['x', 'approvals', 'list'])", MAX_DEPTH); // true
 * textOrFormsRun("x=$(thoth approvals list; echo , 'thoth')", MAX_DEPTH); // true
 * ```
 */
export function textOrFormsRun(text: string, depth: number, shell = false): boolean {
  if (textOrFormsRead(text, depth, shell)) return true;
  // U+0003 typed into a terminal (Ctrl-C) drops the line typed so far: a command starts after it.
  return text.indexOf(PATTERN_MARK) !== -1 &&
    textOrFormsRead(text.replaceAll(PATTERN_MARK, "\n"), depth, shell);
}

/** {@linkcode textOrFormsRun}'s reading of one text. */
function textOrFormsRead(text: string, depth: number, shell: boolean): boolean {
  if (textRuns(text, depth, true, shell)) return true;
  // `getattr(os, 'execvp')` first, as each reading does: `(e := getattr(os, 'execvp'))(…)`.
  const named = getattrRead(text);
  const forms = codeFormsRead(named);
  return forms !== named && textRuns(forms, depth, true, shell);
}

/** {@linkcode textRuns} with `\` read as an escape or not. */
function readText(
  written: string,
  depth: number,
  backslashEscapes: boolean,
  comments: boolean,
  shell: boolean,
): boolean {
  // Python's `getattr(os, 'execvp')` read as `os.execvp`; the defaults it leaves out read on
  // their own, each apart from the rest (the work does not double).
  const defaults: string[] = [];
  // A pattern mark in the text is an ordinary character (see `pattern_mark.ts`).
  const text = getattrRead(withoutMarks(written), defaults);
  for (const left of defaults) if (gated(left) && textRuns(left, depth)) return true;
  // The names the text gives a runner (`p = os.popen`, also `(e := os.execvp)`): found once, and
  // only when a call of another name holds the word (see `gated`).
  let names: Map<string, boolean> | undefined;
  const aliases = (): Map<string, boolean> => names ??= runnerAliases(text);
  // Those that may take an `argv[0]` apart: none in a text without `exec` or `spawn`.
  let argv0Names: ReadonlyMap<string, boolean> | undefined;
  const argv0Aliases = (): ReadonlyMap<string, boolean> =>
    argv0Names ??= text.indexOf("exec") === -1 && text.indexOf("spawn") === -1
      ? NO_NAMES
      : aliases();
  // Outermost calls come in order, never overlapping; nested ones in any order.
  const holds = spanGate(text);
  const holdsNested = nestedSpanGate(text);
  const { segments, callers, substitutions, calls, callNames } = commandSegments(
    text,
    backslashEscapes,
    comments,
    (caller) => runnerName(lastName(caller)),
    (caller, start, end, kind) =>
      (kind === "outer" ? holds(start, end) : holdsNested(start, end, kind === "innermost")) &&
      !takesData(caller, aliases),
    shell,
  );
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const caller = callers[i]!;
    if (!gated(segment) || takesData(caller, aliases)) continue;
    const script = caller !== "";
    const argv0 = script && argv0Call(caller, argv0Aliases);
    // A runner's call in code: its strings' prefixes (`f"…"`, `r'…'`) are the language's.
    const body = script ? segment.replace(STRING_PREFIX, "$1") : segment;
    if (segmentRuns(body, depth, backslashEscapes, script, argv0)) return true;
    // A runner's call in code: its strings' escapes (`'\x61pprovals'`) are the language's.
    if (script && segment.indexOf("\\") !== -1) {
      const decoded = codeEscapesRead(body);
      if (decoded !== body && segmentRuns(decoded, depth, backslashEscapes, script, argv0)) {
        return true;
      }
    }
  }
  // A runner's call whole, its lists written across lines (`subprocess.run(\n  ["thoth",\n …`).
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i]!;
    const argv0 = argv0Call(callNames[i]!, argv0Aliases);
    if (gated(call) && codeListsRun(call, codeLists, depth, argv0)) return true;
  }
  // A runner called without parentheses, its list written across lines too (`system "thoth",\n
  // "approvals", …`): read over the whole text at once.
  if (callsBareRunner(text) && codeListsRun(text, bareRunnerLists, depth)) return true;
  if (depth <= 0) return false;
  // Perl's `qx{…}` and ruby's `%x[…]` run their text as backticks do.
  for (const command of quotedCommands(text)) {
    if (gated(command) && textRuns(command, depth - 1)) return true;
  }
  // Perl's and ruby's `open` with a pipe (`open($fh, '-|', 'thoth', …)`, `open(FH, "… |")`).
  const opened = pipeOpenCommands(text);
  for (const list of opened.lists) if (commandRuns(list, depth, false, true)) return true;
  for (const command of opened.texts) {
    if (gated(command) && textRuns(command, depth - 1)) return true;
  }
  for (const sub of substitutions) {
    // A backtick in prose (`run \`thoth approvals list\` in a terminal`) is markdown, not a
    // command; in code (`` out = `…` ``, `` puts `…` ``) it runs.
    if (sub.backtick && !sub.atCommandWord && !sub.inCode) continue;
    if (!gated(sub.text)) continue;
    if (textRuns(sub.text, depth - 1, true, shell || !sub.inCode)) return true;
    // What it prints is run where it starts a command: `sh -c "$(echo thoth approvals …)"`.
    const printed = sub.leads ? ECHOED.exec(sub.text)?.[1] : undefined;
    if (printed !== undefined && textRuns(printed, depth - 1)) return true;
  }
  return false;
}

/**
 * Whether `word` names thoth (see `THOTH_NAME`, also thoth's `mod.ts`), or
 * may name it once a shell reads it again: a quote, `\`, `$`, a backtick
 * or white space in it, or a pattern that may expand to it (`th?th`).
 */
function mayNameThoth(word: string): boolean {
  if (isPattern(word) && namesThoth(word, true)) return true;
  const last = lastPart(unmarked(word));
  return THOTH_NAME.test(last) || ENTRY_POINT.test(last) || /[\s'"`$\\]/.test(word);
}

/** No names given a runner. */
const NO_NAMES: ReadonlyMap<string, boolean> = new Map();

/** A command that prints its arguments (`echo`, `echo -n`, `printf`), and its arguments. */
const ECHOED = /^\s*(?:echo|printf)(?:\s+-[neE]+)*\s+([^]*)$/;

/**
 * Whether `list`, the arguments of ssh (or of `shell`, another such), runs
 * an approval command on the other machine: ssh joins the words after the
 * destination with spaces and hands them to a shell there, so they are read
 * as one command text (`["host", "thoth approvals", "approve x"]`,
 * `["host", "true;", "thoth", …]`); mosh's without its options after the
 * host.
 *
 * @example
 * ```ts
 * remoteListRuns(["-p", "22", "host", "true;", "thoth", "approvals", "list"], "ssh"); // true
 * remoteListRuns(["host", "-ssh", "ssh", "thoth", "approvals", "list"], "mosh"); // true
 * remoteListRuns(["host", "ls", "approvals"], "ssh"); // false
 * ```
 */
export function remoteListRuns(list: readonly unknown[], shell: RemoteShell): boolean {
  if (!list.every((item) => typeof item === "string")) return false;
  const words = (list as readonly string[]).map(withoutMarks);
  for (const rest of remoteCommands(shell, words, -1)) {
    // Read again as a text, its words as written (no pattern mark left in).
    const joined = rest.map(unmarked).join(" ");
    if (!gated(joined)) continue;
    if (commandRuns(rest, MAX_DEPTH, false) || textOrFormsRun(joined, MAX_DEPTH - 1, true)) {
      return true;
    }
  }
  return false;
}
