/**
 * CI's permission gate: reads `deno.json`, plans the release build, and
 * reports every task, test config or compile command line that grants more
 * than the permission manifest (`deno.json` "permissions") names — `-A` or
 * `--allow-all` anywhere, a flag beyond the set a task names, a grant with no
 * set, compile flags that differ from the binary's set or that the release
 * build does not use (a compile command is read by allowlist), code run without
 * `--no-prompt`, a debugger port, code from outside the project, a file
 * deno writes over what it reads, a flag that weakens TLS or loosens the
 * runtime, a task that rewrites the manifest or the sources, or a release
 * program run with another set than its own or without `--no-remote`,
 * `--cached-only` and `--frozen-lockfile` — and every set that grants more than its
 * ceiling in `src/release/permission_ceiling.ts`. A task may run
 * only `deno` (every call checked, wherever `deno task`'s shell puts it) and
 * built-ins that run no program; any other command, a task it cannot read
 * with certainty, or one that points deno at another config (`--config`,
 * `cd`) is a finding, named with what to change. It also reads what deno
 * reads besides deno.json: other deno.json, deno.jsonc and package.json files
 * in the project (skipping .git and node_modules, and the npm package copies in
 * a deno cache folder such as a DENO_DIR of .deno-cache) and its parent
 * folders, and deno.lock, whose npm packages add commands to deno task.
 *
 * ```sh
 * deno run -P=check_permissions scripts/check_permissions.ts [--config path/to/deno.json] [--json]
 * ```
 *
 * It also reports a set that grants `run` without scope, which Deno calls
 * allow-all-equivalent: a finding, unless `UNSCOPED_RUN_ALLOWED` in
 * `permission_ceiling.ts` names the set with its reason, when it is a note.
 * The `check-permissions` task must be exactly the command in
 * `src/release/canonical_task.ts`; CI runs this script itself, with
 * `--no-config --allow-read`, so that deno.json cannot decide how it runs.
 *
 * Prints one line per finding (`check_permissions: <where>: <message>`), one
 * per note (`check_permissions: note: …`) and a summary line, on stderr;
 * `--json` prints `{ config, findings, notes }` on stdout instead.
 *
 * Exit codes: 0 no findings; 1 at least one finding; 2 usage error or a
 * `deno.json` that cannot be read.
 *
 * @example
 * ```sh
 * deno task check-permissions
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { dirname, join, relative, resolve } from "node:path";
import {
  checkPermissions,
  type CompileCommand,
  type Finding,
} from "../src/release/permission_check.ts";
import {
  checkProject,
  type ConfigFileFact,
  type ProjectFacts,
} from "../src/release/project_check.ts";
import { DENO_CACHE_DB, isNpmPackageCopy, SQLITE_HEADER } from "../src/release/deno_cache_files.ts";
import { checkCeilings } from "../src/release/permission_ceiling.ts";
import { checkUnscopedRun } from "../src/release/unscoped_run_check.ts";
import { planBuild, RELEASE_BINARIES } from "../src/release/build_plan.ts";
import { RELEASE_TARGETS } from "../src/release/targets.ts";
import { AppError } from "../src/errors.ts";

const encoder = new TextEncoder();

function write(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
}

/** deno.json's "permissions", or no sets when it has none. */
function setsOf(config: Record<string, unknown>): Record<string, unknown> {
  const sets = config["permissions"];
  return typeof sets === "object" && sets !== null && !Array.isArray(sets)
    ? sets as Record<string, unknown>
    : {};
}

/**
 * Plans the compile commands for every release binary and target from a
 * `deno.json` object; a set the plan cannot use becomes a finding.
 */
export function compileCommandsFor(
  config: Record<string, unknown>,
  root: string,
): { compiles: CompileCommand[]; findings: Finding[] } {
  const sets = setsOf(config);
  const compiles: CompileCommand[] = [];
  const findings: Finding[] = [];
  for (const binary of RELEASE_BINARIES) {
    try {
      const plan = planBuild({
        root,
        outDir: `${root}/dist`,
        deno: "deno",
        importMap: `${root}/dist/.stamp/import_map.json`,
        binaries: [binary],
        targets: RELEASE_TARGETS.map((t) => t.triple),
        permissionSets: sets,
      });
      for (const c of plan.compiles) compiles.push({ label: c.asset, set: c.set, argv: c.argv });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      findings.push({
        code: error.code === "build.missing_set" ? "missing_set" : "compile_mismatch",
        where: `build ${binary.name}`,
        message: error.message,
      });
    }
  }
  return { compiles, findings };
}

const CONFIG_NAMES = new Set(["deno.json", "deno.jsonc", "package.json"]);
const SKIPPED = new Set([".git", "node_modules"]);

/** The parsed JSON in `path`: `null` when there is no such file, `undefined` when unreadable. */
async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? null : undefined;
  }
}

/** Whether the file at `path` starts as a SQLite database does. */
async function isSqlite(path: string): Promise<boolean> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path, { read: true });
    const head = new Uint8Array(SQLITE_HEADER.length);
    let got = 0;
    while (got < head.length) {
      const n = await file.read(head.subarray(got));
      if (n === null) return false;
      got += n;
    }
    return new TextDecoder().decode(head) === SQLITE_HEADER;
  } catch {
    return false;
  } finally {
    file?.close();
  }
}

