/**
 * The backup of a config's original is whole or absent: a backup write that
 * fails (a full disk) or is cut short (a kill) leaves no `.thoth-backup`, so
 * the next run makes a whole one instead of keeping a broken one for good;
 * and a kept backup that is empty or cut short (as an older thoth left one)
 * is replaced with the original at hand. Real `thoth` processes; the full
 * disk and the kill come of a limit on file size (Linux).
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { CAN_LIMIT_FILE_SIZE, privateDenoDir, thothLimited } from "./_thoth_limited.ts";
import { tempFolder } from "../_temp_dirs.ts";

const WRAP = ["wrap-config", "--thoth-path", "/opt/thoth/bin/thoth", "--thoth-path-elsewhere"];

/** A folder with a wrapped config large enough that unwrapping it shrinks it by many KiB. */
async function wrappedConfig(): Promise<
  { dir: string; path: string; env: Record<string, string> }
> {
  const dir = await tempFolder("thoth-backup-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/thoth`, NO_COLOR: "1" };
  await Deno.mkdir(env.HOME);
  const servers: Record<string, unknown> = {};
  for (let i = 0; i < 400; i++) servers[`s${i}`] = { command: "node", args: [`server-${i}.js`] };
  const path = `${dir}/c.json`;
  const config = { mcpServers: servers, history: "x".repeat(6_000_000) };
  await Deno.writeTextFile(path, JSON.stringify(config, null, 2) + "\n");
  const wrap = await runThoth([...WRAP, path], { env, cwd: dir });
  assert.equal(wrap.code, 0, wrap.err);
  await Deno.remove(`${path}.thoth-backup`);
  return { dir, path, env };
}

/** The temp file of a backup, as `createExclusive` names it. */
const BACKUP_TEMP = /^\.c\.json\.thoth-backup\.[0-9a-f]{12}\.tmp$/;

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).filter((name) => name !== "home")
    .filter((name) => name !== "thoth").sort();
}

/** Makes every temp file in `dir` look 20 minutes old, as a killed run's are by the next. */
async function ageTemps(dir: string): Promise<void> {
  const then = new Date(Date.now() - 20 * 60 * 1000);
  for (const name of names(dir).filter((name) => name.endsWith(".tmp"))) {
    await Deno.utime(`${dir}/${name}`, then, then);
  }
}

for (const full of [true, false]) {
  const how = full ? "fails (a full disk)" : "is cut short (a kill)";
  Deno.test({
    name:
      `unwrap-config whose backup write ${how} leaves no backup; the next run makes a whole one`,
    ignore: !CAN_LIMIT_FILE_SIZE,
    fn: async () => {
      const config = await wrappedConfig();
      const { dir, path } = config;
      const env = { ...config.env, DENO_DIR: await privateDenoDir() };
      const original = await Deno.readFile(path);
      // Deno's own caches are written before the limit applies: only thoth's writes meet it.
      const warm = await runThoth(["unwrap-config", "--help"], { env, cwd: dir });
      assert.equal(warm.code, 0, warm.err);
      // The unwrapped config fits under the limit; the backup of the wrapped one does not.
      const limit = original.length - 20_000;
      const cut = await thothLimited(["unwrap-config", path], {
        bytes: limit,
        full,
        env,
        cwd: dir,
      });
      assert.deepEqual(await Deno.readFile(path), original, "the config is as it was");
      assert.ok(!names(dir).includes("c.json.thoth-backup"), `no backup: ${names(dir)}`);
      if (full) {
        assert.equal(cut.code, 1, cut.out + cut.err);
        assert.match(cut.err, /^thoth: error: cannot write backup ".*c\.json\.thoth-backup": /m);
        assert.match(cut.err, /^thoth: hint: nothing was changed/m);
        assert.deepEqual(names(dir), ["c.json"], "and no temp file is left");
      } else {
        assert.equal(cut.signal, "SIGXFSZ", cut.out + cut.err);
        // Killed while it wrote the backup's temp file, which no one else may read.
        const temp = names(dir).find((name) => BACKUP_TEMP.test(name));
        assert.ok(temp !== undefined, `the backup's temp file is left: ${names(dir)}`);
        assert.equal((await Deno.stat(`${dir}/${temp}`)).mode! & 0o777, 0o600);
        await ageTemps(dir);
      }
      const again = await runThoth(["unwrap-config", path], { env, cwd: dir });
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /^Backup of the previous file: .*c\.json\.thoth-backup$/m);
      assert.doesNotMatch(again.out, /Backup kept/);
      assert.deepEqual(await Deno.readFile(`${path}.thoth-backup`), original, "a whole backup");
      assert.deepEqual(names(dir), ["c.json", "c.json.thoth-backup"], "the leftovers are gone");
    },
  });
}

/** Kept backups that hold no original, as an older thoth could leave them. */
const BROKEN: [string, (text: string) => string][] = [
  ["empty", () => ""],
  ["cut short", (text) => text.slice(0, 5000)],
];

for (const [what, broken] of BROKEN) {
  Deno.test(`unwrap-config replaces a kept backup that is ${what} with the original`, async () => {
    const { dir, path, env } = await wrappedConfig();
    const original = await Deno.readTextFile(path);
    await Deno.writeTextFile(`${path}.thoth-backup`, broken(original));
    const run = await runThoth(["unwrap-config", path], { env, cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.equal(await Deno.readTextFile(`${path}.thoth-backup`), original);
    assert.match(run.out, /^Backup of the previous file: .*c\.json\.thoth-backup$/m);
    assert.doesNotMatch(run.out, /Backup kept/);
    assert.deepEqual(names(dir), ["c.json", "c.json.thoth-backup"]);
  });
}
