/**
 * The npm packages behind a project's tasks: `deno task` adds every command
 * an npm package of the project declares (its package.json `"bin"`), and one
 * named `deno` or like a built-in runs instead of it with every permission.
 * This checks `"nodeModulesDir"`, linked local packages (`"links"`,
 * `"patch"`, the lock's `workspace.links`), that deno.lock is a version 5
 * lock listing every imported npm package, and each locked package's
 * commands against a table (`npm_bins.ts`). Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkNpmCommands({ config: {}, lock: { version: "5", specifiers: {} } }, {}, findings);
 * findings.map((f) => f.code); // ["npm_commands"] ("nodeModulesDir" is unset)
 * ```
 */
import type { Finding } from "./permission_finding.ts";
import { TASK_BUILTINS } from "./task_check.ts";
import { jsonRecord } from "./json_record.ts";

/** `npm:@scope/name@1.2.3/sub` → `@scope/name`. */
function npmName(specifier: string): string | undefined {
  return /^npm:\/?((?:@[^/@]+\/)?[^/@]+)/.exec(specifier)?.[1];
}

/**
 * Every finding about the npm packages whose commands `deno task` adds:
 * `nodeModulesDir`, linked local packages, a lock this check cannot read,
 * an imported package the lock does not list, and a package (`table`, by
 * `name@version`) that adds a command named `deno` or like a built-in.
 */
export function checkNpmCommands(
  facts: { readonly config: unknown; readonly lock: unknown },
  table: Readonly<Record<string, readonly string[]>>,
  findings: Finding[],
): void {
  const config = jsonRecord(facts.config) ?? {};
  const mode = config["nodeModulesDir"];
  if (mode !== "none" && mode !== "auto") {
    findings.push({
      code: "npm_commands",
      where: 'deno.json "nodeModulesDir"',
      message:
        `is ${mode === undefined ? "unset" : JSON.stringify(mode)}: deno task may then run every ` +
        "node_modules/.bin program in this folder and the folders above it as a command, and " +
        'one named deno or echo runs instead, with every permission; set "nodeModulesDir" ' +
        'to "none" or "auto"',
    });
  }
  for (const key of ["links", "patch"]) {
    if (config[key] !== undefined) {
      findings.push({
        code: "npm_commands",
        where: `deno.json "${key}"`,
        message: "links local packages in place of npm ones: such a package's commands (one " +
          "named deno or echo runs instead, with every permission) are not those " +
          "src/release/npm_bins.ts lists; remove it",
      });
    }
  }
  const lock = jsonRecord(facts.lock);
  const lockLinks = jsonRecord(jsonRecord(lock?.["workspace"])?.["links"]);
  if (lockLinks !== undefined && Object.keys(lockLinks).length > 0) {
    findings.push({
      code: "npm_commands",
      where: "deno.lock",
      message: 'records linked local packages ("workspace.links"), whose commands may stand ' +
        "in for deno; remove the links and let deno write the lock again",
    });
  }
  const specifiers = jsonRecord(lock?.["specifiers"]);
  if (lock?.["version"] !== "5" || specifiers === undefined) {
    findings.push({
      code: "npm_commands",
      where: "deno.lock",
      message: "is missing or not a version 5 lock, so this check cannot list the npm " +
        "packages whose commands deno task adds (one named deno runs instead of deno, with " +
        "every permission); commit the deno.lock that deno 2 writes",
    });
    return;
  }
  const packages = new Map<string, string>();
  for (const [specifier, resolved] of Object.entries(specifiers)) {
    const name = npmName(specifier);
    if (name === undefined || typeof resolved !== "string") continue;
    packages.set(`${name}@${resolved.split("_")[0]}`, name);
  }
  const locked = new Set(packages.values());
  for (const value of Object.values(jsonRecord(config["imports"]) ?? {})) {
    const name = typeof value === "string" ? npmName(value) : undefined;
    if (name === undefined || locked.has(name)) continue;
    findings.push({
      code: "npm_commands",
      where: 'deno.json "imports"',
      message: `names npm package "${name}", which deno.lock does not list, so this check ` +
        "cannot tell which commands it adds to deno task; run deno install and commit deno.lock",
    });
  }
  for (const id of [...packages.keys()].sort()) {
    const bins = table[id];
    if (bins === undefined) {
      findings.push({
        code: "npm_commands",
        where: `npm package ${id}`,
        message: 'may add commands to deno task (its package.json "bin"), and one named deno ' +
          'or like a built-in would run with every permission; check its "bin" and list its ' +
          "commands in src/release/npm_bins.ts",
      });
      continue;
    }
    for (const bin of bins) {
      if (bin.toLowerCase() !== "deno" && !TASK_BUILTINS.has(bin.toLowerCase())) continue;
      findings.push({
        code: "npm_commands",
        where: `npm package ${id}`,
        message: `adds the command "${bin}", which deno task runs instead of ${bin} with every ` +
          "permission; drop the package or keep it out of this project's imports",
      });
    }
  }
}
