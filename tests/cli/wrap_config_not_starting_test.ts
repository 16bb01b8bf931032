/**
 * wrap-config exits 1 after writing entries thoth run will refuse to start
 * (an intent the policy does not define), as it does for servers it cannot
 * rewrite, with a summary line saying how many and why; what starts still
 * exits 0, and so does a tenant with no THOTH_USER_ID in the entry's env,
 * which only the client's own environment could supply: a warning.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

const INPUT = JSON.stringify({
  mcpServers: {
    fs: { command: "/usr/bin/mcp-clock", args: ["/data"] },
    clock: { command: "/usr/bin/mcp-clock" },
  },
});

// Changed since 8815ea2: a tenant with no THOTH_USER_ID in the entry's env was exit 1; only the
// client's own environment could supply it (Refusal.clientEnv), so it is a warning again.
Deno.test("wrap-config writes a tenant's servers with no user id with a warning, exit 0; status --check still fails", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, INPUT);
    const run = await thoth(["wrap-config", "--tenant-id", "acme", path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    // Written all the same.
    assert.match(await Deno.readTextFile(path), /"--tenant-id", "acme"/);
    assert.match(run.out, /Wrote /);
    assert.match(
      run.err,
      /^thoth: warning: no THOTH_USER_ID written for tenant "acme": thoth run refuses to start "fs", "clock" unless the client's own environment sets THOTH_USER_ID/m,
    );
    assert.doesNotMatch(run.err, /^thoth: error:/m);
    // status --check judges the entry alone, and fails.
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
