/**
 * The shape of one task of `deno.json`, for the permission check: a string,
 * or an object with a string `command` and `dependencies` naming tasks of this
 * deno.json. Each command goes to `task_check.ts`; any other shape, which
 * deno task might read differently, is a finding, and so is a task of
 * `canonical_task.ts` that is not its command exactly.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkTaskDefinition("b", { command: "deno task a", dependencies: ["c"] }, {
 *   sets: {},
 *   tasks: new Set(["a", "b"]),
 * }, findings);
 * findings.map((f) => f.code); // ["unknown_task"]
 * ```
 */
import type { Finding } from "./permission_finding.ts";
import { checkTask, type TaskContext } from "./task_check.ts";
import { checkCanonicalTask } from "./canonical_task.ts";

const TASK_KEYS = new Set(["command", "dependencies", "description"]);

/**
 * Checks one task definition: a string, or an object with a string
 * `command` and `dependencies` naming tasks of this deno.json. Anything else
 * deno task might read differently is a finding.
 */
export function checkTaskDefinition(
  name: string,
  value: unknown,
  context: TaskContext,
  findings: Finding[],
): void {
  const where = `task "${name}"`;
  checkCanonicalTask(name, value, findings);
  if (typeof value === "string") {
    checkTask(where, value, context, findings);
    return;
  }
  const unreadable = (what: string) =>
    findings.push({
      code: "unreadable_task",
      where,
      message: `${what}; write the task as a string, or as { "command": "…", ` +
        '"dependencies": ["<task>"] } naming tasks of this deno.json',
    });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    unreadable("is neither a string nor an object");
    return;
  }
  const task = value as Record<string, unknown>;
  for (const key of Object.keys(task)) {
    if (!TASK_KEYS.has(key)) unreadable(`has the key "${key}", which this check does not read`);
  }
  const command = task["command"];
  if (typeof command === "string") checkTask(where, command, context, findings);
  else if (command !== undefined) unreadable('has a "command" that is not a string');
  const dependencies = task["dependencies"];
  if (dependencies === undefined) return;
  if (!Array.isArray(dependencies)) {
    unreadable('has "dependencies" that are not a list');
    return;
  }
  for (const dependency of dependencies) {
    if (typeof dependency === "string" && context.tasks.has(dependency)) continue;
    findings.push({
      code: "unknown_task",
      where,
      message: `depends on ${JSON.stringify(dependency)}, which is not a task of this ` +
        "deno.json (deno task would look in package.json scripts or a workspace); name a " +
        "task defined here",
    });
  }
}
