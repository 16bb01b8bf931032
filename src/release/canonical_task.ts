/**
 * Tasks of `deno.json` that must read exactly as written here. The
 * `check-permissions` task runs the check that reads deno.json; were it
 * another command (`echo check_permissions: ok` passes every other rule,
 * `echo` being a built-in that runs no program), one edit of deno.json
 * would turn off the check that guards deno.json. CI runs the script itself
 * (`.ci/run`), and this keeps `deno task check-permissions` and `deno task ok`
 * honest too. Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkCanonicalTask("check-permissions", "echo check_permissions: ok", findings);
 * findings[0]?.code; // "not_canonical"
 * ```
 */
import type { Finding } from "./permission_finding.ts";

/**
 * Task name → the one command it may hold, as a plain string.
 *
 * @example
 * ```ts
 * CANONICAL_TASKS["check-permissions"]; // "deno run -P=check_permissions --no-prompt --quiet scripts/check_permissions.ts"
 * ```
 */
export const CANONICAL_TASKS: Readonly<Record<string, string>> = {
  "check-permissions":
    "deno run -P=check_permissions --no-prompt --quiet scripts/check_permissions.ts",
};

/**
 * Adds a finding when `name` is a task of {@linkcode CANONICAL_TASKS} and
 * `value` is not its command as a plain string (an object form, extra words
 * or other spacing included). A task that is not there is not a finding:
 * `deno task check-permissions` then fails rather than passes.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkCanonicalTask("check-permissions", CANONICAL_TASKS["check-permissions"], findings);
 * findings.length; // 0
 * ```
 */
export function checkCanonicalTask(name: string, value: unknown, findings: Finding[]): void {
  if (!Object.hasOwn(CANONICAL_TASKS, name)) return;
  const expected = CANONICAL_TASKS[name] as string;
  if (value === expected) return;
  const got = typeof value === "string" ? JSON.stringify(value.slice(0, 200)) : "not a string";
  findings.push({
    code: "not_canonical",
    where: `task "${name}"`,
    message: `must be exactly ${JSON.stringify(expected)}, the command that runs the ` +
      `permission check, but is ${got}; set it back to that command ` +
      "(src/release/canonical_task.ts names it)",
  });
}
