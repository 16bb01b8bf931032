/**
 * The temp file a config is written through holds the whole new config, the
 * servers' tokens too: it is readable by its owner only until it takes the
 * config's place, and one a killed run left is removed by a later run once
 * it is stale (never while it may still be a live run's). The kill comes of
 * a limit on file size (Linux), hit while the temp file is written.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { CAN_LIMIT_FILE_SIZE, privateDenoDir, thothLimited } from "./_thoth_limited.ts";
import { tempFolder } from "../_temp_dirs.ts";

const WRAP = ["wrap-config", "--thoth-path", "/opt/thoth/bin/thoth", "--thoth-path-elsewhere"];
const TEMP = /^\.c\.json\.[0-9a-f]{12}\.tmp$/;

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test({
  name: "a wrap-config killed mid-write leaves an owner-only temp file, removed once stale",
  ignore: !CAN_LIMIT_FILE_SIZE,
  fn: async () => {
    const dir = await tempFolder("thoth-temp-");
    const env = {
      HOME: `${dir}/home`,
      THOTH_HOME: `${dir}/thoth`,
      NO_COLOR: "1",
      DENO_DIR: await privateDenoDir(),
    };
    await Deno.mkdir(env.HOME);
    await Deno.mkdir(`${dir}/configs`);
    const configs = `${dir}/configs`;
    const path = `${configs}/c.json`;
    const servers: Record<string, unknown> = {};
    for (let i = 0; i < 400; i++) {
      servers[`s${i}`] = { command: "node", args: [`server-${i}.js`], env: { TOKEN: `t${i}` } };
    }
    const plain = JSON.stringify({ mcpServers: servers, history: "x".repeat(6_000_000) }, null, 2);
    await Deno.writeTextFile(path, plain, { mode: 0o644 });
    await Deno.chmod(path, 0o644);
    // Deno's own caches are written before the limit applies: only thoth's writes meet it.
    const warm = await runThoth(["wrap-config", "--help"], { env, cwd: dir });
    assert.equal(warm.code, 0, warm.err);
    // The wrapped config is larger than the plain one: its temp file meets the limit.
    const limit = new TextEncoder().encode(plain).length + 5_000;
    const cut = await thothLimited([...WRAP, path], { bytes: limit, full: false, env, cwd: dir });
    assert.equal(cut.signal, "SIGXFSZ", cut.out + cut.err);
    assert.equal(await Deno.readTextFile(path), plain, "the config is as it was");
    const temps = names(configs).filter((name) => TEMP.test(name));
    assert.equal(temps.length, 1, `one temp file is left: ${names(configs)}`);
    const temp = `${configs}/${temps[0]}`;
    assert.equal((await Deno.stat(temp)).mode! & 0o777, 0o600, "readable by its owner only");

    // A later write leaves a temp file that may still be a live run's.
    const wrap = await runThoth([...WRAP, path], { env, cwd: dir });
    assert.equal(wrap.code, 0, wrap.err);
    assert.ok(names(configs).includes(temps[0]!), "a fresh temp file is kept");
    // Once stale, the next write of the config removes it, and leaves no lock file.
    const then = new Date(Date.now() - 20 * 60 * 1000);
    await Deno.utime(temp, then, then);
    const unwrap = await runThoth(["unwrap-config", path], { env, cwd: dir });
    assert.equal(unwrap.code, 0, unwrap.err);
    assert.equal(await Deno.readTextFile(path), plain);
    assert.deepEqual(names(configs), ["c.json", "c.json.thoth-backup"]);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o644, "the config keeps its mode");
  },
});
