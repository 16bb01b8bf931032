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
 * (see {@linkcode isNpmPackageCopy}); a task or import naming the cache is a
 * finding. So is an import map entry of deno.json (`"imports"`, `"scopes"`)
 * that maps to a URL or a file outside the project, or whose key is a path
 * or URL (`import_map_keys_check.ts`), an `"importMap"` this
 * check does not read, and `"vendor": true`. Pure;
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
import { TASK_BUILTINS } from "./task_check.ts";
import { NPM_BINS } from "./npm_bins.ts";
import { outsideProject } from "./deno_flag_check.ts";
import { checkImportMapKeys } from "./import_map_keys_check.ts";

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
   * {@linkcode isNpmPackageCopy}).
   */
  readonly caches?: readonly string[];
}

/**
 * The files deno keeps its caches in at the top of a `DENO_DIR`
 * (`dep_analysis_cache_v2`, `check_cache_v2`, …): SQLite databases. A folder
 * is taken for deno's cache only when it holds such a file that starts with
 * {@linkcode SQLITE_HEADER}, and an `npm` folder.
 *
 * @example
 * ```ts
 * DENO_CACHE_DB.test("dep_analysis_cache_v2"); // true
 * DENO_CACHE_DB.test("dep_analysis_cache_v2-wal"); // false
 * ```
 */
export const DENO_CACHE_DB = /^[a-z0-9_]+_cache_v\d+$/;

/** The first 16 bytes of every SQLite database file. */
export const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Whether `path`, relative to a folder recognised as deno's cache and
 * `/`-separated, is a `package.json` of an npm package copy deno unpacked
 * there (`npm/<registry>/[@scope/]<name>/<version>/…/package.json`). deno
 * reads those as packages, never as this project's scripts or workspace;
 * every other file of the cache is checked like a project file.
 *
 * @example
 * ```ts
 * isNpmPackageCopy("npm/registry.npmjs.org/zod/4.6.7/v4/package.json"); // true
 * isNpmPackageCopy("npm/package.json"); // false
 * isNpmPackageCopy("npm/registry.npmjs.org/zod/4.6.7/deno.json"); // false
 * ```
 */
export function isNpmPackageCopy(path: string): boolean {
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return false;
  return /^npm\/[^/]+\/(?:@[^/]+\/)?[^/@][^/]*\/[^/]+\/(?:[^/]+\/)*package\.json$/.test(path);
}

/** Keys of a deno.json below the root that define permissions or tasks for its folder. */
const NESTED_KEYS = ["permissions", "workspace", "tasks", "links", "patch"];
const SECTIONS = ["test", "bench", "compile", "run", "serve"];

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

function checkDenoConfig(file: ConfigFileFact, content: Record<string, unknown>): string[] {
  if (file.place === "above") return "workspace" in content ? ['"workspace"'] : [];
  const keys = NESTED_KEYS.filter((k) => k in content).map((k) => `"${k}"`);
  // `deno lint <folder>` loads the plugins of that folder's deno.json, with read and env.
  if (record(content["lint"])?.["plugins"] !== undefined) keys.push('"lint.plugins"');
  for (const section of SECTIONS) {
    if (record(content[section])?.["permissions"] !== undefined) {
      keys.push(`"${section}.permissions"`);
    }
  }
  return keys;
}

function checkFile(file: ConfigFileFact, findings: Finding[]): void {
  const where = `"${file.path}"`;
  const isPackage = /(?:^|[/\\])package\.json$/i.test(file.path);
  const content = record(file.content);
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
  const r = record(value);
  return r !== undefined && Object.keys(r).length === 0;
}

/** `npm:@scope/name@1.2.3/sub` → `@scope/name`. */
function npmName(specifier: string): string | undefined {
  return /^npm:\/?((?:@[^/@]+\/)?[^/@]+)/.exec(specifier)?.[1];
}

