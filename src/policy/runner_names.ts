/**
 * The names of runners in code, for the approval-command reading
 * (`approval_command_code.ts`, `approval_command_runs.ts`): whether a
 * call's name is a runner's (`subprocess.run`, `execFileSync`, see
 * `RUNNER_CALL`) or one a runner was given in the same text (`p =
 * os.popen`, `from subprocess import run as r`), whether its list holds the
 * program's own `argv[0]` (`os.execlp`, `posix_spawn`), whether a call
 * takes data instead (`print('…')`), and Python's `getattr(os, 'execvp')`
 * read as the name it gives. Pure.
 *
 * @example
 * ```ts
 * runnerName("popen"); // true
 * lastName("os.popen"); // "popen"
 * runnerAliases("p = os.popen").has("p"); // true
 * takesData("print", () => new Map()); // true
 * ```
 */
import { RUNNER_CALL } from "./approval_command_words.ts";

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
 * `e = os.execvp`, `const r = require("child_process").execSync`, `from
 * subprocess import run as r`, `{ execSync: r }`; each with whether the
 * runner's list holds the program's own `argv[0]` ({@linkcode ARGV0_CALL}).
 * Wide: a value that holds a runner's word counts.
 */
export function runnerAliases(text: string): Map<string, boolean> {
  const names = new Map<string, boolean>();
  const add = (name: string, runner: string): void => {
    names.set(name, names.get(name) === true || ARGV0_CALL.test(runner));
  };
  for (const m of text.matchAll(ASSIGNED_NAME)) {
    for (const word of m[2]!.split(/[^\w$]+/)) {
      if (word !== "" && runnerName(word)) add(m[1]!, word);
    }
  }
  for (const m of text.matchAll(IMPORTED_NAME)) {
    if (runnerName(m[1]!)) add(m[2]!, m[1]!);
  }
  return names;
}

/**
 * Whether a call of `caller` holds the program's own `argv[0]` in its list
 * (see {@linkcode ARGV0_CALL}): by its name, or by the runner a name in
 * `aliases` was given (`e = os.execvp; e(…)`, `from os import execlp as
 * run_it`).
 *
 * @example
 * ```ts
 * const aliases = () => runnerAliases("e = os.execvp");
 * argv0Call("os.execlp", aliases); // true
 * argv0Call("e", aliases); // true
 * argv0Call("subprocess.run", aliases); // false
 * ```
 */
export function argv0Call(caller: string, aliases: () => ReadonlyMap<string, boolean>): boolean {
  const name = lastName(caller);
  if (ARGV0_CALL.test(name)) return true;
  if (caller === "") return false;
  return aliases().get(caller) === true || aliases().get(name) === true;
}

/**
 * Python's `getattr(os, 'execvp')`, a module's runner named by a string: its
 * first argument a name, or one called or subscripted once
 * (`__import__('os')`, `sys.modules['os']`), then the string, then a
 * default (`None`, a name or a string) or none, across lines too.
 */
const GETATTR =
  /getattr\(\s*([A-Za-z_][\w.]*(?:\([^()]*\)|\[[^[\]]*\])?)\s*,\s*(['"])([A-Za-z_]\w*)\2\s*(?:,\s*(?:[\w.]+|'[^'\\\n]*'|"[^"\\\n]*")\s*)?,?\s*\)/g;

/**
 * `text` with Python's `getattr(MODULE, 'NAME')` written as `MODULE.NAME`, so
 * that a call of it (`getattr(os, 'execvp')('thoth', […])`) or a name given
 * it (`e = getattr(os, 'execvp')`) is read as a runner's.
 *
 * @example
 * ```ts
 * getattrRead("getattr(os, 'execvp', None)('thoth', […])"); // "os.execvp('thoth', […])"
 * getattrRead("getattr(__import__('os'), 'execvp')"); // "__import__('os').execvp"
 * ```
 */
export function getattrRead(text: string): string {
  return text.indexOf("getattr") === -1 ? text : text.replace(GETATTR, "$1.$3");
}

/**
 * Whether a segment's text is the arguments of a call in code that takes
 * data (`VALUES ('…')`, `print('…')`), not of one that runs them
 * (`subprocess.run(`, a name in `aliases`) or a subshell's `(`.
 */
export function takesData(caller: string, aliases: () => ReadonlyMap<string, boolean>): boolean {
  if (caller === "") return false;
  const name = lastName(caller);
  return !runnerName(name) && !aliases().has(caller) && !aliases().has(name);
}

/**
 * The last part of the name of a call whose list holds the program's own
 * `argv[0]` after the program: the `exec*l*`, `exec*v*`, `spawn*l*` and
 * `spawn*v*` families (`os.execlp`, C's `execl`, `_spawnv`, Windows'
 * `_wexecl` and `_wspawnv`) and `posix_spawn` and `posix_spawnp`, whose
 * second string is `argv[0]`, whatever it says. Not `execFile`,
 * `spawnSync`, `execvp` in a list built elsewhere aside.
 */
export const ARGV0_CALL = /^(?:_?w?(?:exec|spawn)[lv]p?e?|posix_spawnp?)$/;
