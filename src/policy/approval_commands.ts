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
 * and inside a backtick pair that stands where a command word does; each
 * command split into words by `shell_words.ts`, quotes, `\` escapes and
 * `$'…'` read; a text with a `\` in it also with `\` as a separator, as on
 * Windows), some command holds:
 *
 * 1. past prefixes (assignments, `env [-u X] [-S]`, `command`, `exec`,
 *    `sudo -u root`, `nohup`, `setsid`, `xargs -I{}`, `time`, `nice -n 5`,
 *    `timeout 5`, `busybox`, runners such as `npx`, `node`, `deno run -A`
 *    and `deno task`), a word that names thoth: `thoth` or `thothctl` as
 *    the last part of a path (`/usr/local/bin/thoth`, `C:\Tools\THOTH.EXE`,
 *    with `.exe`, `.cmd`, `.bat`, `.ps1`, `.js`, `.mjs` or `.ts`), the
 *    source entry point `mod.ts` after `deno run` only, or a word a shell
 *    expands first (`$T`, `$(command -v thoth)`); then
 * 2. options only, then the word `approvals`; then options only, then
 *    `approve`, `deny`, `list` or `watch`; then
 * 3. what that subcommand takes and no more: `list` and `watch` options
 *    only, `approve` and `deny` one id at most (a word with `$` in it may
 *    expand to nothing and is not counted), and no `--help`.
 *
 * A word of a command with white space, a separator, a quote or a
 * parenthesis in it (`sh -c '…'`, `python3 -c "os.system('…')"`,
 * `node -e "execSync('…')"`) is read again as a text, four times at most,
 * unless it is a pattern or a message: the arguments of `grep`, `rg` and
 * the like, the value of `-m`, `--message`, `--filter` or `--grep`. A run of
 * quoted strings in code (`subprocess.run(['thoth','approvals','approve',
 * i])`, `execFileSync('thoth',['approvals',…])`) is read as a command's
 * words.
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
 * Cheap: a string without `approvals` (once `'`, `"`, `\` and `$` are taken
 * out) is not read further; one with it is read in one linear pass per level.
 *
 * What it cannot see: a command built from pieces (`a=appr; thoth
 * ${a}ovals …`, `base64 -d | sh`), a script written in one call and run in
 * another without the command in it, an alias, a copy of thoth under
 * another name, a runner called under another name (`from subprocess
 * import run as r; r(…)`), a backtick substitution in an argument (`` echo `thoth
 * approvals list` ``, read as prose). `thoth approvals` refuses to list or
 * answer when run from inside a governed server too (see
 * `src/approval/governed_caller.ts`).
 *
 * @example
 * ```ts
 * runsApprovalCommand({ command: "thoth approvals approve k3f9x2qa" }); // true
 * runsApprovalCommand({ command: "grep approvals notes.txt" }); // false
 * runsApprovalCommand({ text: "the approvals list is long" }); // false
 * ```
 */
import type { Evaluation } from "./evaluation.ts";
import { commandSegments, REDIRECT } from "./command_segments.ts";
import { leadsJson } from "./own_files_value_forms.ts";
import { parsePythonJson } from "./python_json.ts";
import { shellWords } from "./shell_words.ts";
import { namesRequestId, textMayStay, typesIntoTerminal } from "./approval_command_text.ts";
import {
  ASSIGNMENT,
  COMPOUND,
  DATA_OPTIONS,
  ENTRY_POINT,
  GATE,
  LIST_ITEM,
  PREFIXES,
  RUNNER_CALL,
  RUNNERS,
  SEARCHERS,
  SUBCOMMANDS,
  TAKES_ID,
  TEXT_KEYS,
  THOTH_NAME,
  VALUE_OPTIONS,
} from "./approval_command_words.ts";

/** The rule id a call that runs thoth's approval commands is blocked under. */
export const APPROVAL_COMMAND_RULE = "thoth.approval_command";

/** Quote characters, `\` and `$`, which may split the word `approvals` in a command. */
const SPLITTERS = /['"\\$]/;
const SPLITTERS_ALL = /['"\\$]/g;

/** Whether `code` ends the path or assignment before a program's name in a word: `/\\=:({[,`. */
function startsName(code: number): boolean {
  return code === 47 || code === 92 || code === 61 || code === 58 || code === 40 ||
    code === 123 || code === 91 || code === 44;
}

/** The longest string read as a program's path for a list that starts with `approvals`. */
const MAX_PROGRAM_LENGTH = 4096;

/** How many times a word or substitution with a command in it is read again. */
const MAX_DEPTH = 4;

/** The last part of a word, after its path or assignment (`/usr/bin/thoth` → `thoth`). */
function lastPart(word: string): string {
  let i = word.length;
  while (i > 0 && !startsName(word.charCodeAt(i - 1))) i--;
  return word.slice(i);
}

/** Whether `text` may hold the word `approvals`, once quotes, `\` and `$` are read. */
function gated(text: string): boolean {
  if (text.indexOf(GATE) !== -1) return true;
  return SPLITTERS.test(text) && text.replace(SPLITTERS_ALL, "").indexOf(GATE) !== -1;
}

/** Whether `word` names thoth, or is one a shell expands first (`$T`, `$(…)`). */
function namesThoth(word: string, viaDeno: boolean): boolean {
  if (word.charCodeAt(0) === 36) return true;
  const last = lastPart(word);
  return THOTH_NAME.test(last) || (viaDeno && ENTRY_POINT.test(last));
}

/** Whether a word may expand to nothing (`$id`, `"$(…)"`), so it need not count as an argument. */
function mayVanish(word: string): boolean {
  return word.indexOf("$") !== -1;
}

/**
 * Whether `words[at…]` is `approvals`, options, a subcommand, and then
 * what that subcommand takes: `list` and `watch` no word but options,
 * `approve` and `deny` one id at most (`xargs` gives it). A title such as
 * `thoth approvals watch hangs` runs nothing (the CLI refuses it).
 */
function approvalsAt(words: readonly string[], at: number): boolean {
  if (words[at] !== GATE) return false;
  let sub = at + 1;
  while (sub < words.length && words[sub]!.charCodeAt(0) === 45) sub++;
  const name = words[sub];
  if (name === undefined || !SUBCOMMANDS.has(name)) return false;
  let positional = 0;
  for (let i = sub + 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--help" || word === "-h") return false;
    if (word.charCodeAt(0) === 45) {
      if (VALUE_OPTIONS.has(word)) i++;
    } else if (!mayVanish(word)) positional++;
  }
  return positional <= (TAKES_ID.has(name) ? 1 : 0);
}

/** `words` without redirections and their targets. */
function withoutRedirections(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === REDIRECT) i++;
    else out.push(words[i]!);
  }
  return out;
}

