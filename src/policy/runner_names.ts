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
 * `e = os.execvp`, `(e := os.execvp)`, `e, f = os.execvp, print` (every
 * name of a tuple's left side when a value on its right is a runner's),
 * `const r = require("child_process").execSync`, `from subprocess import
 * run as r`, `{ execSync: r }`, and a name given one of these (`b = e`,
 * followed a few assignments deep); each with whether the runner's list
 * holds the program's own `argv[0]` ({@linkcode ARGV0_CALL}). Wide: a value
 * that holds a runner's word or such a name counts.
 */
export function runnerAliases(text: string): Map<string, boolean> {
  const names = new Map<string, boolean>();
  const add = (name: string, argv0: boolean): boolean => {
    const was = names.get(name);
    names.set(name, was === true || argv0);
    return was !== (was === true || argv0);
  };
  for (const m of text.matchAll(IMPORTED_NAME)) {
    if (runnerName(m[1]!)) add(m[2]!, ARGV0_CALL.test(m[1]!));
  }
  // Each assignment's names and the words of its value, kept for the names given an alias.
  const assignments: { targets: string[]; words: string[] }[] = [];
  // Where the last assignment ended: the names of a tuple's left side are looked for after it.
  let after = 0;
  for (const m of text.matchAll(ASSIGNED_NAME)) {
    const targets = tupleTargets(text, m.index, after);
    after = m.index + m[0].length;
    targets.push(m[1]!);
    const words = m[2]!.split(/[^\w$]+/).filter((word) => word !== "");
    assignments.push({ targets, words });
    // Every name of a tuple a runner's: a swap (`e, f = f, e`) or a later `b = a` may move it.
    const argv0 = runnerWords(words);
    if (argv0 !== undefined) { for (const name of targets) add(name, argv0); }
  }
  // A name given an alias (`b = a`), to a fixed point a few passes deep: each pass reads each
  // assignment once.
  for (let pass = 0; pass < ALIAS_PASSES && names.size > 0; pass++) {
    let grew = false;
    for (const { targets, words } of assignments) {
      let argv0: boolean | undefined;
      for (const word of words) {
        const known = names.get(word);
        if (known !== undefined) argv0 = argv0 === true || known;
      }
      if (argv0 === undefined) continue;
      for (const name of targets) if (add(name, argv0)) grew = true;
    }
    if (!grew) break;
  }
  return names;
}

/** How many passes follow a name given an alias (`b = a; c = b`), each over every assignment. */
const ALIAS_PASSES = 4;

/**
 * Whether a value's words hold a runner's, and then whether one of them is
 * a call whose list holds the program's `argv[0]` ({@linkcode ARGV0_CALL});
 * undefined for none.
 */
function runnerWords(words: readonly string[]): boolean | undefined {
  let argv0: boolean | undefined;
  for (const word of words) {
    if (runnerName(word)) argv0 = argv0 === true || ARGV0_CALL.test(word);
  }
  return argv0;
}

/**
 * The names before `at` in `text`, back to `from` at most, that a tuple's
 * left side gives with the name at `at` (`e, f = …`: `["e"]` for `f`),
 * in order; none for a plain assignment. Reads backwards by hand, each
 * character once over all the assignments of a text.
 */
function tupleTargets(text: string, at: number, from: number): string[] {
  const names: string[] = [];
  let i = at;
  for (;;) {
    let k = i;
    while (k > from && (text[k - 1] === " " || text[k - 1] === "\t")) k--;
    if (k <= from || text[k - 1] !== ",") break;
    k--;
    while (k > from && (text[k - 1] === " " || text[k - 1] === "\t")) k--;
    const end = k;
    while (k > from && /[\w$]/.test(text[k - 1]!)) k--;
    if (k === end || !/[A-Za-z_$]/.test(text[k]!)) break;
    names.push(text.slice(k, end));
    i = k;
  }
  return names.reverse();
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
 * default (`None`, a name, a string, or a lambda, one level of parentheses
 * in it: `lambda *a: None`) or none, across lines too. A lambda's default
 * holds no line break, `#`, backtick, `;`, `$` or quote, so that it cannot
 * pass over a shell's other command: a getattr whose default would need
 * one is left as written.
 */
const GETATTR =
  /getattr\(\s*([A-Za-z_][\w.]*(?:\([^()]*\)|\[[^[\]]*\])?)\s*,\s*(['"])([A-Za-z_]\w*)\2(?:(?:\s*,\s*([\w.]+|'[^'\\\n]*'|"[^"\\\n]*"))?\s*(?:,\s*)?|\s*,\s*(lambda\b(?:[^()\n\r#`;$'"]|\([^()\n\r#`;$'"]*\))*))\)/g;

/** A call's `(` after blanks: what follows a getattr that is called. */
const CALLED = /^[ \t]*\(/;

/**
 * `text` with Python's `getattr(MODULE, 'NAME')` written as `MODULE.NAME`, so
 * that a call of it (`getattr(os, 'execvp')('thoth', […])`) or a name given
 * it (`e = getattr(os, 'execvp')`) is read as a runner's. Each default it
 * leaves out (`'thoth approvals …'`, `lambda: …`) is pushed to `defaults`,
 * to be read on its own: it is what the call returns when the module has
 * no such name, and a shell may run what it holds (`"…'$(…)'…"`). The line
 * breaks it spans are kept, before the name when a call follows and after
 * it else: a shell's comment ends at one (`$(: # getattr(os, 'x'⏎) thoth …`).
 *
 * @example
 * ```ts
 * getattrRead("getattr(os, 'execvp', None)('thoth', […])"); // "os.execvp('thoth', […])"
 * getattrRead("getattr(__import__('os'), 'execvp')"); // "__import__('os').execvp"
 * const defaults: string[] = [];
 * getattrRead("os.system(getattr(os, 'x', 'ls'))", defaults); // "os.system(os.x)"
 * defaults; // ["'ls'"]
 * ```
 */
export function getattrRead(text: string, defaults?: string[]): string {
  if (text.indexOf("getattr") === -1) return text;
  return text.replace(
    GETATTR,
    (
      call: string,
      module: string,
      _quote,
      name: string,
      value?: string,
      lambda?: string,
      at?: number,
    ) => {
      const left = value ?? lambda;
      if (left !== undefined) defaults?.push(left);
      // The line breaks it passed over stay, as a shell reads them (a comment ends at one):
      // before the name when it is called, so that the call still follows it; after it else.
      const breaks = call.replace(/[^\n]+/g, "");
      if (breaks === "") return module + "." + name;
      return CALLED.test(text.slice(at! + call.length, at! + call.length + 64))
        ? breaks + module + "." + name
        : module + "." + name + breaks;
    },
  );
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
 * `_wexecl`, `_wspawnv` and `_texeclp`) and `posix_spawn` and `posix_spawnp`, whose
 * second string is `argv[0]`, whatever it says. Not `execFile`,
 * `spawnSync`, `execvp` in a list built elsewhere aside.
 */
export const ARGV0_CALL = /^(?:_?[wt]?(?:exec|spawn)[lv]p?e?|posix_spawnp?)$/;
