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
 * string holds) runs one when, read as a shell splits it into words (quotes,
 * `\` escapes and `$'…'` read, see `shell_words.ts`; a text with a `\` in
 * it also with `\` as a separator, as on Windows; and a word with white space in it split again, three
 * times at most: `sh -c 'thoth approvals approve x'`), it holds:
 *
 * 1. a word that names thoth: `thoth` or `thothctl` as the last part of a
 *    path (`/usr/local/bin/thoth`, `C:\Tools\thoth.exe`, `npx thoth`,
 *    `deno task thoth`, in any case, with `.exe`, `.cmd`, `.bat`, `.ps1`,
 *    `.js`, `.mjs` or `.ts` after it), a source entry point `mod.ts`, or a
 *    word a shell expands first (`$T`, `"$(command -v thoth)"`); then
 * 2. options only (words starting with `-`), then the word `approvals`; then
 * 3. options only, then `approve`, `deny`, `list` or `watch`.
 *
 * A list of strings is also read as the words of one command (a server that
 * takes `{"command": "thoth", "args": ["approvals", "approve", "k3f9x2qa"]}`):
 * the list counts when its words run one as above, or when it starts with
 * `approvals` and such a subcommand while another string of the call names
 * thoth (item 1).
 *
 * Prose that mentions approvals (`the approvals list is long`,
 * `grep approvals notes.txt`, a folder `~/projects/approvals/`) is neither.
 * A text that holds the command (a script or a README a server writes) is:
 * the person writes such a file.
 *
 * Cheap: a string without the word `approvals` in it is not read further
 * (one `indexOf`), and the words of one that has it are read in one linear
 * pass per level.
 *
 * What it cannot see: a command built from pieces (`a=appr; thoth
 * ${a}ovals …`), the word `approvals` written with quotes or escapes inside
 * it (`appr''ovals`), a script written in one call and run in another
 * without the command in it, an alias. `thoth approvals approve` and `deny`
 * refuse to answer when run from inside a governed server too (see
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
import { leadsJson } from "./own_files_value_forms.ts";
import { parsePythonJson } from "./python_json.ts";
import { shellWords } from "./shell_words.ts";

/** The rule id a call that runs thoth's approval commands is blocked under. */
export const APPROVAL_COMMAND_RULE = "thoth.approval_command";

/** The word that must be there, literally, before anything else is read. */
const GATE = "approvals";

/** The subcommands that list or settle requests (`help` hands out nothing). */
const SUBCOMMANDS: ReadonlySet<string> = new Set(["approve", "deny", "list", "watch"]);

/** A program name that is thoth's (the last part of a word, any case). */
const THOTH_NAME = /^(?:thoth(?:ctl)?(?:\.(?:exe|cmd|bat|ps1|js|mjs|ts))?|mod\.ts)$/i;

/** Whether `code` ends the path or assignment before a program's name in a word: `/\\=:({[,`. */
function startsName(code: number): boolean {
  return code === 47 || code === 92 || code === 61 || code === 58 || code === 40 ||
    code === 123 || code === 91 || code === 44;
}

/** The longest string read as a program's path for a list that starts with `approvals`. */
const MAX_PROGRAM_LENGTH = 4096;

/** How many times a word with white space in it is split again. */
const MAX_DEPTH = 3;

/** White space, which a word a shell runs again (`sh -c '…'`) is split at. */
const WHITE_SPACE = /\s/;

/** The last part of a word, after its path or assignment (`/usr/bin/thoth` → `thoth`). */
function lastPart(word: string): string {
  let i = word.length;
  while (i > 0 && !startsName(word.charCodeAt(i - 1))) i--;
  return word.slice(i);
}

/** Whether `word` names thoth, or is one a shell expands first (item 1). */
function namesThoth(word: string): boolean {
  if (word.charCodeAt(0) === 36) return true;
  return THOTH_NAME.test(lastPart(word));
}

/** Index of the first word at or after `from` that is no option, or `words.length`. */
function pastOptions(words: readonly string[], from: number): number {
  let i = from;
  while (i < words.length && words[i]!.charCodeAt(0) === 45) i++;
  return i;
}

/** Whether the word at `at` is `approvals` followed (past options) by a subcommand. */
function approvalsAt(words: readonly string[], at: number): boolean {
  if (words[at] !== GATE) return false;
  const sub = pastOptions(words, at + 1);
  return sub < words.length && SUBCOMMANDS.has(words[sub]!);
}

/**
 * Whether `words` (in order) run an approval command: a word naming thoth,
 * options, then `approvals` and a subcommand. A word with white space in it
 * that holds `approvals` is split again, `depth` more times at most.
 */
function wordsRun(words: readonly string[], depth: number): boolean {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === GATE) {
      // Look back past options for the program.
      let j = i - 1;
      while (j >= 0 && words[j]!.charCodeAt(0) === 45) j--;
      if (j >= 0 && namesThoth(words[j]!) && approvalsAt(words, i)) return true;
    } else if (depth > 0 && word.indexOf(GATE) !== -1 && WHITE_SPACE.test(word)) {
      if (textRuns(word, depth - 1)) return true;
    }
  }
  return false;
}

/** Whether `text`, split into words as a shell splits it, runs an approval command. */
function textRuns(text: string, depth: number): boolean {
  if (wordsRun(shellWords(text, true).words, depth)) return true;
  // On Windows `\` separates folders: a text with one is read both ways.
  return text.indexOf("\\") !== -1 &&
    wordsRun(shellWords(text, false).words, depth);
}

/**
 * Whether some string in `args` (a value or a key, anywhere, also inside
 * JSON a string holds), or some list of strings read as one command's words,
 * runs one of thoth's approval commands (see the module's documentation).
 */
export function runsApprovalCommand(args: unknown): boolean {
  // A list that starts with `approvals` and a subcommand counts when the call names thoth too.
  let headless = false;
  const pending: unknown[] = [args];
  const read = (value: string): boolean => {
    if (value.indexOf(GATE) === -1) return false;
    if (textRuns(value, MAX_DEPTH)) return true;
    if (leadsJson(value)) {
      try {
        pending.push(parsePythonJson(value));
      } catch {
        // Not JSON: read as it is.
      }
    }
    return false;
  };
  // Iterative: arguments may nest deeper than the call stack goes.
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (read(value)) return true;
    } else if (Array.isArray(value)) {
      let strings = true;
      let gated = false;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item !== "string") strings = false;
        else if (item.indexOf(GATE) !== -1) gated = true;
        pending.push(item);
      }
      if (strings && gated) {
        const words = value as string[];
        if (wordsRun(words, MAX_DEPTH)) return true;
        if (approvalsAt(words, 0)) headless = true;
      }
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (read(key)) return true;
        pending.push((value as Record<string, unknown>)[key]);
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
