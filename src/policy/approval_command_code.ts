/**
 * Calls in code, for the approval-command reading (`approval_commands.ts`):
 * whether a call's arguments are data (`VALUES ('…')`, `print('…')`) or
 * what a runner runs (`subprocess.run(`, `execFileSync(`, `new
 * Deno.Command(`, `Process.Start(`, `Runtime.getRuntime().exec(`, see
 * {@linkcode RUNNER_CALL}, or a name a runner was given in the same text:
 * `p = os.popen`, `from subprocess import run as r`), the words a run of
 * quoted strings in code stands for (also after perl's and ruby's `system`
 * or `exec` called without parentheses), and the commands of perl's `qx{…}`
 * and ruby's `%x[…]`. Pure and linear in the text.
 *
 * @example
 * ```ts
 * codeLists(`"thoth", { args: ["approvals", "list"] }`);
 * // [["thoth", "approvals", "list"]]
 * codeLists(`"thoth", "approvals approve k3f9x2qa"`);
 * // [["thoth", "approvals", "approve", "k3f9x2qa"]]
 * bareRunnerLists(`my $rc = system "thoth",\n  "approvals", "approve", $id`);
 * // [["thoth", "approvals", "approve"]]
 * quotedCommands("my $out = qx{thoth approvals list};"); // ["thoth approvals list"]
 * ```
 */
import { lastPart } from "./approval_command_simple.ts";
import { LIST_ITEM, RUNNER_CALL, THOTH_NAME } from "./approval_command_words.ts";

/** A name given a value (`p = os.popen`, `r := exec.Command`): the name and what it is given. */
const ASSIGNED_NAME = /(?<![\w$])([A-Za-z_$][\w$]*)[ \t]*(?::=|=(?![=>]))[ \t]*([^;\n]*)/g;

/** A name a runner is imported as (`from subprocess import run as r`, `{ execSync: r }`). */
const IMPORTED_NAME =
  /(?<![\w$])([A-Za-z_$][\w$]*)(?:[ \t]+as[ \t]+|[ \t]*:[ \t]*)([A-Za-z_$][\w$]*)/g;

/** Whether `name`, the last part of a call's name (after `.` or `:`), is a runner's. */
export function runnerName(name: string): boolean {
  return RUNNER_CALL.test(name);
}

/** The last part of a dotted name (`os.popen` → `popen`). */
export function lastName(caller: string): string {
  return caller.slice(Math.max(caller.lastIndexOf("."), caller.lastIndexOf(":")) + 1);
}

/**
 * The names `text` gives a runner: `p = os.popen`, `run_it = subprocess.run`,
 * `const r = require("child_process").execSync`, `from subprocess import
 * run as r`, `{ execSync: r }`. Wide: a value that holds a runner's word
 * counts.
 */
export function runnerAliases(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(ASSIGNED_NAME)) {
    const value = m[2]!;
    for (const word of value.split(/[^\w$]+/)) {
      if (word !== "" && runnerName(word)) {
        names.add(m[1]!);
        break;
      }
    }
  }
  for (const m of text.matchAll(IMPORTED_NAME)) {
    if (runnerName(m[1]!)) names.add(m[2]!);
  }
  return names;
}

/**
 * Whether a segment's text is the arguments of a call in code that takes
 * data (`VALUES ('…')`, `print('…')`), not of one that runs them
 * (`subprocess.run(`, a name in `aliases`) or a subshell's `(`.
 */
export function takesData(caller: string, aliases: () => ReadonlySet<string>): boolean {
  if (caller === "") return false;
  const name = lastName(caller);
  return !runnerName(name) && !aliases().has(caller) && !aliases().has(name);
}

/**
 * A runner called without parentheses, its list after it: perl's `system
 * "thoth", "approvals", …` and `exec 'thoth', …`, ruby's `system 'thoth',
 * …` and `Kernel.spawn`, Rake's `sh`, IPC::System::Simple's `systemx`; and
 * perl's `exec { 'thoth' } 'x', …` and `system { … }`, the program in the
 * block, then the list from its `argv[0]`.
 */
