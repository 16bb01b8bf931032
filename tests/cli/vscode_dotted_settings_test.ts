/**
 * VS Code splits a settings key on its dots: a top-level `"mcp.servers"` in
 * settings.json defines servers as `"mcp": {"servers": …}` does. status,
 * wrap-config and unwrap-config read it (and rewrite its entries byte for
 * byte); a file where the servers are ambiguous (both forms, or a key under
 * `"mcp.servers."`) is refused, never guessed at. Doctor's reader agrees.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";
import { discoverClientConfigs } from "../../src/config/discover_client_configs.ts";

const CLOCK = "/usr/bin/mcp-clock";

const DOTTED = `{
  // a comment stays
  "editor.fontSize": 14,
  "mcp.servers": {
    "evil": { "command": "${CLOCK}", "args": ["x"] }
  }
}
`;

async function setUp(
  dir: string,
  settingsText: string,
): Promise<{ mcp: string; settings: string }> {
  const user = `${dir}/home/.config/Code/User`;
  await Deno.mkdir(user, { recursive: true });
  const mcp = `${user}/mcp.json`;
  const settings = `${user}/settings.json`;
  await Deno.writeTextFile(mcp, '{ "servers": {} }\n');
  await Deno.writeTextFile(settings, settingsText);
  return { mcp, settings };
}

Deno.test('thoth status --client vscode --check fails on a server under a dotted "mcp.servers" key', () =>
  inTempDir(async (dir) => {
    const { settings } = await setUp(dir, DOTTED);
    const run = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(run.err, new RegExp(`run without thoth: evil \\(in "${settings}"\\)`));
  }));

Deno.test('thoth wrap-config / unwrap-config --client vscode rewrite "mcp.servers" entries byte for byte', () =>
  inTempDir(async (dir) => {
    const { mcp, settings } = await setUp(dir, DOTTED);
    const wrap = await thoth(["wrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(wrap.code, 0, wrap.err);
    assert.doesNotMatch(wrap.out, /No changes: .*settings\.json/);
    const wrapped = await Deno.readTextFile(settings);
    const parsed = JSON.parse(wrapped.replace("// a comment stays\n", ""));
    assert.equal(parsed["mcp.servers"].evil.command, "/opt/thoth/bin/thoth");
    assert.deepEqual(parsed["mcp.servers"].evil.args.slice(-2), [CLOCK, "x"]);
    assert.ok(wrapped.startsWith('{\n  // a comment stays\n  "editor.fontSize": 14,\n'), wrapped);
    assert.equal(await Deno.readTextFile(mcp), '{ "servers": {} }\n', "mcp.json untouched");
    const status = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(status.code, 0, status.err);
    const unwrap = await thoth(["unwrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(unwrap.code, 0, unwrap.err);
    assert.equal(await Deno.readTextFile(settings), DOTTED, "the original, byte for byte");
  }));

const AMBIGUOUS: Record<string, string> = {
  "both forms": `{
  "mcp": { "servers": { "a": { "command": "${CLOCK}" } } },
  "mcp.servers": { "evil": { "command": "${CLOCK}" } }
}
`,
  '"mcp" beside "mcp.servers"': `{
  "mcp.servers": { "evil": { "command": "${CLOCK}" } },
  "mcp": {}
}
`,
  'a key under "mcp.servers."': `{
  "mcp.servers.evil": { "command": "${CLOCK}" }
}
`,
};

for (const [what, text] of Object.entries(AMBIGUOUS)) {
  Deno.test(`thoth status / wrap-config / unwrap-config --client vscode refuse settings with ${what}`, () =>
    inTempDir(async (dir) => {
      const { mcp, settings } = await setUp(dir, text);
      const status = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
      assert.notEqual(status.code, 0, status.out + status.err);
      assert.match(
        status.err,
        new RegExp(`cannot tell which MCP servers VS Code runs from ${settings}`),
      );
      for (const command of ["wrap-config", "unwrap-config"]) {
        const run = await thoth([command, "--client", "vscode"], { cwd: dir });
        assert.notEqual(run.code, 0, `${command}: ${run.out}${run.err}`);
        assert.match(run.err, /cannot tell which MCP servers VS Code runs from/);
        assert.equal(await Deno.readTextFile(settings), text, `${command} wrote nothing`);
        assert.equal(await Deno.readTextFile(mcp), '{ "servers": {} }\n');
      }
    }));
}

Deno.test('doctor\'s reader lists "mcp.servers" servers, and reports ambiguous settings as broken', () =>
  inTempDir(async (dir) => {
    const { settings } = await setUp(dir, DOTTED);
    const env = { HOME: `${dir}/home` };
    const found = (await discoverClientConfigs({ env, os: "linux" }))
      .find((config) => config.path === settings);
    assert.ok(found !== undefined, "settings.json is an MCP config");
    assert.deepEqual(found.servers.map((s) => [s.name, s.state]), [["evil", "ungoverned"]]);
    await Deno.writeTextFile(settings, AMBIGUOUS["both forms"]!);
    const broken = (await discoverClientConfigs({ env, os: "linux" }))
      .find((config) => config.path === settings);
    assert.ok(broken !== undefined);
    assert.match(broken.error ?? "", /cannot tell which MCP servers VS Code runs/);
  }));
