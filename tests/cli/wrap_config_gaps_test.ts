/**
 * The config commands end to end on configs that used to be left ungoverned
 * without a word: exit codes and what an MDM script reads on stderr.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

// The thoth path is not on this machine: a config made for others.
const T = [
  "--thoth-path",
  "/opt/x/bin/thoth-linux-x86_64",
  "--thoth-path-elsewhere",
  "--tenant-id",
  "acme",
  "--env",
  "THOTH_USER_ID=ana@example.com",
];
const isFile = () => true;

Deno.test("thoth wrap-config with a release-named thoth is idempotent, governed, and unwraps", async () => {
  await inTempDir(async (dir) => {
    const original = '{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "pkg"]}}}\n';
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, original);
    assert.equal((await thoth(["wrap-config", ...T, path], { cwd: dir })).code, 0);
    const once = await Deno.readTextFile(path);
    const again = await thoth(["wrap-config", ...T, path], { cwd: dir });
    assert.equal(again.code, 0, again.err);
    assert.equal(await Deno.readTextFile(path), once, "no double wrap");
    const status = await thoth(["status", "--check", "--config", path], {
      cwd: dir,
      deps: { isFile },
    });
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /1 governed, 0 ungoverned/);
    assert.equal((await thoth(["unwrap-config", path], { cwd: dir })).code, 0);
    assert.equal(await Deno.readTextFile(path), original);
  });
});

Deno.test("thoth wrap-config exits 1 and names a local server it cannot wrap; status --check fails", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(
      path,
      '{"mcpServers": {"ok": {"command": "node"}, ' +
        '"port": {"command": "node", "args": ["server.js", "--port", 8080]}}}',
    );
    const wrap = await thoth(["wrap-config", ...T, path], { cwd: dir });
    assert.equal(wrap.code, 1);
    assert.match(
      wrap.err,
      /^thoth: error: "port" is not governed: "args" item 3 is not a string \(8080\)/m,
    );
    assert.match(await Deno.readTextFile(path), /"ok": \{"command": "\/opt\/x\/bin\/thoth-linux/);
    const status = await thoth(["status", "--check", "--config", path], {
      cwd: dir,
      deps: { isFile },
    });
    assert.equal(status.code, 1);
    assert.match(status.out, /1 governed, 1 ungoverned/);
    assert.match(status.err, /run without thoth: port/);
  });
});

Deno.test("thoth wrap-config refuses an --env key given twice with a usage error", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    const text = '{"mcpServers": {"a": {"command": "node", "env": {"A": "0"}}}}';
    await Deno.writeTextFile(path, text);
    const run = await thoth(["wrap-config", ...T, "--env", "A=1", "--env", "A=2", path], {
      cwd: dir,
    });
    assert.equal(run.code, 2);
    assert.match(run.err, /--env A is given more than once/);
    assert.equal(await Deno.readTextFile(path), text);
  });
});

Deno.test("thoth wrap-config --thoth-path that is not absolute is a usage error", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, '{"mcpServers": {"a": {"command": "node"}}}');
    const run = await thoth(["wrap-config", "--thoth-path", "thoth", path], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.err, /--thoth-path "thoth" is not an absolute path/);
  });
});

Deno.test("thoth wrap-config --help says which --env variables reach the server", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["wrap-config", "--help"], { cwd: dir });
    assert.match(run.out, /reaches\s+thoth\s+run\s+only,\s+not\s+the\s+server/);
    assert.match(run.out, /exits 1/);
  });
});

Deno.test("thoth status --check fails on a flag thoth run reads as given no value", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    const args = ["run", "--agent-id", "e", "--tenant-id", "acme", "--enforcement-mode", "block"];
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: {
          e: { command: "/opt/thoth/bin/thoth", args: [...args, "--policy", "--", "node", "x"] },
        },
      }),
    );
    const run = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(run.out, /--policy is given no value/);
    assert.doesNotMatch(run.out, /older flag set/);
  });
});