const BARE_RUNNER =
  /(?<![\w$@%])(?:(?:system|exec)[ \t]*\{[ \t]*|(?:system|exec|spawn|systemx|capturex|sh)[ \t]+)(?=['"])/g;

/**
 * The last part of the name of a call whose list holds the program's own
 * `argv[0]` after the program: the `exec*l*`, `exec*v*`, `spawn*l*` and
 * `spawn*v*` families (`os.execlp`, C's `execl`, `_spawnv`), whose second
 * string is `argv[0]`, whatever it says. Not `execFile`, `spawnSync`,
 * `execvp` in a list built elsewhere aside.
 */
export const ARGV0_CALL = /^_?(?:exec|spawn)[lv]p?e?$/;

/** A runner called without parentheses, as an item of a list (see {@linkcode BARE_RUNNER}). */
const BARE_RUNNER_NAME = /^(?:system|exec|spawn|systemx|capturex|sh)$/;

/**
 * Adds to `lists` the run of quoted strings and names (as `$_`) at `from`
 * in `segment` (see {@linkcode codeLists}), starting over after a runner's
 * name (`ok = system "thoth", …`); returns where the run ended.
 */
function listsFrom(
  segment: string,
  from: number,
  lists: string[][],
  lines: boolean,
  argv0: boolean,
): number {
  let words: string[] = [];
  let end = from;
  // With `lines`, whether a `,` came since the last item: a line break ends the list otherwise
  // (ruby's statement ends there: `system 'make'\nputs '…'`).
  let comma = false;
  LIST_ITEM.lastIndex = from;
  for (;;) {
    const m = LIST_ITEM.exec(segment);
    if (m === null || m[0] === "") {
      // A comment between items of a list written across lines (`"thoth",  # the CLI`).
      const next = pastComment(segment, end);
      if (next === -1) break;
      if (lines) comma ||= segment.slice(end, next).split("#")[0]!.split("//")[0]!.includes(",");
      end = next;
      LIST_ITEM.lastIndex = next;
      continue;
    }
    if (lines) {
      const line = m[0].indexOf("\n");
      if (line !== -1 && !comma && m[0].lastIndexOf(",", line) === -1) break;
      comma = false;
    }
    end = LIST_ITEM.lastIndex;
    if (m[3] !== undefined && BARE_RUNNER_NAME.test(lastName(m[3]))) {
      addList(words, lists, argv0);
      argv0 = false;
      words = [];
    } else words.push(m[1] ?? m[2] ?? "$_");
  }
  addList(words, lists, argv0);
  return end;
}

/**
 * Where the line of a `#` or `//` comment at `from` in `text` ends, past
 * the separators of a list before it (white space, `,`, brackets), or -1
 * for no comment there, or none that ends.
 */
function pastComment(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (
      !(c === 32 || (c >= 9 && c <= 13) || c === 44 || c === 91 || c === 93 || c === 123 ||
        c === 125)
    ) {
      break;
    }
    i++;
  }
  const c = text.charCodeAt(i);
  if (c !== 35 && !(c === 47 && text.charCodeAt(i + 1) === 47)) return -1;
  return text.indexOf("\n", i);
}

/**
 * Adds `words` to `lists` where three or more, or two, the second with white
 * space in it (`['powershell', 'thoth approvals list']`, read again as a
 * text); also with each word split at white space, where three or more.
 * With `argv0` (a call whose list holds the program's own `argv[0]` after
 * the program, see {@linkcode ARGV0_CALL}), also without the second,
 * whatever it says, when the first names thoth (`os.execlp("thoth", "x",
 * "approvals", …)`, `execl("/usr/bin/thoth", "thoth.real", …)`, perl's
 * `exec { 'thoth' } 'x', …`), or without the first when the second names
 * the same program again (`os.execlp("env", "env", "thoth", …)`).
 */
function addList(words: string[], lists: string[][], argv0: boolean): void {
  if (words.length >= 3 || (words.length === 2 && /\s/.test(words[1]!))) lists.push(words);
  if (argv0 && words.length >= 4) {
    const program = lastPart(words[0]!);
    if (THOTH_NAME.test(program)) lists.push([words[0]!, ...words.slice(2)]);
    else if (program === lastPart(words[1]!)) lists.push(words.slice(1));
  }
  if (words.some((word) => /\s/.test(word))) {
    const split = words.flatMap((word) => word.split(/\s+/).filter((part) => part !== ""));
    if (split.length >= 3) lists.push(split);
  }
}

/**
 * The run of quoted strings (and names, as `$_`) a segment of code starts
 * with, read as a command's words: as written (`'thoth',['approvals',…]`,
 * past `{`, `}`, line breaks, a key's `args:` and `new String[]`) and, when
 * a string holds white space, with each string split at it
 * (`Process.Start("thoth", "approvals approve ID")`). Only runs of three
 * words or more, or of two whose second holds white space (see
 * {@linkcode addList}); `argv0`: the call's list holds the program's
 * `argv[0]` ({@linkcode ARGV0_CALL}). Each character is read once.
 */
export function codeLists(segment: string, argv0 = false): string[][] {
  if (segment.indexOf(",") === -1) return [];
  const lists: string[][] = [];
  listsFrom(segment, 0, lists, false, argv0);
  const past = pastLeadingArgument(segment);
  if (past !== -1) listsFrom(segment, past, lists, false, argv0);
  return lists;
}

/** A name as a call's first argument: `ctx`, `env`, `os.P_WAIT`, perl's `$env` and `\%ENV`. */
const LEADING_NAME = /\s*\\?[$%@]?[A-Za-z_][\w.:]*\s*,/y;

/**
 * Where a runner's list starts past a first argument that is no string
 * (`exec.CommandContext(ctx, "thoth", …)`, ruby's `system(env, "thoth", …)`,
 * `system({"PATH" => "/bin"}, "thoth", …)`, `os.spawnlp(os.P_WAIT, …)`): a
 * name, or a `{…}` written on the call's text (quotes read, brackets
 * nested), then `,`; or -1 for none. Reads the first argument only.
 */
function pastLeadingArgument(segment: string): number {
  LEADING_NAME.lastIndex = 0;
  if (LEADING_NAME.test(segment)) return LEADING_NAME.lastIndex;
  let i = 0;
  while (i < segment.length && /\s/.test(segment[i]!)) i++;
  if (segment.charCodeAt(i) !== 123) return -1;
  let depth = 0;
  for (; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c === 34 || c === 39) {
      // A string in it, `\` escaping one character.
      let j = i + 1;
      while (j < segment.length && segment.charCodeAt(j) !== c) {
        j += segment.charCodeAt(j) === 92 ? 2 : 1;
      }
      i = j;
    } else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) break;
  }
  if (i >= segment.length) return -1;
  i++;
  while (i < segment.length && /\s/.test(segment[i]!)) i++;
  return segment.charCodeAt(i) === 44 ? i + 1 : -1;
}

