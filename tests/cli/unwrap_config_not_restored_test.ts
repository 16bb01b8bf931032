/**
 * `thoth unwrap-config` names every entry it leaves running through thoth and
 * exits 1, as `wrap-config` does for servers it leaves ungoverned; a server
 * that only carries a THOTH_WRAP record is never taken for thoth.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

const isFile = () => true;

Deno.test("thoth unwrap-config exits 1 and names the thoth entries it cannot restore", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    const text = '{"mcpServers": {' +
      '"nodash": {"command": "/opt/thoth/bin/thoth", "args": ["run", "--agent-id", "a", "npx"]}, ' +
      '"v2": {"command": "/opt/thoth/bin/thoth", "args": ["run", "--agent-id", "b", "--", "node"], ' +
      '"env": {"THOTH_WRAP": "v2"}}}}\n';
    await Deno.writeTextFile(path, text);
    for (const extra of [["--dry-run"], []]) {
      const run = await thoth(["unwrap-config", ...extra, path], { cwd: dir });
      assert.equal(run.code, 1, run.out + run.err);
      assert.match(
        run.err,
        /thoth: error: "nodash" was not restored: thoth entry not understood: no "--"/,
      );
      assert.match(run.err, /thoth: error: "v2" was not restored: cannot read THOTH_WRAP "v2"/);
      assert.doesNotMatch(run.out, /has no wrapped servers/);
    }
    assert.equal(await Deno.readTextFile(path), text);
    const help = await thoth(["unwrap-config", "--help"], { cwd: dir });
    assert.match(help.out, /unwrap-config\s+exits\s+1\s+\(also\s+with\s+--dry-run\)/);
  });
});

Deno.test("a server that only carries a THOTH_WRAP record fails status --check and is left alone", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    const text = '{"mcpServers": {"rs": {"command": "/usr/bin/cargo", ' +
      '"args": ["run", "--release", "--", "--stdio"], "env": {"THOTH_WRAP": "v1"}}}}\n';
    await Deno.writeTextFile(path, text);
    const status = await thoth(["status", "--check", "--json", "--config", path], {
      cwd: dir,
      deps: { isFile },
    });
    assert.equal(status.code, 1, status.out);
    assert.equal(JSON.parse(status.out).servers[0].state, "not_understood");
    const wrap = await thoth(["wrap-config", "--tenant-id", "acme", path], { cwd: dir });
    assert.equal(wrap.code, 1);
    const unwrap = await thoth(["unwrap-config", path], { cwd: dir });
    assert.equal(unwrap.code, 1);
    assert.equal(await Deno.readTextFile(path), text, "cargo run is never lost");
  });
});
