/**
 * Checks what deno reads besides the checked `deno.json` when a task runs:
 * other `deno.json`, `deno.jsonc` and `package.json` files in the project or
 * above it, and the npm packages whose commands `deno task` adds. A task is
 * only as narrow as these allow: a `sub/deno.json` with its own
 * `"permissions"` redefines `-P=<set>` for `deno run sub/x.ts`, a
 * `package.json` `"scripts"` entry runs under `deno task <name>`, a parent
 * folder's workspace merges its sets and settings in, and an npm package's
 * command named `deno` or like a built-in runs instead of it with every
 * permission. A `DENO_DIR` inside the project is searched too, except for
 * the npm package copies deno unpacks in it, which it reads only as packages
 * (see `isNpmPackageCopy` in `deno_cache_files.ts`); a task or import naming the cache is a
 * finding. So is an import map entry of deno.json (`"imports"`, `"scopes"`)
 * that maps to a URL or a file outside the project, or whose key is a path
 * or URL (`import_map_keys_check.ts`), an `"importMap"` this
 * check does not read, and `"vendor": true` (`import_targets_check.ts`). Pure;
 * `scripts/check_permissions.ts` gathers the files.
 *
 * @example
 * ```ts
 * checkProject({
 *   config: { nodeModulesDir: "none" },
 *   files: [{ path: "sub/deno.json", place: "below", content: { permissions: {} } }],
 *   lock: { version: "5", specifiers: {} },
 *   links: [],
 * }).map((f) => f.code); // ["nested_config"]
 * ```
 */
import type { Finding } from "./permission_finding.ts";
import { NPM_BINS } from "./npm_bins.ts";
import { checkImportMapKeys } from "./import_map_keys_check.ts";
import { jsonRecord } from "./json_record.ts";
import { checkNpmCommands } from "./npm_commands_check.ts";
import { checkImportTargets } from "./import_targets_check.ts";
import { checkCacheUse } from "./cache_use_check.ts";

/** A `deno.json`, `deno.jsonc` or `package.json` other than the checked one. */
export interface ConfigFileFact {
  /** How messages name it: relative to the project root, or absolute above it. */
  readonly path: string;
  /** Beside the checked deno.json, in a folder under it, or in a folder above it. */
  readonly place: "beside" | "below" | "above";
  /** The parsed JSON, or `undefined` when it is not plain JSON. */
  readonly content: unknown;
}

/** What the script found around the checked `deno.json`. */
export interface ProjectFacts {
  /** The checked `deno.json`. */
  readonly config: unknown;
  readonly files: readonly ConfigFileFact[];
  /** The parsed `deno.lock`, or `undefined` when there is none or it cannot be read. */
  readonly lock: unknown;
  /** Symlinked folders under the project, which the search did not follow. */
  readonly links: readonly string[];
  /**
   * Folders under the project recognised as deno's cache (a `DENO_DIR` such
   * as `.deno-cache`), whose npm package copies the search skipped (see
   * `isNpmPackageCopy` in `deno_cache_files.ts`).
   */
  readonly caches?: readonly string[];
}

/** Keys of a deno.json below the root that define permissions or tasks for its folder. */
const NESTED_KEYS = ["permissions", "workspace", "tasks", "links", "patch"];
const SECTIONS = ["test", "bench", "compile", "run", "serve"];

function checkDenoConfig(file: ConfigFileFact, content: Record<string, unknown>): string[] {
  if (file.place === "above") return "workspace" in content ? ['"workspace"'] : [];
  const keys = NESTED_KEYS.filter((k) => k in content).map((k) => `"${k}"`);
  // `deno lint <folder>` loads the plugins of that folder's deno.json, with read and env.
  if (jsonRecord(content["lint"])?.["plugins"] !== undefined) keys.push('"lint.plugins"');
  for (const section of SECTIONS) {
    if (jsonRecord(content[section])?.["permissions"] !== undefined) {
      keys.push(`"${section}.permissions"`);
    }
  }
  return keys;
}

function checkFile(file: ConfigFileFact, findings: Finding[]): void {
  const where = `"${file.path}"`;
  const isPackage = /(?:^|[/\\])package\.json$/i.test(file.path);
  const content = jsonRecord(file.content);
  if (content === undefined) {
    findings.push({
      code: "nested_config",
      where,
      message: "cannot be read as a JSON object, so this check cannot tell whether it defines " +
        "permission sets, tasks, scripts or a workspace that deno would use; make it plain " +
        "JSON or remove it",
    });
    return;
  }
  if (isPackage) {
    const scripts = content["scripts"];
    if (file.place !== "above" && scripts !== undefined && !isEmptyObject(scripts)) {
      findings.push({
        code: "package_scripts",
        where,
        message: 'has "scripts", which deno task and deno run run by name with whatever ' +
          "flags they hold, unchecked; move them into deno.json tasks",
      });
    }
    if ("workspaces" in content) {
      findings.push({
        code: "nested_config",
        where,
        message: 'declares "workspaces", so deno may merge other packages\' scripts and ' +
          "settings into this project; remove it",
      });
    }
    return;
  }
  const keys = checkDenoConfig(file, content);
  if (keys.length === 0) return;
  findings.push({
    code: "nested_config",
    where,
    message: file.place === "above"
      ? "declares a workspace above the project, whose permission sets, tasks and npm " +
        "settings deno may merge into this one; remove it or move the project"
      : `has ${keys.join(", ")}, which deno uses for the files in its folder instead of the ` +
        "checked deno.json; move them into the root deno.json",
  });
}

function isEmptyObject(value: unknown): boolean {
  const r = jsonRecord(value);
  return r !== undefined && Object.keys(r).length === 0;
}

/**
 * Every finding about the files around the checked `deno.json`. `bins`
 * lists the commands each npm package adds to deno task (by default
 * {@linkcode NPM_BINS}).
 *
 * @example
 * ```ts
 * checkProject({
 *   config: { nodeModulesDir: "none" },
 *   files: [{ path: "package.json", place: "beside", content: { scripts: { a: "x" } } }],
 *   lock: { version: "5", specifiers: {} },
 *   links: [],
 * }).map((f) => f.code); // ["package_scripts"]
 * ```
 */
export function checkProject(
  facts: ProjectFacts,
  bins: Readonly<Record<string, readonly string[]>> = NPM_BINS,
): Finding[] {
  const findings: Finding[] = [];
  for (const file of facts.files) checkFile(file, findings);
  for (const link of facts.links) {
    findings.push({
      code: "nested_config",
      where: `"${link}"`,
      message: "is a symlinked folder, which this check does not follow, and deno may find a " +
        "deno.json with other permission sets through it; replace it with a real folder",
    });
  }
  for (const cache of facts.caches ?? []) checkCacheUse(facts.config, cache, findings);
  checkImportTargets(facts.config, findings);
  checkImportMapKeys(facts.config, findings);
  checkNpmCommands(facts, bins, findings);
  return findings;
}