/**
 * Whether `text` calls a runner without parentheses somewhere (see
 * {@linkcode BARE_RUNNER}): a cheap test before {@linkcode bareRunnerLists}
 * and the reading of a whole text's escapes for it.
 */
export function callsBareRunner(text: string): boolean {
  BARE_RUNNER.lastIndex = 0;
  const found = BARE_RUNNER.test(text);
  BARE_RUNNER.lastIndex = 0;
  return found;
}

/**
 * The runs of quoted strings that follow a runner called without
 * parentheses anywhere in `text` (`system "thoth",\n  "approvals", …`), read
 * as {@linkcode codeLists} reads them: over the whole text, since such a
 * list is written across lines too. One pass: each search starts where the
 * last run ended.
 */
export function bareRunnerLists(text: string): string[][] {
  if (text.indexOf(",") === -1) return [];
  const lists: string[][] = [];
  let end = 0;
  BARE_RUNNER.lastIndex = 0;
  for (;;) {
    BARE_RUNNER.lastIndex = Math.max(BARE_RUNNER.lastIndex, end);
    const m = BARE_RUNNER.exec(text);
    if (m === null) break;
    // Perl's `exec { 'thoth' } 'x', …`: the block names the program, the list starts at `argv[0]`.
    end = listsFrom(text, m.index + m[0].length, lists, true, m[0].indexOf("{") !== -1);
  }
  return lists;
}

/**
 * Perl's `qx` and ruby's `%x` before their delimiter (`qx{`, `qx (`, `qx'`,
 * `%x[`, `%x|`); ruby's quote-like delimiters only, so that a format's `"%x"`
 * is none. Also perl's `qw` list after `system` or `exec` (`system
 * qw(thoth …)`, `exec(qw{…})`), whose words are a command's.
 */
const QUOTED_COMMAND =
  /(?<![\w$@%&])qx[ \t]*([^\w\s])|%x([([{<|!/^~])|(?<![\w$@%&])(?:system|exec)[ \t]*(?:\([ \t]*)?qw[ \t]*([^\w\s])/g;

/** The closing delimiter of each opening bracket. */
const CLOSING: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}", "<": ">" };

/**
 * The commands of perl's `qx{…}` (any delimiter), ruby's `%x(…)` and
 * perl's `system qw(…)` in `text`, which run them as backticks do (`qw` its
 * words): each up to its closing delimiter
 * (the same bracket nested counts), `\` escaping one character, or to the
 * text's end. One pass: the search goes on past each command.
 */
export function quotedCommands(text: string): string[] {
  const commands: string[] = [];
  QUOTED_COMMAND.lastIndex = 0;
  for (;;) {
    const m = QUOTED_COMMAND.exec(text);
    if (m === null) break;
    const open = m[1] ?? m[2] ?? m[3]!;
    const close = CLOSING[open] ?? open;
    const openCode = open.charCodeAt(0);
    const closeCode = close.charCodeAt(0);
    const start = m.index + m[0].length;
    let depth = 1;
    let i = start;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 92) i++;
      else if (c === closeCode && --depth === 0) break;
      else if (c === openCode && openCode !== closeCode) depth++;
      i++;
    }
    commands.push(text.slice(start, Math.min(i, text.length)));
    QUOTED_COMMAND.lastIndex = Math.min(i + 1, text.length);
  }
  return commands;
}
