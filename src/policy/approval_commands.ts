/**
 * thoth's approval commands in a call's arguments: a governed server with a
 * shell tool runs as the same user as thoth, so a model could otherwise
 * list the requests waiting for a person (`thoth approvals list --json`
 * shows their ids) and answer its own (`thoth approvals approve ID`). A call
 * whose arguments run one is blocked under {@linkcode APPROVAL_COMMAND_RULE},
 * before the policy's own rules and whatever the enforcement mode (observe
 * included), as a call that reaches thoth's own files is
 * (`own_files.ts`): a person answers in a terminal of their own, never
 * through a tool the model calls.
 *
 * A string of the arguments (a value or a key, anywhere, also inside JSON a
 * string holds) runs one when, read as a shell reads it (cut into simple
 * commands where a command may start, see `command_segments.ts`: the start
 * of the text or of a line, after `;` `&&` `||` `|` `(` `{`, inside `$(…)`,
 * and inside a backtick pair that stands where a command word does; an
 * unquoted word that starts with `#` after unescaped white space ends the
 * command's words, as a comment, in a quoted word read again only when a
 * shell reads it as a script: `sh -c`, `eval`, a here-string, a runner's
 * call in code;
 * each command split into words by `shell_words.ts`, quotes, `\` escapes and
 * `$'…'` read, redirections and their targets taken out; a text with a `\`
 * in it also with `\` as a separator, as on Windows), some command holds:
 *
 * 1. past prefixes (assignments, `env [-u X] [-S]`, `command`, `builtin`,
 *    `exec`, `eval`, `sudo -u root`, `nohup`, `setsid`, `xargs -I{}`,
 *    `watch -n1`, `time`, `nice -n 5`, `timeout 5`, `busybox`, cmd's `call`
 *    and `start`, runners such as `npx`, `node`, `deno run -A` and `deno
 *    task`), at the start or after an option that starts a command (find's
 *    `-exec … \;`; after a program that takes a command there, `cmd /c`,
 *    `powershell -Command`, `xterm -e`, `systemd-run --`), a
 *    word that names thoth: `thoth` or `thothctl` as
 *    the last part of a path (`/usr/local/bin/thoth`, `C:\Tools\THOTH.EXE`,
 *    with `.exe`, `.cmd`, `.bat`, `.ps1`, `.js`, `.mjs` or `.ts`), the
 *    source entry point `mod.ts` after `deno run` only, or a word a shell
 *    expands first (`$T`, `$(command -v thoth)`); then
 * 2. options only, then the word `approvals`; then options only, then
 *    `approve`, `deny`, `list` or `watch`; then
 * 3. what that subcommand takes and no more: `list` and `watch` options
 *    only, `approve` and `deny` one id at most (a word with `$` in it may
 *    expand to nothing and is not counted), and no `--help`. What a shell
 *    passes no program (a comment, a redirection, a `&`) does not count:
 *    `thoth approvals approve ID > out 2>&1 # now` is a command.
 *
 * A word of a command with white space, a separator, a quote or a
 * parenthesis in it (`sh -c '…'`, `python3 -c "os.system('…')"`,
 * `node -e "execSync('…')"`) is read again as a text, four times at most,
 * unless it is a pattern or a message: the arguments of `grep`, `rg` and
 * the like, the value of `-m`, `--message`, `--filter` or `--grep`; so is a
 * here-string (`sh <<< '…'`), and what `ssh` runs on the other machine
 * (`ssh localhost thoth approvals …`), whatever the host: it may be this
 * one under another name (an alias in `~/.ssh/config`, its own host name),
 * and a quoted command (`ssh host '…'`) was always read. A run of quoted
 * strings in a runner's call in code (`subprocess.run(['thoth','approvals',
 * 'approve', i])`, `execFileSync('thoth',['approvals',…])`, `new
 * Deno.Command("thoth", {args: […]})`, `Process.Start("thoth", "approvals
 * approve ID")`), the call written across lines too, or after perl's and
 * ruby's `system` or `exec` without parentheses (`system "thoth",
 * "approvals", …`, also across lines after a `,`), is read as a command's
 * words, the language's string escapes read; so are the text of a backtick
 * pair in code after `=` or a statement's word that prints or returns it
 * (`` out = `…` ``, `` puts `…` ``) or a tag that runs it (`` $`…` ``), not
 * in a comment, prose or a JavaScript template (`backtick_in_code.ts`), and
 * of perl's `qx{…}` and ruby's `%x(…)` (`approval_command_code.ts`).
 *
 * A list of strings is also read as the words of one command (a server that
 * takes `{"command": "thoth", "args": ["approvals", "approve", "k3f9x2qa"]}`):
 * the list counts when its words run one as above (a runner's `run` or
 * `task` may lead it), or when it starts with `approvals` and such a
 * subcommand while another string of the call names thoth, or when it is
 * ssh's (a key such as `command` beside it names ssh) and the words after
 * the host, joined with spaces as ssh joins them, run one.
 *
 * Prose that mentions the commands (`run thoth approvals list in your
 * terminal`, ``Run `thoth approvals list` in a terminal``, a title
 * `thoth approvals watch hangs`, `grep -rn "thoth approvals list" docs/`,
 * `git commit -m "…"`) is not read as running one, nor are the arguments
 * of a call in code that takes data (`INSERT … VALUES ('thoth approvals
 * list')`, `print("…")`; a call that runs them, `subprocess.run(`,
 * `execFileSync(`, `system(`, is read), nor the value of a key named
 * `query`, `text`, `message`, `title` and the like, unless it may be typed
 * into a terminal or settles a request by id (`approval_command_text.ts`).
 * A text that holds the command where a command starts
 * (a script, a Makefile, a GitHub Actions `run:`, a fenced code block a
 * server writes, a docs page with a ```` ```sh ```` block) is, on purpose:
 * the person runs such a file, and a model could write one to be run.
 *
 * Cheap: a string without `approvals` (once quotes, `\`, `$` and numeric
 * escapes such as `$'\x61'` are read, see `approval_command_escapes.ts`) is
 * not read further; one with it is read in one linear pass per level.
 *
 * What it cannot see: a command built from pieces (`a=appr; thoth
 * ${a}ovals …`, `base64 -d | sh`), a script written in one call and run in
 * another without the command in it, an alias, a copy of thoth under
 * another name, a runner given another name in another call (`p =
 * os.popen` in one, `p('…')` in the next; in the same text it is read), a
 * backtick substitution in another command's argument (`` ls `thoth
 * approvals list` ``, read as prose, which markdown writes alike), a
 * runner's call whose strings a language joins across lines (`"thoth
 * approvals "` then `"approve x"`), `sshpass … ssh`. `thoth approvals`
 * refuses to list or answer when run from inside a governed server too
 * (see `src/approval/governed_caller.ts`).
 *
 * @example
 * ```ts
 * runsApprovalCommand({ command: "thoth approvals approve k3f9x2qa" }); // true
 * runsApprovalCommand({ command: "grep approvals notes.txt" }); // false
 * runsApprovalCommand({ text: "the approvals list is long" }); // false
 * ```
 */
