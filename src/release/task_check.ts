/**
 * Checks one task of `deno.json`: reads it as `deno task` does (see
 * `task_script.ts`) and checks every `deno` or `dx` call in it (see
 * `deno_call_check.ts`), wherever its shell puts the call (after `&`, a line
 * break, `VAR=x`, `!`, inside parentheses). What cannot be read with
 * certainty is a finding, not a pass: a command substitution, a command name
 * only known when the task runs (`$VAR`, globs, braces, a backslash), deno
 * named in another program's arguments (`xargs deno …`, `sh -c "deno …"`),
 * and a `DENO_*` variable set by the task that could change how deno grants
 * permissions. Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkTask('task "a"', "cd sub && deno test -P=test", { test: { read: true } }, findings);
 * findings.map((f) => f.code); // ["config_override"]
 * ```
 */
import { parseTaskScript, type TaskWord } from "./task_script.ts";
import { checkDenoCall, isDeno, isDx } from "./deno_call_check.ts";
import type { Finding } from "./permission_finding.ts";

const MENTIONS_DENO = /(?:^|[^a-z0-9_.-])(?:deno|dx)(?:\.(?:exe|cmd|bat))?(?:$|[^a-z0-9_.-])/i;

/** `DENO_*` variables a task may set: none of them touches permissions. */
const HARMLESS_DENO_ENV = new Set(
  "DENO_DIR DENO_NO_UPDATE_CHECK DENO_NO_PROMPT DENO_JOBS DENO_TRACE_PERMISSIONS".split(" "),
);

function checkAssignment(where: string, text: string, findings: Finding[]): void {
  const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(text)?.[1];
  if (name === undefined || !/^DENO_/i.test(name) || HARMLESS_DENO_ENV.has(name)) return;
  findings.push({
    code: "deno_env",
    where,
    message: `sets ${name}, which changes how deno runs (DENO_PERMISSION_BROKER_PATH, for ` +
      "one, hands every permission decision to another program); this check cannot judge " +
      "it: drop it from the task",
  });
}

/**
 * Every finding for one task's command text, pushed on `findings`.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkTask('task "a"', "X=1 deno run -A a.ts", { t: { read: true } }, findings);
 * findings.map((f) => f.code); // ["allow_all"]
 * ```
 */
export function checkTask(
  where: string,
  text: string,
  sets: Readonly<Record<string, unknown>>,
  findings: Finding[],
): void {
  const script = parseTaskScript(text);
  for (const p of script.problems) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `cannot be read with certainty: ${p}; write each command, deno calls above all, ` +
        "plainly (or move the logic into a script the task runs with deno run -P=<set>)",
    });
  }
  let afterCd = false;
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
    if (name === undefined) {
      checkMentions(where, words, "", findings);
      continue;
    }
    if (name.computed !== undefined) {
      findings.push({
        code: "unreadable_task",
        where,
        message: `runs a command whose name ("${name.text}") holds ${name.computed} and is only ` +
          "known when the task runs, so it may be deno; name the command literally",
      });
      continue;
    }
    if (isDeno(name.text) || isDx(name.text)) {
      checkDenoCall(where, words.slice(at), afterCd, sets, findings);
      continue;
    }
    if (name.text === "cd") afterCd = true;
    if (name.text === "export") {
      for (const w of words.slice(at + 1)) checkAssignment(where, w.text, findings);
    }
    checkMentions(where, words, name.text, findings);
  }
}

/** A command that is not deno but names deno (`xargs deno …`, `sh -c "deno …"`) is unreadable. */
function checkMentions(
  where: string,
  words: readonly TaskWord[],
  name: string,
  findings: Finding[],
): void {
  const hit = words.find((w) => MENTIONS_DENO.test(w.text));
  if (hit === undefined) return;
  findings.push({
    code: "unreadable_task",
    where,
    message:
      `${
        name === "" ? "stores" : `runs "${name}" with`
      } deno in its words ("${hit.text}"), so deno may run with permissions this check cannot ` +
      "see; call deno directly as its own command in the task",
  });
}
