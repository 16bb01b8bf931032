/**
 * An ambiguous VS Code settings.json: doctor's reader names it by path and
 * calls it ambiguous; wrap-config --client vscode still refuses (fail closed)
 * but says how to wrap mcp.json alone meanwhile; status shows mcp.json's
 * table and the settings.json problem, and fails.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";
import { discoverClientConfigs } from "../../src/config/discover_client_configs.ts";

const CLOCK = "/usr/bin/mcp-clock";
const AMBIGUOUS = `{
  "mcp": { "servers": { "a": { "command": "${CLOCK}" } } },
  "mcp.servers": { "evil": { "command": "${CLOCK}" } }
}
`;
const MCP = `{ "servers": { "fs": { "command": "${CLOCK}", "args": ["x"] } } }\n`;

async function setUp(dir: string): Promise<{ mcp: string; settings: string }> {
  const user = `${dir}/home/.config/Code/User`;
  await Deno.mkdir(user, { recursive: true });
  const mcp = `${user}/mcp.json`;
  const settings = `${user}/settings.json`;
  await Deno.writeTextFile(mcp, MCP);
  await Deno.writeTextFile(settings, AMBIGUOUS);
  return { mcp, settings };
}

Deno.test("doctor's reader names an ambiguous settings.json by its path and calls it ambiguous", () =>
  inTempDir(async (dir) => {
    const { settings } = await setUp(dir);
    const found = (await discoverClientConfigs({ env: { HOME: `${dir}/home` }, os: "linux" }))
      .find((config) => config.path === settings);
    assert.ok(found !== undefined);
    const error = found.error ?? "";
    assert.ok(error.includes(`runs from ${settings}:`), error);
    assert.ok(!error.includes("this file"), error);
    assert.match(error, /ambiguous/);
  }));

Deno.test("wrap-config --client vscode refused by settings.json names the command for mcp.json alone", () =>
  inTempDir(async (dir) => {
    const { mcp, settings } = await setUp(dir);
    for (const command of ["wrap-config", "unwrap-config"]) {
      const run = await thoth([command, "--client", "vscode"], { cwd: dir });
      assert.notEqual(run.code, 0, run.out + run.err);
      assert.ok(
        run.err.includes(`thoth ${command} --client vscode ${JSON.stringify(mcp)}`),
        run.err,
      );
      assert.equal(await Deno.readTextFile(mcp), MCP, "fail closed: mcp.json untouched");
      assert.equal(await Deno.readTextFile(settings), AMBIGUOUS);
    }
    // The command the hint names works.
    const alone = await thoth(["wrap-config", "--client", "vscode", mcp], { cwd: dir });
    assert.equal(alone.code, 0, alone.err);
    assert.notEqual(await Deno.readTextFile(mcp), MCP);
    assert.equal(await Deno.readTextFile(settings), AMBIGUOUS);
  }));

Deno.test("status --client vscode shows mcp.json's table beside settings.json's problem, and fails", () =>
  inTempDir(async (dir) => {
    const { mcp, settings } = await setUp(dir);
    for (const check of [[], ["--check"]]) {
      const run = await thoth(["status", "--client", "vscode", ...check], { cwd: dir });
      assert.equal(run.code, 1, run.out + run.err);
      assert.ok(run.out.includes(mcp), run.out);
      assert.match(run.out, /\bfs\b/);
      assert.ok(
        run.err.includes(
          `thoth: error: cannot tell which MCP servers VS Code runs from ${settings}`,
        ),
        run.err,
      );
    }
    const json = await thoth(["status", "--client", "vscode", "--json"], { cwd: dir });
    assert.equal(json.code, 1, json.err);
    assert.deepEqual(JSON.parse(json.out).configs, [mcp]);
    assert.match(json.err, /ambiguous/);
  }));