/**
 * Whether the words of one simple command run an approval command: past
 * prefixes (assignments, `env -u X`, `sudo -u root`, `timeout 5`, `xargs`,
 * `npx`, `deno run -A`), a word naming thoth, options, then `approvals`, a
 * subcommand and what it takes. `list` (an argument list, whose program is
 * named elsewhere) may start with a runner's subcommand (`task thoth …`). A
 * word with white space and `approvals` in it (`sh -c '…'`, `python -c
 * "…"`) is read again as a text, `depth` more times at most, unless it is a
 * pattern or a message (`grep "…"`, `git commit -m "…"`).
 */
function commandRuns(raw: readonly string[], depth: number, list: boolean): boolean {
  const words = withoutRedirections(raw);
  let viaDeno = false;
  let program: string | undefined;
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    if (namesThoth(word, viaDeno) && approvalsAt(words, pastOptions(words, k + 1))) return true;
    const name = lastPart(word).toLowerCase();
    if (ASSIGNMENT.test(word) || word.charCodeAt(0) === 45 || /^\d+[smhd]?$/.test(word)) continue;
    if (PREFIXES.has(name)) continue;
    if (name === "deno" || name === "deno.exe") {
      viaDeno = true;
      continue;
    }
    if ((viaDeno || list) && RUNNERS.has(name) && (k === 0 || list || viaDeno)) {
      if (name === "run" || name === "task") viaDeno = true;
      continue;
    }
    // An option's value (`env -u NAME`, `sudo -u root`), when the word before was an option.
    if (k > 0 && words[k - 1]!.charCodeAt(0) === 45 && words[k - 1]!.indexOf("=") === -1) continue;
    program = name;
    break;
  }
  if (depth <= 0 || (program !== undefined && SEARCHERS.has(program))) return false;
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    if (!COMPOUND.test(word) || !gated(word)) continue;
    const before = k > 0 ? words[k - 1]! : "";
    if (DATA_OPTIONS.has(before) || /^--(?:message|filter|grep)=/.test(word)) continue;
    if (textRuns(word, depth - 1)) return true;
  }
  return false;
}

/** Index of the first word at or after `from` that is no option, or `words.length`. */
function pastOptions(words: readonly string[], from: number): number {
  let i = from;
  while (i < words.length && words[i]!.charCodeAt(0) === 45) i++;
  return i;
}

/** The quoted strings (and names, as `$_`) a segment of code starts with, or undefined. */
function codeList(segment: string): string[] | undefined {
  if (segment.indexOf(",") === -1) return undefined;
  const words: string[] = [];
  let rest = segment;
  for (;;) {
    const m = LIST_ITEM.exec(rest);
    if (m === null) break;
    words.push(m[1] ?? m[2] ?? "$_");
    rest = rest.slice(m[0].length);
  }
  return words.length >= 3 ? words : undefined;
}

/** Whether `text`, read as a shell reads it, runs an approval command. */
function textRuns(text: string, depth: number): boolean {
  if (readText(text, depth, true)) return true;
  // On Windows `\` separates folders: a text with one is read both ways.
  return text.indexOf("\\") !== -1 && readText(text, depth, false);
}

/**
 * Whether a segment's text is the arguments of a call in code that takes
 * data (`VALUES ('…')`, `print('…')`), not of one that runs them
 * (`subprocess.run(`, see {@linkcode RUNNER_CALL}) or a subshell's `(`.
 */
function takesData(caller: string): boolean {
  if (caller === "") return false;
  const name = caller.slice(Math.max(caller.lastIndexOf("."), caller.lastIndexOf(":")) + 1);
  return !RUNNER_CALL.test(name);
}

/** {@linkcode textRuns} with `\` read as an escape or not. */
function readText(text: string, depth: number, backslashEscapes: boolean): boolean {
  const { segments, callers, substitutions } = commandSegments(text, backslashEscapes);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!gated(segment) || takesData(callers[i]!)) continue;
    if (commandRuns(shellWords(segment, backslashEscapes).words, depth, false)) return true;
    const list = codeList(segment);
    if (list !== undefined && commandRuns(list, depth, false)) return true;
  }
  if (depth <= 0) return false;
  for (const sub of substitutions) {
    // A backtick in prose (`run \`thoth approvals list\` in a terminal`) is markdown, not a command.
    if (sub.backtick && !sub.atCommandWord) continue;
    if (gated(sub.text) && textRuns(sub.text, depth - 1)) return true;
  }
  return false;
}

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