/**
 * Whether a folder is deno's cache (a `DENO_DIR` such as `.deno-cache`): it
 * holds a real `npm` folder and one of deno's cache databases. A folder that
 * only looks so by name is searched like any other.
 */
async function isDenoCache(dir: string, entries: readonly Deno.DirEntry[]): Promise<boolean> {
  if (!entries.some((e) => e.name === "npm" && e.isDirectory)) return false;
  for (const entry of entries) {
    if (!entry.isFile || !DENO_CACHE_DB.test(entry.name)) continue;
    if (await isSqlite(join(dir, entry.name))) return true;
  }
  return false;
}

/** Where deno.json's "lock" option puts the lock; `undefined` for `"lock": false`. */
function lockPathOf(option: unknown): string | undefined {
  if (option === false) return undefined;
  if (typeof option === "string") return option;
  const path = typeof option === "object" && option !== null
    ? (option as Record<string, unknown>)["path"]
    : undefined;
  return typeof path === "string" ? path : "deno.lock";
}

/**
 * Gathers what deno reads around `configPath`: the other config files in its
 * folder, the folders under it and the folders above it, and its lock. In a
 * folder that is deno's cache, the package.json files of the npm package
 * copies deno unpacked there are left out (deno never reads them as the
 * project's), and the folder is listed in `caches`.
 */
export async function readProjectFacts(
  configPath: string,
  config: Record<string, unknown>,
): Promise<ProjectFacts> {
  const root = dirname(configPath);
  const files: ConfigFileFact[] = [];
  const links: string[] = [];
  const caches: string[] = [];
  const show = (path: string) => relative(root, path).replaceAll("\\", "/");
  const walk = async (dir: string, inCache?: string): Promise<void> => {
    const entries = [];
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    let cache = inCache;
    if (cache === undefined && dir !== root && await isDenoCache(dir, entries)) {
      cache = dir;
      caches.push(show(dir));
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory;
      if (entry.isSymlink) {
        isDirectory = await Deno.stat(path).then((s) => s.isDirectory, () => false);
        if (isDirectory) {
          links.push(show(path));
          continue;
        }
      }
      if (isDirectory) {
        if (!SKIPPED.has(entry.name)) await walk(path, cache);
      } else if (CONFIG_NAMES.has(entry.name.toLowerCase()) && path !== configPath) {
        if (cache !== undefined && isNpmPackageCopy(relative(cache, path).replaceAll("\\", "/"))) {
          continue;
        }
        const content = await readJson(path);
        if (content !== null) {
          files.push({ path: show(path), place: dir === root ? "beside" : "below", content });
        }
      }
    }
  };
  await walk(root);
  for (let dir = dirname(root);; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const content = await readJson(join(dir, name));
      if (content !== null) files.push({ path: join(dir, name), place: "above", content });
    }
    if (dirname(dir) === dir) break;
  }
  const lockPath = lockPathOf(config["lock"]);
  const lock = lockPath === undefined ? undefined : await readJson(resolve(root, lockPath));
  return { config, files, lock: lock ?? undefined, links, caches };
}

async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { config: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    write(Deno.stderr, `check_permissions: error: ${(error as Error).message}\n`);
    write(
      Deno.stderr,
      "check_permissions: hint: usage: check_permissions.ts [--config FILE] [--json]\n",
    );
    return 2;
  }
  if (values.help === true) {
    write(Deno.stderr, "usage: check_permissions.ts [--config FILE] [--json]\n");
    return 0;
  }
  const root = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
  const configPath = resolve(values.config ?? join(root, "deno.json"));
  let config: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(await Deno.readTextFile(configPath));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new Error("not a JSON object");
    }
    config = parsed as Record<string, unknown>;
  } catch (error) {
    write(
      Deno.stderr,
      `check_permissions: error: cannot read "${configPath}": ${(error as Error).message}\n`,
    );
    return 2;
  }
  let facts: ProjectFacts;
  try {
    facts = await readProjectFacts(configPath, config);
  } catch (error) {
    write(
      Deno.stderr,
      `check_permissions: error: cannot search the folders around "${configPath}": ${
        (error as Error).message
      }\n`,
    );
    return 2;
  }
  const planned = compileCommandsFor(config, dirname(configPath));
  const unscopedRun = checkUnscopedRun(setsOf(config));
  const findings = [
    ...planned.findings,
    ...checkPermissions(config, planned.compiles),
    ...checkCeilings(setsOf(config)),
    ...unscopedRun.findings,
    ...checkProject(facts),
  ];
  // Notes say what the manifest grants on purpose (an unscoped run it needs); they fail nothing.
  const notes = unscopedRun.notes;
  if (values.json === true) {
    write(Deno.stdout, JSON.stringify({ config: configPath, findings, notes }, null, 2) + "\n");
  } else {
    for (const f of findings) {
      write(Deno.stderr, `check_permissions: ${f.where}: ${f.message} [${f.code}]\n`);
    }
    for (const n of notes) {
      write(Deno.stderr, `check_permissions: note: ${n.where}: ${n.message} [${n.code}]\n`);
    }
  }
  const tasks = typeof config["tasks"] === "object" && config["tasks"] !== null
    ? Object.keys(config["tasks"]).length
    : 0;
  write(
    Deno.stderr,
    findings.length === 0
      ? `check_permissions: ok: ${tasks} task(s) and ${planned.compiles.length} compile command(s) stay within the manifest\n`
      : `check_permissions: ${findings.length} finding(s)\n`,
  );
  return findings.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
