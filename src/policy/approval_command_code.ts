/**
 * Calls in code, for the approval-command reading (`approval_commands.ts`):
 * the words a run of quoted strings in a runner's call stands for (which
 * calls are runners' and which take data: `runner_names.ts`), also after
 * perl's and ruby's `system` or `exec` called without parentheses, and the
 * commands of perl's `qx{…}` and ruby's `%x[…]`. Pure and linear in the
 * text.
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
import { LIST_ITEM, THOTH_NAME } from "./approval_command_words.ts";
import { lastName } from "./runner_names.ts";

/**
 * A runner called without parentheses, its list after it: perl's `system
 * "thoth", "approvals", …` and `exec 'thoth', …`, ruby's `system 'thoth',
 * …` and `Kernel.spawn`, Rake's `sh`, IPC::System::Simple's `systemx`; and
 * perl's `exec { 'thoth' } 'x', …` and `system { … }`, the program in the
 * block, then the list from its `argv[0]`.
 */
const BARE_RUNNER =
  /(?<![\w$@%])(?:(?:system|exec)[ \t]*\{[ \t]*|(?:system|exec|spawn|systemx|capturex|sh)[ \t]+)(?=['"]|\[[ \t]*['"])/g;

/** A runner called without parentheses, as an item of a list (see {@linkcode BARE_RUNNER}). */
const BARE_RUNNER_NAME = /^(?:system|exec|spawn|systemx|capturex|sh)$/;

/**
 * Adds to `lists` the run of quoted strings and names (as `$_`) at `from`
 * in `segment` (see {@linkcode codeLists}), starting over after a runner's
 * name (`ok = system "thoth", …`); returns where the run ended. A run that
 * opens with a pair in brackets is ruby's `[program, argv0]`
 * (`exec(['thoth', 'x'], 'approvals', …)`): read as `argv0` says.
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
  // Whether the items so far are ruby's `[program, argv0]` pair and what follows it.
  let pair = false;
  // The words without strings given as a key's value after the first (`chdir: '/'`), and
  // whether there were any.
  let plain: string[] = [];
  let valued = false;
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
      addLists(words, valued ? plain : undefined, lists, argv0 || pair);
      argv0 = false;
      words = [];
      plain = [];
      valued = false;
    } else {
      const word = m[1] ?? m[2];
      if (word !== undefined && words.length > 0 && keyedAt(segment, end - word.length - 2)) {
        valued = true;
      } else plain.push(word ?? "$_");
      if (words.length < 3) {
        // What stands before the item: `[` before the first, none before the second, `]` before
        // the third.
        const before = m[0].slice(
          0,
          m[0].length - (word === undefined ? m[3]!.length : word.length + 2),
        );
        const opens = before.indexOf("[") !== -1;
        const closes = before.indexOf("]") !== -1;
        if (words.length === 0) pair = opens && !closes;
        else if (words.length === 1) pair &&= !opens && !closes;
        else pair &&= closes;
      }
      words.push(word ?? "$_");
    }
  }
  addLists(words, valued ? plain : undefined, lists, argv0 || (pair && words.length >= 3));
  return end;
}

/**
 * Whether the string that opens at `quote` in `text` is a key's value
 * (`chdir: '/'`, `cwd='/'`, `cwd=r'/'`): a `:` or `=` before it, past
 * white space and a string's prefix.
 */
function keyedAt(text: string, quote: number): boolean {
  let i = quote;
  while (i > 0 && quote - i < 2 && STRING_PREFIX_LETTERS.includes(text[i - 1]!)) i--;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  const c = text.charCodeAt(i - 1);
  return c === 58 || c === 61;
}

/** The letters of a string's prefix that {@linkcode LIST_ITEM} reads (`f"…"`, `rb'…'`, `L"…"`). */
const STRING_PREFIX_LETTERS = "bBfFrRuUL";

/**
 * {@linkcode addList} for `words` as written, and for `plain`, the words
 * without the strings given as a key's value after the first, when some
 * were: a runner's option (ruby's `chdir: '/'`, Python's `cwd='/'`) adds
 * no word to the command, while a key may name its words too (C#'s
 * `Arguments = "approvals list"`).
 */
function addLists(
  words: string[],
  plain: string[] | undefined,
  lists: string[][],
  argv0: boolean,
): void {
  addList(words, lists, argv0);
  if (plain !== undefined) addList(plain, lists, argv0);
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
 * the program, see `ARGV0_CALL` in `runner_names.ts`), also without the second,
 * whatever it says, when the first names thoth (`os.execlp("thoth", "x",
 * "approvals", …)`, `execl("/usr/bin/thoth", "thoth.real", …)`, perl's
 * `exec { 'thoth' } 'x', …`), or without the first when the second names
 * the same program again (`os.execlp("env", "env", "thoth", …)`). Fewer
 * than three whose first holds white space: the first alone, a shell's
 * text whatever follows it (`popen("thoth approvals list", "r")`).
 */
function addList(words: string[], lists: string[][], argv0: boolean): void {
  if (words.length >= 3 || (words.length === 2 && /\s/.test(words[1]!))) lists.push(words);
  // The first string with white space is a shell's text whatever follows it (`popen("…", "r")`).
  else if (words.length > 0 && /\s/.test(words[0]!)) lists.push([words[0]!]);
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
 * `argv[0]` (`ARGV0_CALL` in `runner_names.ts`). Each character is read once.
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