function checkNpmCommands(
  facts: ProjectFacts,
  table: Readonly<Record<string, readonly string[]>>,
  findings: Finding[],
): void {
  const config = record(facts.config) ?? {};
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
  const lock = record(facts.lock);
  const lockLinks = record(record(lock?.["workspace"])?.["links"]);
  if (lockLinks !== undefined && Object.keys(lockLinks).length > 0) {
    findings.push({
      code: "npm_commands",
      where: "deno.lock",
      message: 'records linked local packages ("workspace.links"), whose commands may stand ' +
        "in for deno; remove the links and let deno write the lock again",
    });
  }
  const specifiers = record(lock?.["specifiers"]);
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
  for (const value of Object.values(record(config["imports"]) ?? {})) {
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

/**
 * Why an import map target of deno.json is code this check does not read, or
 * undefined for an npm package (deno.lock pins it), a `node:` built-in or a
 * relative path inside the project.
 */
function importTargetProblem(target: string): Finding["code"] | undefined {
  if (/^(?:npm|node):/i.test(target)) return undefined;
  if (/^file:/i.test(target)) return "outside_project";
  // A scheme of two or more letters (`C:` is a drive, an absolute path below).
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(target)) return "foreign_code";
  return outsideProject(target) === undefined ? undefined : "outside_project";
}

/**
 * The import map in deno.json (`"imports"`, each map of `"scopes"`) may map a
 * specifier only to an npm package, a `node:` built-in or a file inside the
 * project: a URL (`https://`, `jsr:`, `data:`) is code fetched from elsewhere,
 * and a `file:` URL, an absolute path or a `..` path is code outside what this
 * check and a reviewer see, which every task and the release binaries then
 * run. `"importMap"` points at a map this check does not read; `"vendor":
 * true` runs remote modules from the vendor folder as they are on disk, as
 * the `--vendor` flag does.
 */
function checkImportTargets(config: unknown, findings: Finding[]): void {
  const root = record(config) ?? {};
  const maps: [string, unknown][] = [['deno.json "imports"', root["imports"]]];
  for (const [scope, map] of Object.entries(record(root["scopes"]) ?? {})) {
    maps.push([`deno.json "scopes" ${JSON.stringify(scope)}`, map]);
  }
  for (const [where, map] of maps) {
    for (const [specifier, target] of Object.entries(record(map) ?? {})) {
      if (typeof target !== "string") continue;
      const code = importTargetProblem(target);
      if (code === undefined) continue;
      findings.push({
        code,
        where,
        message: `maps ${JSON.stringify(specifier)} to ${JSON.stringify(target)}, ` +
          (code === "foreign_code"
            ? "code fetched from outside the project"
            : "a file outside the project") +
          ", which every task and the release binaries load unchecked; map it to an npm: " +
          "package (pinned by deno.lock) or a relative path inside the project",
      });
    }
  }
  if (root["importMap"] !== undefined) {
    findings.push({
      code: "foreign_code",
      where: 'deno.json "importMap"',
      message: "names an import map this check does not read, which decides the code every " +
        'import loads; move its entries into deno.json "imports"',
    });
  }
  const vendor = root["vendor"];
  if (vendor !== undefined && vendor !== false) {
    findings.push({
      code: "runtime_flag",
      where: 'deno.json "vendor"',
      message: `is ${JSON.stringify(vendor)}, which runs remote modules from the vendor ` +
        "folder as they are on disk, where anyone who can write the project may change " +
        'them (as --vendor does); remove "vendor" or set it to false',
    });
  }
}

/** The task commands and import targets of a deno.json, as text. */
function namesIn(config: unknown): { where: string; text: string }[] {
  const root = record(config) ?? {};
  const out: { where: string; text: string }[] = [];
  for (const [name, task] of Object.entries(record(root["tasks"]) ?? {})) {
    const command = typeof task === "string" ? task : record(task)?.["command"];
    if (typeof command === "string") out.push({ where: `task "${name}"`, text: command });
  }
  const maps = [record(root["imports"]), ...Object.values(record(root["scopes"]) ?? {})];
  for (const map of maps) {
    for (const value of Object.values(record(map) ?? {})) {
      if (typeof value === "string") out.push({ where: 'deno.json "imports"', text: value });
    }
  }
  return out;
}

/**
 * The search skipped the npm package copies in deno's cache, which deno only
 * ever reads as packages; a task or import that names a file in the cache
 * would make deno read one as this project's code and configuration.
 */
function checkCacheUse(config: unknown, cache: string, findings: Finding[]): void {
  const name = cache.replaceAll("\\", "/").replace(/^\.\//, "").toLowerCase();
  for (const { where, text } of namesIn(config)) {
    if (!text.replaceAll("\\", "/").toLowerCase().includes(name)) continue;
    findings.push({
      code: "nested_config",
      where,
      message: `names "${cache}", deno's cache folder (DENO_DIR), whose npm package copies ` +
        "this check does not read as project files; run and import only the project's own " +
        "files, and keep deno's cache out of tasks and imports",
    });
  }
}
