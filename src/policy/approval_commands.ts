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
 * here-string (`sh <<< '…'`). A run of quoted strings in a runner's call in
 * code (`subprocess.run(['thoth','approvals','approve', i])`,
 * `execFileSync('thoth',['approvals',…])`, `new Deno.Command("thoth",
 * {args: […]})`, `Process.Start("thoth", "approvals approve ID")`) is read
 * as a command's words, the language's string escapes read
 * (`approval_command_code.ts`).
 *
 * A list of strings is also read as the words of one command (a server that
 * takes `{"command": "thoth", "args": ["approvals", "approve", "k3f9x2qa"]}`):
 * the list counts when its words run one as above (a runner's `run` or
 * `task` may lead it), or when it starts with `approvals` and such a
 * subcommand while another string of the call names thoth.
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
 * backtick substitution in an argument (`` echo `thoth approvals list` ``,
 * read as prose). `thoth approvals` refuses to list or answer when run from
 * inside a governed server too (see `src/approval/governed_caller.ts`).
 *
 * @example
 * ```ts
 * runsApprovalCommand({ command: "thoth approvals approve k3f9x2qa" }); // true
 * runsApprovalCommand({ command: "grep approvals notes.txt" }); // false
 * runsApprovalCommand({ text: "the approvals list is long" }); // false
 * ```
 */
import type { Evaluation } from "./evaluation.ts";
import { codeEscapesRead, gated } from "./approval_command_escapes.ts";
import { codeLists, runnerAliases, takesData } from "./approval_command_code.ts";
import {
  approvalsAt,
  commandWords,
  lastPart,
  scriptTexts,
  simpleRuns,
} from "./approval_command_simple.ts";
import { commandSegments } from "./command_segments.ts";
import { leadsJson } from "./own_files_value_forms.ts";
import { parsePythonJson } from "./python_json.ts";
import { shellWords } from "./shell_words.ts";
import { namesRequestId, textMayStay, typesIntoTerminal } from "./approval_command_text.ts";
import {
  COMMAND_OPTIONS,
  COMMAND_TAKERS,
  COMPOUND,
  DATA_OPTIONS,
  FIND_OPTIONS,
  SEARCHERS,
  TEXT_KEYS,
  THOTH_NAME,
} from "./approval_command_words.ts";

/** The rule id a call that runs thoth's approval commands is blocked under. */
export const APPROVAL_COMMAND_RULE = "thoth.approval_command";

/** The longest string read as a program's path for a list that starts with `approvals`. */
const MAX_PROGRAM_LENGTH = 4096;

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
  const { runs, program } = simpleRuns(words, list);
  if (runs) return true;
  if (program !== undefined && SEARCHERS.has(program)) return false;
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

/** {@linkcode textRuns} with `\` read as an escape or not. */
function readText(
  text: string,
  depth: number,
  backslashEscapes: boolean,
  comments: boolean,
): boolean {
  const { segments, callers, substitutions } = commandSegments(text, backslashEscapes, comments);
  let names: Set<string> | undefined;
  const aliases = (): Set<string> => names ??= runnerAliases(text);
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
  if (depth <= 0) return false;
  for (const sub of substitutions) {
    // A backtick in prose (`run \`thoth approvals list\` in a terminal`) is markdown, not a command.
    if (sub.backtick && !sub.atCommandWord) continue;
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
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (read(key)) return true;
        const child = (value as Record<string, unknown>)[key];
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
  return headless && namesThothAnywhere(args);
}

/** Whether some string in `args` is a program name of thoth's (`thoth`, `/usr/bin/thoth`). */
function namesThothAnywhere(args: unknown): boolean {
  const pending: unknown[] = [args];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (value.length <= MAX_PROGRAM_LENGTH && THOTH_NAME.test(lastPart(value.trim()))) {
        return true;
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
    } else if (value !== null && typeof value === "object") {
      for (const child of Object.values(value)) pending.push(child);
    }
  }
  return false;
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