import type { Evaluation } from "./evaluation.ts";
import { codeEscapesRead, gated, nestedSpanGate, spanGate } from "./approval_command_escapes.ts";
import {
  bareRunnerLists,
  callsBareRunner,
  codeLists,
  lastName,
  quotedCommands,
  runnerAliases,
  runnerName,
  takesData,
} from "./approval_command_code.ts";
import {
  approvalsAt,
  commandWords,
  lastPart,
  namesProgramAnywhere,
  scriptTexts,
  simpleRuns,
} from "./approval_command_simple.ts";
import { commandSegments } from "./command_segments.ts";
import { leadsJson } from "./own_files_value_forms.ts";
import { parsePythonJson } from "./python_json.ts";
import { shellWords } from "./shell_words.ts";
import { namesSsh, sshCommandStart } from "./ssh_remote_command.ts";
import { namesRequestId, textMayStay, typesIntoTerminal } from "./approval_command_text.ts";
import {
  COMMAND_OPTIONS,
  COMMAND_TAKERS,
  COMPOUND,
  DATA_OPTIONS,
  FIND_OPTIONS,
  SEARCHERS,
  TEXT_KEYS,
} from "./approval_command_words.ts";

/** The rule id a call that runs thoth's approval commands is blocked under. */
export const APPROVAL_COMMAND_RULE = "thoth.approval_command";

