/**
 * Checks one task of `deno.json` by allowlist: reads it as `deno task` does
 * (see `task_script.ts`), and lets through only two kinds of command: the
 * literal word `deno`, whose every call is checked (see
 * `deno_call_check.ts`), and the few `deno task` built-ins that cannot run a
 * program ({@linkcode TASK_BUILTINS}). Any other command name (a path, an npm
 * package's command, `/proc/self/exe`, `cd`, `xargs`) is a finding, and so
 * is what cannot be read with certainty: a command substitution, a name or a
 * file argument only known when the task runs (`$VAR`, globs, braces, a
 * backslash), a character other than printable text, space and tab (deno
 * task splits words at Unicode spaces), a variable set by the task other
 * than a few harmless ones, and a file write (`cp`, `mv`, `rm`, `mkdir`, a
 * `>` redirect) that leaves the project or touches deno.json, package.json,
 * the lock or node_modules, which would change what a later deno call reads,
 * or .git (see `protected_path.ts`).
 * Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkTask('task "a"', "./rt run -A x.ts", { sets: {}, tasks: new Set() }, findings);
 * findings.map((f) => f.code); // ["unlisted_command"]
 * ```
 */
import { parseTaskScript, type TaskWord } from "./task_script.ts";
import { checkDenoCall, type TaskContext } from "./deno_call_check.ts";
import type { Finding } from "./permission_finding.ts";
import { writeProblem } from "./protected_path.ts";

export type { TaskContext } from "./deno_call_check.ts";

/**
 * The `deno task` built-ins a task may run: none of them runs a program.
 * `xargs` (runs its arguments), `cd` (makes deno read another folder's
 * deno.json) and `set`, `shopt`, `test` (not needed) are left out.
 *
 * @example
 * ```ts
 * TASK_BUILTINS.has("xargs"); // false
 * ```
 */
export const TASK_BUILTINS: ReadonlySet<string> = new Set(
  "echo exit sleep true false export unset mkdir rm cp mv pwd cat head".split(" "),
);

/** Built-ins whose operands are files they create, change or remove. */
const WRITES_FILES = new Set(["cp", "mv", "rm", "mkdir"]);

/** Variables a task may set: none changes how deno, the loader or deno task behaves. */
const HARMLESS_ENV = new Set(
  "NO_COLOR FORCE_COLOR DENO_NO_UPDATE_CHECK DENO_NO_PROMPT DENO_JOBS DENO_TRACE_PERMISSIONS"
    .split(" "),
);

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Printable text, space and tab only: deno task splits words at Unicode spaces too. */
function checkCharacters(where: string, text: string, findings: Finding[]): void {
  const seen = new Set<string>();
  for (const ch of text) {
    if (ch === " " || ch === "\t" || !/[\p{C}\p{Z}\p{White_Space}]/u.test(ch)) continue;
    if (seen.has(ch)) continue;
    seen.add(ch);
    findings.push({
      code: "unreadable_task",
      where,
      message: `holds the character ${codePoint(ch)}, a line break, control, format or ` +
        "Unicode space character that deno task may read as a word or command separator; " +
        "write the task on one line with plain spaces",
    });
  }
}

function checkAssignment(where: string, text: string, findings: Finding[]): void {
  const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(text)?.[1];
  if (name === undefined || HARMLESS_ENV.has(name)) return;
  findings.push({
    code: "deno_env",
    where,
    message: `sets ${name}, which this check cannot judge (DENO_DIR, LD_PRELOAD, HOME and ` +
      "DENO_PERMISSION_BROKER_PATH, for some, change which program or permissions deno ends " +
      "up with); drop it from the task, or set it in the program",
  });
}

function checkWrite(where: string, verb: string, word: TaskWord, findings: Finding[]): void {
  if (word.computed !== undefined) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `${verb} "${word.text}", which holds ${word.computed} and is only known when ` +
        "the task runs; name the file literally",
    });
    return;
  }
  const problem = writeProblem(word.text);
  if (problem === undefined) return;
  findings.push({
    code: "protected_path",
    where,
    message: `${verb} "${word.text}", which ${problem}; a task may only write plain paths ` +
      "inside the project, away from deno.json, package.json, deno.lock, node_modules and .git",
  });
}

/**
 * Every finding for one task's command text, pushed on `findings`.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkTask('task "a"', "deno run -A a.ts", { sets: { t: {} }, tasks: new Set() }, findings);
 * findings.map((f) => f.code); // ["allow_all"]
 * ```
 */
export function checkTask(
  where: string,
  text: string,
  context: TaskContext,
  findings: Finding[],
): void {
  checkCharacters(where, text, findings);
  const script = parseTaskScript(text);
  for (const p of script.problems) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `cannot be read with certainty: ${p}; write each command, deno calls above all, ` +
        "plainly (or move the logic into a script the task runs with deno run -P=<set>)",
    });
  }
  for (const target of script.outputs) checkWrite(where, "writes to", target, findings);
  for (const command of script.commands) {
    let at = 0;
    const words = command.words;
    while (at < words.length) {
      const w = words[at] as TaskWord;
      if (w.text === "!" && w.computed === undefined) at++;
      else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text)) {
        checkAssignment(where, w.text, findings);
        at++;
      } else break;
    }
    const name = words[at];
    if (name === undefined) continue;
    if (name.computed !== undefined) {
      findings.push({
        code: "unreadable_task",
        where,
        message: `runs a command whose name ("${name.text}") holds ${name.computed} and is only ` +
          "known when the task runs; name the command literally",
      });
      continue;
    }
    if (name.text === "deno") {
      checkDenoCall(where, words.slice(at), context, findings);
      continue;
    }
    if (!TASK_BUILTINS.has(name.text)) {
      findings.push(unlisted(where, name.text));
      continue;
    }
    const args = words.slice(at + 1);
    if (name.text === "export") {
      for (const w of args) checkAssignment(where, w.text, findings);
    }
    if (WRITES_FILES.has(name.text)) {
      for (const w of args) {
        if (w.computed !== undefined || !w.text.startsWith("-")) {
          checkWrite(where, `runs ${name.text} on`, w, findings);
        }
      }
    }
  }
}

function unlisted(where: string, name: string): Finding {
  if (name === "cd") {
    return {
      code: "config_override",
      where,
      message: "runs cd, after which deno may read another folder's deno.json and its " +
        "permission sets; run every command from the project root (drop the cd)",
    };
  }
  return {
    code: "unlisted_command",
    where,
    message: `runs "${name}", which is neither deno nor a deno task built-in that runs no ` +
      "program (a path, a copy of deno or an npm package's command runs with whatever flags " +
      "it likes); run it through deno run -P=<set> or move it to a script",
  };
}
