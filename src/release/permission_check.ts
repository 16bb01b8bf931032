/**
 * The analysis behind `scripts/check_permissions.ts`: given the parsed
 * `deno.json` and the `deno compile` command lines the build would run, list
 * every way a task, a test config or a binary could get more than the
 * permission manifest says. Pure; the script only reads files and prints.
 *
 * This module checks the manifest itself (a set that grants every kind
 * unscoped is `-A` by another name; `permission_ceiling.ts` pins each set),
 * the `permissions` of the test,
 * bench, compile, run and serve configs, the compile command lines (their
 * words by allowlist in `compile_words_check.ts`, their grant against the set
 * here) and the shape of each task (a string, or `command` plus
 * `dependencies` naming tasks defined here, in `task_definition_check.ts`);
 * each task's text goes to `task_check.ts`, which lets
 * through only `deno` (each call checked by `deno_call_check.ts`) and
 * built-ins that run no program. What cannot be read with certainty is a
 * finding, not a pass. The files around deno.json (other configs,
 * package.json, the lock's npm commands) are `project_check.ts`'s.
 *
 * @example
 * ```ts
 * const findings = checkPermissions(
 *   { permissions: { test: { read: true } }, tasks: { test: "deno test -P=test -A" } },
 *   [],
 * );
 * findings[0]?.code; // "allow_all"
 * ```
 */
import { describeGrant, grantOfFlags, grantOfSet, sameGrant } from "./permission_grants.ts";
import type { Finding } from "./permission_finding.ts";
import type { CompileCommand } from "./compile_command.ts";
import { launchFlagInEffect } from "../platform/source_launch_flags.ts";
import { checkTaskDefinition } from "./task_definition_check.ts";
import { checkCompileWords } from "./compile_words_check.ts";

export type { Finding, FindingCode } from "./permission_finding.ts";
export type { CompileCommand } from "./compile_command.ts";

/** The kinds `-A` grants that a set can name; all of them unscoped is `-A` by another name. */
const EVERY_KIND = ["read", "write", "net", "env", "sys", "run", "ffi"] as const;

/**
 * Every finding for a `deno.json` object and the build's compile commands.
 * An empty list means the tasks, the test config and the binaries get no more
 * than the manifest names.
 *
 * @example
 * ```ts
 * checkPermissions({ permissions: { t: { read: true } }, tasks: { a: "X=1 deno run -A a.ts" } }, [])
 *   .map((f) => f.code); // ["allow_all"]
 * ```
 */
export function checkPermissions(
  config: unknown,
  compiles: readonly CompileCommand[],
): Finding[] {
  const findings: Finding[] = [];
  const root = typeof config === "object" && config !== null
    ? config as Record<string, unknown>
    : {};
  const permissions = root["permissions"];
  const sets: Record<string, unknown> =
    typeof permissions === "object" && permissions !== null && !Array.isArray(permissions)
      ? permissions as Record<string, unknown>
      : {};
  if (Object.keys(sets).length === 0) {
    findings.push({
      code: "no_manifest",
      where: 'deno.json "permissions"',
      message: "there is no permission manifest (no named permission sets)",
    });
  }
  for (const [name, set] of Object.entries(sets)) {
    const grant = grantOfSet(set);
    if (grant["allow-all"] === true) {
      findings.push({
        code: "allow_all",
        where: `permission set "${name}"`,
        message: 'grants every permission ("all": true)',
      });
    } else if (EVERY_KIND.every((k) => grant[`allow-${k}`] === true && !grant[`deny-${k}`])) {
      findings.push({
        code: "allow_all",
        where: `permission set "${name}"`,
        message: `grants every permission kind (${EVERY_KIND.join(", ")}) without scope, which ` +
          "is the same as -A; grant only the kinds its program needs, scoped where it can",
      });
    }
  }

  const tasks = root["tasks"];
  if (typeof tasks === "object" && tasks !== null && !Array.isArray(tasks)) {
    const entries = Object.entries(tasks as Record<string, unknown>);
    const context = { sets, tasks: new Set(entries.map(([name]) => name)) };
    for (const [name, value] of entries) checkTaskDefinition(name, value, context, findings);
  } else if (tasks !== undefined) {
    findings.push({
      code: "unreadable_task",
      where: 'deno.json "tasks"',
      message: 'is not an object of tasks; write it as { "<name>": "<command>" }',
    });
  }

  for (const section of ["test", "bench", "compile", "run", "serve"]) {
    const block = root[section];
    if (typeof block !== "object" || block === null) continue;
    const value = (block as Record<string, unknown>)["permissions"];
    if (value === undefined) continue;
    const where = `deno.json "${section}.permissions"`;
    if (typeof value === "string") {
      if (!(value in sets)) {
        findings.push({
          code: "unknown_set",
          where,
          message: `names permission set "${value}", which deno.json "permissions" does not define`,
        });
      }
    } else {
      findings.push({
        code: "inline_permissions",
        where,
        message: "grants permissions inline instead of naming a manifest set",
      });
    }
  }

  const lint = root["lint"];
  const plugins = typeof lint === "object" && lint !== null
    ? (lint as Record<string, unknown>)["plugins"]
    : undefined;
  if (plugins !== undefined && !(Array.isArray(plugins) && plugins.length === 0)) {
    findings.push({
      code: "ungoverned_grant",
      where: 'deno.json "lint.plugins"',
      message: "names lint plugins, which deno lint runs with read and env access that no " +
        "manifest set names; drop the plugins or run them from a script with -P=<set>",
    });
  }

  for (const compile of compiles) {
    const where = `compile ${compile.label}`;
    checkCompileWords(compile, findings);
    const { grant, sets: named, unknown } = grantOfFlags(compile.argv.slice(2));
    if (grant["allow-all"] === true) {
      findings.push({ code: "allow_all", where, message: "compiles with -A/--allow-all" });
    }
    for (const flag of unknown) {
      findings.push({
        code: "unknown_flag",
        where,
        message: `unrecognised permission flag "${flag}"`,
      });
    }
    if (!compile.argv.slice(0, -1).includes("--no-prompt")) {
      findings.push({
        code: "no_prompt",
        where,
        message: "compiles without --no-prompt, so the binary asks at a terminal to grant what " +
          "its set leaves out; keep --no-prompt in COMPILE_FIXED_FLAGS (src/release/build_plan.ts)",
      });
    }
    if (!launchFlagInEffect(compile.argv.slice(0, -1), "--no-remote")) {
      findings.push({
        code: "remote_modules",
        where,
        message: "compiles without --no-remote, so the binary may embed modules fetched from " +
          "the network; keep --no-remote in COMPILE_FIXED_FLAGS (src/release/build_plan.ts)",
      });
    }
    if (named.length > 0) {
      findings.push({
        code: "compile_mismatch",
        where,
        message: `loads permission set(s) ${named.join(", ")} instead of baking explicit flags`,
      });
    }
    const set = sets[compile.set];
    if (set === undefined) {
      findings.push({
        code: "missing_set",
        where,
        message: `deno.json "permissions" has no set "${compile.set}" for this binary`,
      });
      continue;
    }
    const expected = grantOfSet(set);
    if (!sameGrant(grant, expected)) {
      findings.push({
        code: "compile_mismatch",
        where,
        message: `compile flags grant ${describeGrant(grant)} but set "${compile.set}" is ${
          describeGrant(expected)
        }`,
      });
    }
  }
  return findings;
}