/** A string's prefix in code (`f"…"`, `rb'…'`) at the start of a call's arguments. */
const STRING_PREFIX = /^(\s*)[bBfFrRuU]{1,2}(?=['"])/;

/** How many times a word or substitution with a command in it is read again. */
const MAX_DEPTH = 4;

/** How many of a command's options that start a command ({@linkcode COMMAND_OPTIONS}) are read. */
const MAX_COMMAND_OPTIONS = 16;

/**
 * Whether the words of one simple command run an approval command: at their
 * start (see {@linkcode simpleRuns}), after an option that starts a command
 * (`find -exec … \;`, `cmd /c`), or in a word with white space and
 * `approvals` in it (`sh -c '…'`, `python -c "…"`, `sh <<< '…'`), read
 * again as a text, `depth` more times at most, unless it is a pattern or a
 * message (`grep "…"`, `git commit -m "…"`).
 */
function commandRuns(
  raw: readonly string[],
  depth: number,
  list: boolean,
  script = false,
): boolean {
  const words = commandWords(raw, false);
  const { runs, program, at } = simpleRuns(words, list);
  if (runs) return true;
  if (program !== undefined && SEARCHERS.has(program)) return false;
  // What ssh runs on the other machine, which may be this one (`ssh localhost thoth …`).
  const remote = program === "ssh" || program === "ssh.exe" ? sshCommandStart(words, at) : -1;
  if (remote !== -1) {
    const rest = words.slice(remote);
    if (simpleRuns(rest, false).runs) return true;
    const joined = rest.join(" ");
    if (depth > 0 && gated(joined) && textRuns(joined, depth - 1)) return true;
  }
  let options = 0;
  // Whether a program that takes a command after `--`, `-e`, `-c` or `/c` came before.
  let taker = false;
  for (let k = 0; k < words.length && options < MAX_COMMAND_OPTIONS; k++) {
    const option = words[k]!.toLowerCase();
    if (!taker && k > 0) {
      taker = COMMAND_TAKERS.has(lastPart(words[k - 1]!).toLowerCase().replace(/\.exe$/, ""));
    }
    // The option, then the command's first word (`-e -e …` starts none).
    if (
      !(FIND_OPTIONS.has(option) || (taker && COMMAND_OPTIONS.has(option))) ||
      words[k + 1]?.charCodeAt(0) === 45
    ) {
      continue;
    }
    options++;
    let end = k + 1;
    while (end < words.length && words[end] !== ";" && words[end] !== "+") end++;
    if (simpleRuns(words.slice(k + 1, end), false).runs) return true;
  }
  if (depth <= 0) return false;
  const { texts, scripts } = scriptTexts(raw, script);
  for (let k = 0; k < texts.length; k++) {
    const word = texts[k]!;
    if (!COMPOUND.test(word) || !gated(word)) continue;
    const before = k > 0 ? texts[k - 1]! : "";
    if (DATA_OPTIONS.has(before) || /^--(?:message|filter|grep)=/.test(word)) continue;
    if (textRuns(word, depth - 1, scripts[k]!)) return true;
  }
  return false;
}

/**
 * Whether `text`, read as a shell reads it, runs an approval command.
 * `comments` false reads a `#` as data (a quoted word no shell reads as a
 * script).
 */
function textRuns(text: string, depth: number, comments = true): boolean {
  if (readText(text, depth, true, comments)) return true;
  // On Windows `\` separates folders: a text with one is read both ways.
  return text.indexOf("\\") !== -1 && readText(text, depth, false, comments);
}

/**
 * Whether one segment runs an approval command: as a shell's words, or as a
 * list in code. `script`: the segment is a runner's call in code.
 */
function segmentRuns(
  segment: string,
  depth: number,
  backslashEscapes: boolean,
  script: boolean,
): boolean {
  if (commandRuns(shellWords(segment, backslashEscapes).words, depth, false, script)) return true;
  for (const list of codeLists(segment)) {
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
  lists: (code: string) => string[][],
  depth: number,
): boolean {
  for (const list of lists(code)) if (commandRuns(list, depth, false, true)) return true;
  const decoded = codeEscapesRead(code);
  if (decoded === code) return false;
  for (const list of lists(decoded)) if (commandRuns(list, depth, false, true)) return true;
  return false;
}

/** {@linkcode textRuns} with `\` read as an escape or not. */
function readText(
  text: string,
  depth: number,
  backslashEscapes: boolean,
  comments: boolean,
): boolean {
  // The names the text gives a runner (`p = os.popen`): found once, and only when a call of
  // another name holds the word (see `gated`).
  let names: Set<string> | undefined;
  const aliases = (): Set<string> => names ??= runnerAliases(text);
  // Outermost calls come in order, never overlapping; nested ones in any order.
  const holds = spanGate(text);
  const holdsNested = nestedSpanGate(text);
  const { segments, callers, substitutions, calls } = commandSegments(
    text,
    backslashEscapes,
    comments,
    (caller) => runnerName(lastName(caller)),
    (caller, start, end, kind) =>
      (kind === "outer" ? holds(start, end) : holdsNested(start, end, kind === "innermost")) &&
      !takesData(caller, aliases),
  );
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const caller = callers[i]!;
    if (!gated(segment) || takesData(caller, aliases)) continue;
    const script = caller !== "";
    // A runner's call in code: a string's prefix (`f"…"`, `r'…'`) is the language's.
    const body = script ? segment.replace(STRING_PREFIX, "$1") : segment;
    if (segmentRuns(body, depth, backslashEscapes, script)) return true;
    // A runner's call in code: its strings' escapes (`'\x61pprovals'`) are the language's.
    if (script && segment.indexOf("\\") !== -1) {
      const decoded = codeEscapesRead(segment);
      if (decoded !== segment && segmentRuns(decoded, depth, backslashEscapes, script)) return true;
    }
  }
  // A runner's call whole, its lists written across lines (`subprocess.run(\n  ["thoth",\n …`).
  for (const call of calls) {
    if (gated(call) && codeListsRun(call, codeLists, depth)) return true;
  }
  // A runner called without parentheses, its list written across lines too (`system "thoth",\n
  // "approvals", …`): read over the whole text at once.
  if (callsBareRunner(text) && codeListsRun(text, bareRunnerLists, depth)) return true;
  if (depth <= 0) return false;
  // Perl's `qx{…}` and ruby's `%x[…]` run their text as backticks do.
  for (const command of quotedCommands(text)) {
    if (gated(command) && textRuns(command, depth - 1)) return true;
  }
  for (const sub of substitutions) {
    // A backtick in prose (`run \`thoth approvals list\` in a terminal`) is markdown, not a
    // command; in code (`` out = `…` ``, `` puts `…` ``) it runs.
    if (sub.backtick && !sub.atCommandWord && !sub.inCode) continue;
    if (!gated(sub.text)) continue;
    if (textRuns(sub.text, depth - 1)) return true;
    // What it prints is run where it starts a command: `sh -c "$(echo thoth approvals …)"`.
    const printed = sub.leads ? ECHOED.exec(sub.text)?.[1] : undefined;
    if (printed !== undefined && textRuns(printed, depth - 1)) return true;
  }
  return false;
}

/** A command that prints its arguments (`echo`, `echo -n`, `printf`), and its arguments. */
const ECHOED = /^\s*(?:echo|printf)(?:\s+-[neE]+)*\s+([^]*)$/;

/**
 * Whether some string in `args` (a value or a key, anywhere, also inside
 * JSON a string holds), or some list of strings read as one command's words,
 * runs one of thoth's approval commands (see the module's documentation).
 * `tool`, the called tool's name, says whether its text keys are typed.
 */
export function runsApprovalCommand(args: unknown, tool = ""): boolean {
  // Whether the tool types into a terminal: asked only of a text key that names the command.
  let typing: boolean | undefined;
  const typesText = (): boolean => typing ??= tool !== "" && typesIntoTerminal(tool);
  // A list that starts with `approvals` and a subcommand counts when the call names thoth too.
  let headless = false;
  const pending: unknown[] = [args];
  const readJson = (value: string): void => {
    if (!leadsJson(value)) return;
    try {
      pending.push(parsePythonJson(value));
    } catch {
      // Not JSON: read as it is.
    }
  };
  const read = (value: string): boolean => {
    if (!gated(value)) return false;
    if (textRuns(value, MAX_DEPTH)) return true;
    readJson(value);
    return false;
  };
  // Iterative: arguments may nest deeper than the call stack goes.
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (read(value)) return true;
    } else if (Array.isArray(value)) {
      let strings = true;
      let gate = false;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item !== "string") strings = false;
        else if (!gate && gated(item)) gate = true;
        pending.push(item);
      }
      if (strings && gate) {
        const words = value as string[];
        if (commandRuns(words, MAX_DEPTH, true)) return true;
        if (approvalsAt(words, 0)) headless = true;
      }
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      // ssh as the call's program (`{"command": "ssh", "args": […]}`): its lists are ssh's.
      let ssh: boolean | undefined;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (read(key)) return true;
        const child = (value as Record<string, unknown>)[key];
        if (Array.isArray(child) && (ssh ??= namesSsh(value)) && sshListRuns(child)) return true;
        // A query, a message or a title is text to search, send or show: JSON in it is still read.
        if (typeof child === "string" && TEXT_KEYS.has(key.toLowerCase())) {
          // Without the word, nothing in it runs thoth's approval commands (see `gated`).
          if (!gated(child)) continue;
          if (
            textMayStay(child, value, typesText()) &&
            !(namesRequestId(child) && textRuns(child, MAX_DEPTH))
          ) {
            readJson(child);
            continue;
          }
        }
        pending.push(child);
      }
    }
  }
  return headless && namesProgramAnywhere(args);
}

