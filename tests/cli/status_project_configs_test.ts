/**
 * `thoth status --client` also reads the project configs of that client that
 * `thoth doctor` finds (the folders `~/.claude.json` lists), so that `--check`
 * does not pass while doctor fails on the same machine.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

/** A governed server, written as wrap-config writes one. */
const GOVERNED = { command: THOTH, args: ["run", "--", "/usr/bin/mcp-clock"] };
/** A stdio server that runs without thoth. */
const UNGOVERNED = { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem"] };

async function write(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2));
}

/** ~/.claude.json with a governed user server, listing `folders` as projects. */
async function claudeJson(dir: string, folders: string[]): Promise<void> {
  await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
  await write(`${dir}/home/.claude.json`, {
    mcpServers: { clock: GOVERNED },
    projects: Object.fromEntries(folders.map((folder) => [folder, {}])),
  });
}

Deno.test("thoth status --client claude-code --check fails on an ungoverned server in a project's .mcp.json that ~/.claude.json lists", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await write(`${web}/.mcp.json`, { mcpServers: { "shared-fs": UNGOVERNED } });
    const run = await thoth(["status", "--client", "claude-code", "--check"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    // Its own table, under its path, with the command that wraps that file.
    assert.match(run.out, new RegExp(`^${web}/\\.mcp\\.json$`, "m"));
    assert.match(
      run.out,
      new RegExp(
        `^shared-fs +✗ .*run "thoth wrap-config --client claude-code ${web}/\\.mcp\\.json"`,
        "m",
      ),
    );
    assert.match(
      run.out,
      new RegExp(
        `^Project configs: \\.mcp\\.json in the 1 project folder "${dir}/home/\\.claude\\.json" lists: found "${web}/\\.mcp\\.json"$`,
        "m",
      ),
    );
    assert.match(
      run.out,
      /^Not looked in: \.mcp\.json files in folders ~\/\.claude\.json does not list/m,
    );
    assert.match(
      run.err,
      new RegExp(
        `^thoth: error: 1 stdio server\\(s\\) run without thoth: shared-fs \\(in "${web}/\\.mcp\\.json"\\)$`,
        "m",
      ),
    );
    assert.match(
      run.err,
      new RegExp(
        `^thoth: hint: run "thoth wrap-config --client claude-code ${web}/\\.mcp\\.json" to govern them`,
        "m",
      ),
    );
  });
});

Deno.test("thoth status --client claude-code --json lists project configs, their servers and where it looked", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    const gone = `${dir}/proj/gone`;
    const empty = `${dir}/proj/empty`;
    await claudeJson(dir, [web, gone, empty]);
    await Deno.mkdir(empty, { recursive: true });
    await write(`${web}/.mcp.json`, { mcpServers: { "shared-fs": UNGOVERNED } });
    const run = await thoth(["status", "--client", "claude-code", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    // The fields scripts read keep their names and meaning; the new ones are added.
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.config, `${dir}/home/.claude.json`);
    assert.deepEqual(doc.configs, [`${dir}/home/.claude.json`, `${web}/.mcp.json`]);
    assert.deepEqual(
      doc.servers.map((s: Record<string, unknown>) => [s.name, s.state, s.config, s.scope]),
      [
        ["clock", "governed", `${dir}/home/.claude.json`, "user"],
        ["shared-fs", "ungoverned", `${web}/.mcp.json`, "project"],
      ],
    );
    assert.equal(doc.summary.ungoverned, 1);
    assert.equal(doc.summary.governed, 1);
    assert.equal(doc.projectConfigs.listedIn, `${dir}/home/.claude.json`);
    assert.deepEqual(
      doc.projectConfigs.places.map((p: Record<string, unknown>) => [p.folder, p.state]),
      [[web, "found"], [gone, "folder_missing"], [empty, "none"]],
    );
  });
});

Deno.test("thoth status --client claude-code says a listed project folder is gone and passes --check, as doctor does", async () => {
  await inTempDir(async (dir) => {
    const gone = `${dir}/proj/gone`;
    await claudeJson(dir, [gone]);
    const run = await thoth(["status", "--client", "claude-code", "--check"], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.out, new RegExp(`folder not there \\(nothing to check\\): "${gone}"$`, "m"));
  });
});

