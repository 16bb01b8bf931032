/**
 * `scripts/check_permissions.ts` in a project whose `DENO_DIR` is a folder
 * inside it, as CI machines set it (`DENO_DIR=./.deno-cache`): the npm
 * packages deno unpacks there are not the project's package.json files, while
 * a folder that only looks like a cache, and every other file of a real one,
 * is still searched.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempFolder } from "../_temp_dirs.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const ZOD = "registry.npmjs.org/zod";
const decoder = new TextDecoder();

async function deno(args: string[], cwd: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** A scratch project with the real deno.json (plus `tasks`) and deno.lock, and one module. */
async function project(tasks: Record<string, string> = {}): Promise<string> {
  const dir = await tempFolder("thoth-check-gap-");
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  config.tasks = { ...config.tasks, ...tasks };
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config, null, 2));
  await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
  await Deno.writeTextFile(`${dir}/main.ts`, "export const answer: number = 42;\n");
  return dir;
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile) await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/**
 * Makes `<dir>/<name>` a DENO_DIR: deno itself writes its databases there
 * (deno check), and zod, which deno unpacked in this machine's npm cache,
 * goes to its npm folder as deno lays it out.
 */
async function denoDir(dir: string, name: string): Promise<string> {
  const cache = join(dir, name);
  const checked = await deno(["check", "--no-config", "main.ts"], dir, { DENO_DIR: cache });
  assert.equal(checked.code, 0, checked.stderr);
  const info = await deno(["info", "--json"], dir);
  const npm = (JSON.parse(info.stdout) as { npmCache: string }).npmCache;
  await copyTree(`${npm}/${ZOD}/4.6.7`, `${cache}/npm/${ZOD}/4.6.7`);
  await Deno.copyFile(`${npm}/${ZOD}/registry.json`, `${cache}/npm/${ZOD}/registry.json`);
  // The copy is what made the check fail: zod's package.json has scripts.
  const pkg = JSON.parse(await Deno.readTextFile(`${cache}/npm/${ZOD}/4.6.7/package.json`));
  assert.ok(Object.keys(pkg.scripts ?? {}).length > 0);
  return cache;
}

async function check(dir: string) {
  const args = ["--config", `${dir}/deno.json`];
  const out = await deno(
    ["run", "--quiet", "--allow-read", `${ROOT}/scripts/check_permissions.ts`, ...args, "--json"],
    dir,
  );
  assert.notEqual(out.code, 2, out.stderr);
  const findings = (JSON.parse(out.stdout) as { findings: { code: string; where: string }[] })
    .findings;
  return { code: out.code, found: findings.map((f) => `${f.code} ${f.where}`) };
}

Deno.test("check_permissions.ts does not read a DENO_DIR's npm packages as the project's", async () => {
  const dir = await project();
  await denoDir(dir, ".deno-cache");
  await denoDir(dir, ".cache/deno");
  assert.deepEqual(await check(dir), { code: 0, found: [] });
});

Deno.test("check_permissions.ts still searches a folder only named like deno's cache", async () => {
  const dir = await project();
  const fake = `${dir}/.deno-cache`;
  await Deno.mkdir(`${fake}/npm/registry.npmjs.org/evil/1.0.0`, { recursive: true });
  await Deno.writeTextFile(
    `${fake}/npm/registry.npmjs.org/evil/1.0.0/package.json`,
    JSON.stringify({ name: "evil", version: "1.0.0", scripts: { x: "deno run -A x.ts" } }),
  );
  // Named like deno's database, but not one.
  await Deno.writeTextFile(`${fake}/dep_analysis_cache_v2`, "not a database");
  assert.deepEqual((await check(dir)).found, [
    'package_scripts ".deno-cache/npm/registry.npmjs.org/evil/1.0.0/package.json"',
  ]);
});

Deno.test("check_permissions.ts searches a real DENO_DIR outside its npm package copies", async () => {
  const dir = await project();
  const cache = await denoDir(dir, ".deno-cache");
  await Deno.writeTextFile(`${cache}/npm/package.json`, JSON.stringify({ scripts: { a: "b" } }));
  await Deno.writeTextFile(`${cache}/package.json`, JSON.stringify({ scripts: { a: "b" } }));
  await Deno.writeTextFile(
    `${cache}/npm/${ZOD}/4.6.7/deno.json`,
    JSON.stringify({ permissions: { test: { all: true } } }),
  );
  const r = await check(dir);
  assert.equal(r.code, 1);
  assert.deepEqual(r.found.toSorted(), [
    'nested_config ".deno-cache/npm/registry.npmjs.org/zod/4.6.7/deno.json"',
    'package_scripts ".deno-cache/npm/package.json"',
    'package_scripts ".deno-cache/package.json"',
  ]);
});

Deno.test("check_permissions.ts refuses a task that runs code from deno's cache", async () => {
  const dir = await project({
    zod: "deno run -P=test --no-prompt .deno-cache/npm/registry.npmjs.org/zod/4.6.7/index.js",
  });
  await denoDir(dir, ".deno-cache");
  const r = await check(dir);
  assert.equal(r.code, 1);
  assert.deepEqual(r.found, ['nested_config task "zod"']);
});