/**
 * Whether `list`, ssh's arguments, runs an approval command on the other
 * machine: ssh joins the words after the destination with spaces and hands
 * them to a shell there, so they are read as one command text
 * (`["host", "thoth approvals", "approve x"]`, `["host", "true;", "thoth", …]`).
 */
function sshListRuns(list: readonly unknown[]): boolean {
  if (!list.every((item) => typeof item === "string")) return false;
  const words = list as readonly string[];
  const start = sshCommandStart(words, -1);
  if (start === -1) return false;
  const rest = words.slice(start);
  const joined = rest.join(" ");
  if (!gated(joined)) return false;
  return commandRuns(rest, MAX_DEPTH, false) || textRuns(joined, MAX_DEPTH - 1);
}

/**
 * What the call is told, and the audit record and stderr say: no path, no
 * argument value, and not the command (the model is never taught it).
 */
export const APPROVAL_COMMAND_REASON =
  "the arguments run thoth's own approval commands, which list and answer the calls waiting " +
  "for a person: a person answers them in a terminal of their own, never through a tool the " +
  "model calls, so thoth never forwards such a call, in any mode";

/**
 * The evaluation of a call that runs an approval command: BLOCK under
 * {@linkcode APPROVAL_COMMAND_RULE} alone; the policy's intent, rules and
 * detectors are not consulted.
 */
export function approvalCommandEvaluation(): Evaluation {
  return {
    decision: "block",
    ruleIds: [APPROVAL_COMMAND_RULE],
    violatedIds: [APPROVAL_COMMAND_RULE],
    reasons: [APPROVAL_COMMAND_REASON],
    findings: [],
    riskScore: 0,
    intentViolation: false,
    matches: [{
      id: APPROVAL_COMMAND_RULE,
      source: "thoth",
      decision: "block",
      reason: APPROVAL_COMMAND_REASON,
    }],
    notes: [],
    scanCapped: false,
  };
}