Deno.test("thoth status --client claude-code names a project .mcp.json it cannot parse and fails --check on it only", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await Deno.mkdir(web, { recursive: true });
    await Deno.writeTextFile(`${web}/.mcp.json`, "{ not json");
    const run = await thoth(["status", "--client", "claude-code"], { cwd: dir });
    // As the release before, which read no project configs: a stale project is no failure.
    assert.equal(run.code, 0, run.out + run.err);
    // The user config's table is still shown.
    assert.match(run.out, /^clock +✓/m);
    assert.match(
      run.err,
      new RegExp(`^thoth: warning: invalid JSON in config ${web}/\\.mcp\\.json:`, "m"),
    );
    const check = await thoth(["status", "--client", "claude-code", "--check"], { cwd: dir });
    assert.equal(check.code, 1, check.out + check.err);
    assert.match(
      check.err,
      new RegExp(`^thoth: error: invalid JSON in config ${web}/\\.mcp\\.json:`, "m"),
    );
  });
});

Deno.test("thoth status --client cursor reads the .cursor/mcp.json of the folders ~/.claude.json lists", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await write(`${dir}/home/.cursor/mcp.json`, { mcpServers: { clock: GOVERNED } });
    await write(`${web}/.cursor/mcp.json`, { mcpServers: { "shared-fs": UNGOVERNED } });
    // Claude Code's project file is not Cursor's: it is not read.
    await write(`${web}/.mcp.json`, { mcpServers: { other: UNGOVERNED } });
    const run = await thoth(["status", "--client", "cursor", "--check"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(
      run.err,
      new RegExp(`run without thoth: shared-fs \\(in "${web}/\\.cursor/mcp\\.json"\\)$`, "m"),
    );
    assert.doesNotMatch(run.out + run.err, /\bother\b/);
  });
});

Deno.test("thoth status --config FILE reads that file only, without project configs", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await write(`${web}/.mcp.json`, { mcpServers: { "shared-fs": UNGOVERNED } });
    const path = `${dir}/home/.claude.json`;
    const run = await thoth(
      ["status", "--client", "claude-code", "--config", path, "--json", "--check"],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    assert.deepEqual(doc.configs, [path]);
    assert.equal(doc.projectConfigs, null);
  });
});

Deno.test("thoth status --client cursor reads ~/.cursor/mcp.json once when ~/.claude.json lists the home folder", async () => {
  await inTempDir(async (dir) => {
    await claudeJson(dir, [`${dir}/home`]);
    await write(`${dir}/home/.cursor/mcp.json`, { mcpServers: { "shared-fs": UNGOVERNED } });
    const run = await thoth(["status", "--client", "cursor", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    assert.deepEqual(doc.configs, [`${dir}/home/.cursor/mcp.json`]);
    assert.equal(doc.summary.ungoverned, 1);
  });
});

Deno.test("wrap-config --client claude-code names a listed project's .mcp.json it left, and the command it names wraps it", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await write(`${web}/.mcp.json`, { mcpServers: { "shared-fs": UNGOVERNED } });
    const run = await thoth(["wrap-config", "--client", "claude-code"], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(
      run.err,
      new RegExp(
        `^thoth: warning: not wrapped: the project config "${web}/\\.mcp\\.json" .* 1 stdio server that runs without thoth: shared-fs$`,
        "m",
      ),
    );
    const hint = new RegExp(`^thoth: hint: to wrap it, run: thoth (wrap-config .*)$`, "m").exec(
      run.err,
    );
    assert.ok(hint, run.err);
    const again = await thoth(hint[1]!.split(" "), { cwd: dir });
    assert.equal(again.code, 0, again.out + again.err);
    const check = await thoth(["status", "--client", "claude-code", "--check"], { cwd: dir });
    assert.equal(check.code, 0, check.out + check.err);
    // Nothing left: wrap-config says nothing more about projects.
    const quiet = await thoth(["wrap-config", "--client", "claude-code"], { cwd: dir });
    assert.doesNotMatch(quiet.err, /not wrapped: the project config/);
  });
});
