/**
 * VS Code runs servers from its user settings.json (`"mcp": {"servers": …}`)
 * as well as from mcp.json: with `--client vscode` and no file named,
 * `status` reads both (and `--check` fails on an ungoverned server in either,
 * naming its file), and `wrap-config` / `unwrap-config` rewrite both.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const CLOCK = "/usr/bin/mcp-clock";

/** VS Code's user folder under the temp HOME the CLI tests use (Linux layout). */
function userDir(dir: string): string {
  return `${dir}/home/.config/Code/User`;
}

const GOVERNED_MCP = JSON.stringify(
  {
    servers: {
      a: {
        type: "stdio",
        command: THOTH,
        args: ["run", "--agent-id", "a", "--enforcement-mode", "block", "--", CLOCK],
      },
    },
  },
  null,
  2,
);

const SETTINGS = `{
  // the user's own settings stay as they are
  "editor.fontSize": 14,
  "mcp": {
    "servers": {
      "legacy": { "command": "${CLOCK}", "args": ["--port", "1"] },
    },
  },
}
`;

async function setUp(dir: string, files: { mcp?: string; settings?: string }): Promise<{
  mcp: string;
  settings: string;
}> {
  await Deno.mkdir(userDir(dir), { recursive: true });
  const mcp = `${userDir(dir)}/mcp.json`;
  const settings = `${userDir(dir)}/settings.json`;
  if (files.mcp !== undefined) await Deno.writeTextFile(mcp, files.mcp);
  if (files.settings !== undefined) await Deno.writeTextFile(settings, files.settings);
  return { mcp, settings };
}

Deno.test("thoth status --client vscode --check fails on a server in settings.json, naming the file", () =>
  inTempDir(async (dir) => {
    const { mcp, settings } = await setUp(dir, { mcp: GOVERNED_MCP, settings: SETTINGS });
    const run = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(run.code, 1, run.err);
    assert.match(
      run.err,
      new RegExp(
        `^thoth: error: 1 stdio server\\(s\\) run without thoth: legacy \\(in "${settings}"\\)$`,
        "m",
      ),
    );
    assert.match(run.err, /run "thoth wrap-config --client vscode" to govern them/);
    // Both tables, each under its file.
    assert.ok(run.out.startsWith(`${mcp}\n\n`), run.out);
    assert.match(run.out, new RegExp(`^${settings}$`, "m"));
    assert.match(run.out, /^a +✓/m);
    assert.match(run.out, /^legacy +✗/m);

    const json = await thoth(["status", "--client", "vscode", "--json"], { cwd: dir });
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out);
    assert.equal(doc.config, mcp);
    assert.deepEqual(doc.configs, [mcp, settings]);
    assert.deepEqual(
      doc.servers.map((s: { name: string; config: string; state: string }) => [
        s.name,
        s.config,
        s.state,
      ]),
      [["a", mcp, "governed"], ["legacy", settings, "ungoverned"]],
    );
    assert.equal(doc.summary.servers, 2);
    assert.equal(doc.summary.governed, 1);
    assert.equal(doc.summary.ungoverned, 1);
  }));

