/**
 * Calls in code, for the approval-command reading (`approval_commands.ts`):
 * whether a call's arguments are data (`VALUES ('…')`, `print('…')`) or
 * what a runner runs (`subprocess.run(`, `execFileSync(`, `new
 * Deno.Command(`, `Process.Start(`, `Runtime.getRuntime().exec(`, see
 * {@linkcode RUNNER_CALL}, or a name a runner was given in the same text:
 * `p = os.popen`, `from subprocess import run as r`), and the words a run
 * of quoted strings in code stands for. Pure.
 *
 * @example
 * ```ts
 * codeLists(`"thoth", { args: ["approvals", "list"] }`);
 * // [["thoth", "approvals", "list"]]
 * codeLists(`"thoth", "approvals approve k3f9x2qa"`);
 * // [["thoth", "approvals", "approve", "k3f9x2qa"]]
 * ```
 */
import { LIST_ITEM, RUNNER_CALL } from "./approval_command_words.ts";

/** A name given a value (`p = os.popen`, `r := exec.Command`): the name and what it is given. */
const ASSIGNED_NAME = /(?<![\w$])([A-Za-z_$][\w$]*)[ \t]*(?::=|=(?![=>]))[ \t]*([^;\n]*)/g;

/** A name a runner is imported as (`from subprocess import run as r`, `{ execSync: r }`). */
const IMPORTED_NAME =
  /(?<![\w$])([A-Za-z_$][\w$]*)(?:[ \t]+as[ \t]+|[ \t]*:[ \t]*)([A-Za-z_$][\w$]*)/g;

/** Whether `name`, the last part of a call's name (after `.` or `:`), is a runner's. */
function runnerName(name: string): boolean {
  return RUNNER_CALL.test(name);
}

/** The last part of a dotted name (`os.popen` → `popen`). */
function lastName(caller: string): string {
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
 * The runs of quoted strings (and names, as `$_`) a segment of code starts
 * with, read as a command's words: as written (`'thoth',['approvals',…]`,
 * past `{`, `}`, a key's `args:` and `new String[]`) and, when a string
 * holds white space, with each string split at it (`Process.Start("thoth",
 * "approvals approve ID")`). Only runs of three words or more.
 */
export function codeLists(segment: string): string[][] {
  if (segment.indexOf(",") === -1) return [];
  const words: string[] = [];
  LIST_ITEM.lastIndex = 0;
  for (;;) {
    const m = LIST_ITEM.exec(segment);
    if (m === null || m[0] === "") break;
    words.push(m[1] ?? m[2] ?? "$_");
  }
  const lists: string[][] = [];
  if (words.length >= 3) lists.push(words);
  if (words.some((word) => /\s/.test(word))) {
    const split = words.flatMap((word) => word.split(/\s+/).filter((part) => part !== ""));
    if (split.length >= 3) lists.push(split);
  }
  return lists;
}
