/**
 * wrap-config's closing line and hints name the commands for the config it
 * worked on: the same `--client` and the file named, never a plain `thoth
 * status` (Claude Desktop's config) or `thoth wrap-config` after a Cursor,
 * VS Code or project config. "No changes" is not "up to date" while a server
 * is left without thoth.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

/** One server thoth cannot wrap as written ("args" item not a string), one it can. */
const PARTLY_WRAPPABLE = JSON.stringify({
  mcpServers: {
    a: { command: "/usr/bin/mcp-clock", args: ["-m", 1] },
    clock: { command: "/usr/bin/mcp-clock" },
  },
});

Deno.test("wrap-config --client cursor names status and wrap-config with --client cursor", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/home/.cursor`, { recursive: true });
    await Deno.writeTextFile(`${dir}/home/.cursor/mcp.json`, PARTLY_WRAPPABLE);
    const run = await thoth(["wrap-config", "--client", "cursor"], { cwd: dir });
    assert.equal(run.code, 1, run.err);
    assert.match(
      run.out,
      /^Restart the client to apply, then check with "thoth status --client cursor"\.$/m,
    );
    assert.match(
      run.err,
      /^thoth: hint: fix each entry as its line says, then run "thoth wrap-config --client cursor" again; /m,
    );
    assert.doesNotMatch(run.out + run.err, /"thoth (?:status|wrap-config)"/);
    // The command named works: it reads Cursor's config (no Claude Desktop config here).
    const status = await thoth(["status", "--client", "cursor"], { cwd: dir });
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /clock\s+✓/);
  });
});

Deno.test("wrap-config --client vscode FILE names the file, quoted for a shell", async () => {
  await inTempDir(async (dir) => {
    const folder = `${dir}/my app/.vscode`;
    await Deno.mkdir(folder, { recursive: true });
    const path = `${folder}/mcp.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({ servers: JSON.parse(PARTLY_WRAPPABLE).mcpServers }),
    );
    const run = await thoth(["wrap-config", "--client", "vscode", "--tenant-id", "acme", path], {
      cwd: dir,
    });
    assert.equal(run.code, 1, run.err);
    assert.ok(
      run.out.includes(
        `Restart the client to apply, then check with "thoth status --client vscode --config '${path}'".`,
      ),
      run.out,
    );
    assert.ok(
      run.err.includes(
        `then run "thoth wrap-config --client vscode '${path}'" again with the same options; `,
      ),
      run.err,
    );
  });
});

Deno.test("wrap-config FILE (a project config) names status --config FILE", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/.mcp.json`, PARTLY_WRAPPABLE);
    const run = await thoth(["wrap-config", ".mcp.json"], { cwd: dir });
    assert.equal(run.code, 1, run.err);
    assert.ok(
      run.out.includes(`then check with "thoth status --config ${dir}/.mcp.json".`),
      run.out,
    );
    assert.ok(run.err.includes(`then run "thoth wrap-config ${dir}/.mcp.json" again;`), run.err);
  });
});

Deno.test("wrap-config --client cursor: a server thoth run refuses names status --client cursor --check", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/home/.cursor`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/home/.cursor/mcp.json`,
      JSON.stringify({ mcpServers: { clock: { command: "/usr/bin/mcp-clock" } } }),
    );
    await Deno.writeTextFile(`${dir}/map.json`, '{"clock": "no_such_intent"}');
    const run = await thoth(
      ["wrap-config", "--client", "cursor", "--intent-map", "map.json"],
      { cwd: dir },
    );
    assert.equal(run.code, 1, run.err);
    assert.match(
      run.err,
      /^thoth: hint: fix each as its line says, then check with "thoth status --client cursor --check"; /m,
    );
  });
});

Deno.test("wrap-config run again with a server it cannot wrap does not say up to date", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({ mcpServers: { a: { command: "/usr/bin/python3", args: ["-m", 1] } } }),
    );
    const run = await thoth(["wrap-config", path], { cwd: dir });
    assert.equal(run.code, 1, run.err);
    assert.doesNotMatch(run.out, /up to date\./);
    assert.match(
      run.out,
      /^No changes written: \S*c\.json is not up to date: 1 server\(s\) in it run without thoth /m,
    );
    assert.match(run.err, /^thoth: error: "a" is not governed: /m);
  });
});

Deno.test("a server left as it is whose name looks like a key is not named in clear", async () => {
  await inTempDir(async (dir) => {
    const key = "ghp_R8x2Kq7LmN4pZ9tW3vY6bC1dF5hJ0sA2eG7k";
    await Deno.mkdir(`${dir}/home/.cursor`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/home/.cursor/mcp.json`,
      JSON.stringify({ mcpServers: { [key]: { command: "/usr/bin/mcp-clock", args: ["-m", 1] } } }),
    );
    const run = await thoth(["wrap-config", "--client", "cursor"], { cwd: dir });
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /thoth: error: "\(value hidden: it looks like a key or token/);
    assert.ok(!(run.out + run.err).includes(key), run.out + run.err);
  });
});