Deno.test("thoth wrap-config --client vscode wraps mcp.json and settings.json; status --check then passes", () =>
  inTempDir(async (dir) => {
    const input = JSON.stringify({ servers: { a: { type: "stdio", command: CLOCK } } }, null, 2);
    const { mcp, settings } = await setUp(dir, { mcp: input, settings: SETTINGS });
    const dry = await thoth(["wrap-config", "--client", "vscode", "--dry-run"], { cwd: dir });
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, new RegExp(`^${mcp}:\n {2}wrapped {2}a `, "m"));
    assert.match(dry.out, new RegExp(`^${settings}:\n {2}wrapped {2}legacy `, "m"));
    assert.equal(await Deno.readTextFile(settings), SETTINGS, "a dry run writes nothing");

    const run = await thoth(["wrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.equal(await Deno.readTextFile(`${mcp}.thoth-backup`), input);
    assert.equal(await Deno.readTextFile(`${settings}.thoth-backup`), SETTINGS);
    const wrapped = await Deno.readTextFile(settings);
    assert.match(wrapped, /^ {2}\/\/ the user's own settings stay as they are$/m);
    assert.match(wrapped, /"editor\.fontSize": 14,/);
    assert.match(wrapped, new RegExp(`"command": "${THOTH}"`));
    assert.match(wrapped, /"--", "\/usr\/bin\/mcp-clock", "--port", "1"/);
    assert.match(run.out, new RegExp(`Backup of the original: ${settings}\\.thoth-backup`));

    const check = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(check.code, 0, check.err + check.out);

    const back = await thoth(["unwrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(back.code, 0, back.err);
    assert.equal(await Deno.readTextFile(mcp), input);
    assert.equal(await Deno.readTextFile(settings), SETTINGS);
  }));

Deno.test("thoth wrap-config --client vscode --output is refused when settings.json holds servers too", () =>
  inTempDir(async (dir) => {
    const input = JSON.stringify({ servers: { a: { type: "stdio", command: CLOCK } } });
    const { mcp, settings } = await setUp(dir, { mcp: input, settings: SETTINGS });
    const run = await thoth(
      ["wrap-config", "--client", "vscode", "--output", `${dir}/out.json`],
      { cwd: dir },
    );
    assert.equal(run.code, 2, run.err);
    assert.match(run.err, /--output names one file, but wrap-config --client vscode works on 2/);
    assert.match(
      run.err,
      new RegExp(`thoth wrap-config --client vscode --output FILE "${settings}"`),
    );
    await assert.rejects(Deno.stat(`${dir}/out.json`), Deno.errors.NotFound);
    assert.equal(await Deno.readTextFile(mcp), input);
    assert.equal(await Deno.readTextFile(settings), SETTINGS);
  }));

Deno.test("thoth status/wrap-config --client vscode leave a settings.json without MCP servers alone", () =>
  inTempDir(async (dir) => {
    const plain = '{\n  // no MCP here\n  "editor.fontSize": 14,\n}\n';
    const input = JSON.stringify({ servers: { a: { type: "stdio", command: CLOCK } } });
    const { mcp, settings } = await setUp(dir, { mcp: input, settings: plain });
    const json = await thoth(["status", "--client", "vscode", "--json"], { cwd: dir });
    assert.equal(json.code, 0, json.err);
    assert.deepEqual(JSON.parse(json.out).configs, [mcp]);
    const run = await thoth(["wrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.equal(await Deno.readTextFile(settings), plain);
    await assert.rejects(Deno.stat(`${settings}.thoth-backup`), Deno.errors.NotFound);
    // A settings.json that does not parse is no MCP config unless it mentions MCP.
    await Deno.writeTextFile(settings, '{"editor.fontSize": 14 "x": 1}');
    const broken = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(broken.code, 0, broken.err);
    await Deno.writeTextFile(settings, '{"mcp": {"servers": {}} "x": 1}');
    const mcpBroken = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(mcpBroken.code, 1);
    assert.match(mcpBroken.err, new RegExp(`invalid JSON in config ${settings}:1:`));
  }));

Deno.test("thoth status --client vscode reads settings.json when mcp.json is missing", () =>
  inTempDir(async (dir) => {
    const { settings } = await setUp(dir, { settings: SETTINGS });
    const run = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(run.err, /run without thoth: legacy/);
    assert.ok(run.out.startsWith(`${settings}\n\n`), run.out);
    // Neither file holds servers: the missing mcp.json is the error it always was.
    await Deno.remove(settings);
    const none = await thoth(["status", "--client", "vscode"], { cwd: dir });
    assert.equal(none.code, 1);
    assert.match(none.err, /Code\/User\/mcp\.json": no such file/);
  }));

Deno.test("thoth status --config names one file only, even with --client vscode", () =>
  inTempDir(async (dir) => {
    const { mcp } = await setUp(dir, { mcp: GOVERNED_MCP, settings: SETTINGS });
    const run = await thoth(["status", "--client", "vscode", "--check", "--config", mcp], {
      cwd: dir,
    });
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.out, /legacy/);
  }));
