/**
 * wrap-config exits 1 after writing entries thoth run will refuse to start
 * (a tenant with no THOTH_USER_ID in the entry's env, an intent the policy
 * does not define), as it does for servers it cannot rewrite, with a summary
 * line saying how many and why; what starts still exits 0.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

const INPUT = JSON.stringify({
  mcpServers: {
    fs: { command: "/usr/bin/mcp-clock", args: ["/data"] },
    clock: { command: "/usr/bin/mcp-clock" },
  },
});

Deno.test("wrap-config writes a tenant's servers with no user id, then exits 1 saying they will not start", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, INPUT);
    const run = await thoth(["wrap-config", "--tenant-id", "acme", path], { cwd: dir });
    assert.equal(run.code, 1, run.err);
    // Written all the same.
    assert.match(await Deno.readTextFile(path), /"--tenant-id", "acme"/);
    assert.match(run.out, /Wrote /);
    assert.match(
      run.err,
      /^thoth: error: "fs" will not start: THOTH_USER_ID is not set, and governed runs for tenant "acme" need it/m,
    );
    assert.match(
      run.err,
      /^thoth: error: 2 server\(s\) written to .*c\.json will not start, because thoth run refuses them \(as each line above says\): "fs", "clock"$/m,
    );
    assert.match(run.err, /^thoth: hint: fix each as its line says/m);
    // status --check agrees.
    const check = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(check.code, 1);
    assert.match(check.err, /2 governed server\(s\) that will not start/);
  });
});

Deno.test("wrap-config exits 1 for a mapped intent the policy does not define, dry run too", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, INPUT);
    await Deno.writeTextFile(`${dir}/map.json`, '{"fs": "no_such_intent"}');
    const flags = ["--tenant-id", "acme", "--env", "THOTH_USER_ID=ana@example.com"];
    for (const dryRun of [true, false]) {
      const run = await thoth(
        [
          "wrap-config",
          ...flags,
          "--intent-map",
          "map.json",
          ...(dryRun ? ["--dry-run"] : []),
          path,
        ],
        { cwd: dir },
      );
      assert.equal(run.code, 1, run.err);
      assert.match(
        run.err,
        /^thoth: error: "fs" will not start: intent "no_such_intent" is not in the policy/m,
      );
      assert.match(
        run.err,
        new RegExp(
          `^thoth: error: 1 server\\(s\\) ${
            dryRun ? "that would be written" : "written"
          } to .*c\\.json will not start, .*: "fs"$`,
          "m",
        ),
      );
    }
  });
});

Deno.test("wrap-config exits 0 when every server it writes will start", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, INPUT);
    const run = await thoth(
      ["wrap-config", "--tenant-id", "acme", "--env", "THOTH_USER_ID=ana@example.com", path],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /will not start/);
    const local = await thoth(["wrap-config", `${dir}/c.json`], { cwd: dir });
    assert.equal(local.code, 0, local.err);
  });
});
