/**
 * The analysis behind `scripts/check_permissions.ts`: given the parsed
 * `deno.json` and the `deno compile` command lines the build would run, list
 * every way a task, a test config or a binary could get more than the
 * permission manifest says. Pure; the script only reads files and prints.
 *
 * This module checks the manifest itself, the `permissions` of the test,
 * bench, compile, run and serve configs, and the compile command lines; each
 * task goes to `task_check.ts`, which reads it as `deno task` does
 * (`task_script.ts`) and checks every deno call in it (`deno_call_check.ts`).
 * What cannot be read with certainty is a finding, not a pass.
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
import { checkTask } from "./task_check.ts";

export type { Finding, FindingCode } from "./permission_finding.ts";

/** A `deno compile` command line the build would run, and the set it must bake in. */
export interface CompileCommand {
  /** A label for messages, e.g. the asset name. */
  readonly label: string;
  /** The manifest set this binary is built from (`"thoth"`, `"thothctl"`). */
  readonly set: string;
  /** The full argv, starting with the deno binary. */
  readonly argv: readonly string[];
}

function taskText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    const command = (value as Record<string, unknown>)["command"];
    if (typeof command === "string") return command;
  }
  return undefined;
}

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
    if (grantOfSet(set)["allow-all"] === true) {
      findings.push({
        code: "allow_all",
        where: `permission set "${name}"`,
        message: 'grants every permission ("all": true)',
      });
    }
  }

  const tasks = root["tasks"];
  if (typeof tasks === "object" && tasks !== null) {
    for (const [name, value] of Object.entries(tasks as Record<string, unknown>)) {
      const text = taskText(value);
      if (text !== undefined) checkTask(`task "${name}"`, text, sets, findings);
    }
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

  for (const compile of compiles) {
    const where = `compile ${compile.label}`;
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
