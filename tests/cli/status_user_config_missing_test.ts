/**
 * `thoth status --client X` when X's user config does not exist (no
 * `~/.cursor/mcp.json`) but a project config of X does (a
 * `<project>/.cursor/mcp.json` in a folder `~/.claude.json` lists): a user
 * who keeps servers in project configs only is told the user config is not
 * there, and shown whether the project's servers are governed. With no
 * project config either, the missing file stays the error it was.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
import { runThoth } from "./_thoth_process.ts";

/** A governed server, written as wrap-config writes one. */
const GOVERNED = { command: THOTH, args: ["run", "--", "/usr/bin/mcp-clock"] };
/** A stdio server that runs without thoth. */
const UNGOVERNED = { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem"] };

async function write(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, typeof value === "string" ? value : JSON.stringify(value));
}

/** A profile, and ~/.claude.json listing `folders` as projects (and no servers of its own). */
async function claudeJson(dir: string, folders: string[]): Promise<void> {
  await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
  await write(`${dir}/home/.claude.json`, {
    projects: Object.fromEntries(folders.map((folder) => [folder, {}])),
  });
}

Deno.test("thoth status --client cursor with no ~/.cursor/mcp.json reports a project's .cursor/mcp.json and says the user config does not exist", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    const user = `${dir}/home/.cursor/mcp.json`;
    const project = `${web}/.cursor/mcp.json`;
    await claudeJson(dir, [web]);
    await write(project, { mcpServers: { "shared-fs": UNGOVERNED } });
    // The real CLI, as a Cursor user runs it.
    const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
    const run = await runThoth(["status", "--client", "cursor"], { env, cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(
      run.err,
      new RegExp(
        `^thoth: note: the user config "${user}" does not exist: showing the project `,
        "m",
      ),
    );
    assert.doesNotMatch(run.err, /error/);
    assert.match(run.out, new RegExp(`^${user}\\n\\nNo such file: this client's user config`));
    assert.match(run.out, new RegExp(`^${project}$`, "m"));
    assert.match(run.out, /^shared-fs +✗ /m);
    assert.match(run.out, new RegExp(`^Project configs: .*found "${project}"$`, "m"));

    const check = await runThoth(["status", "--client", "cursor", "--check"], { env, cwd: dir });
    assert.equal(check.code, 1, check.out + check.err);
    assert.match(
      check.err,
      new RegExp(
        `^thoth: error: 1 stdio server\\(s\\) run without thoth: shared-fs \\(in "${project}"\\)$`,
        "m",
      ),
    );
    assert.match(
      check.err,
      new RegExp(
        `^thoth: hint: run "thoth wrap-config --client cursor ${project}" to govern them`,
        "m",
      ),
    );

    const json = await runThoth(["status", "--client", "cursor", "--json"], { env, cwd: dir });
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out);
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.userConfigMissing, user);
    assert.equal(doc.config, user);
    assert.deepEqual(doc.configs, [project]);
    assert.deepEqual(
      doc.servers.map((s: Record<string, unknown>) => [s.name, s.state, s.config, s.scope]),
      [["shared-fs", "ungoverned", project, "project"]],
    );
    assert.equal(doc.summary.servers, 1);
    assert.equal(doc.summary.ungoverned, 1);
    assert.equal(doc.summary.governed, 0);
    assert.equal(doc.summary.projectConfigProblems, 0);
    assert.deepEqual(
      doc.projectConfigs.places.map((p: Record<string, unknown>) => [p.path, p.state]),
      [[project, "found"]],
    );
  });
});

Deno.test("thoth status --client cursor --check passes on a governed project config when the user config does not exist", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await write(`${web}/.cursor/mcp.json`, { mcpServers: { clock: GOVERNED } });
    const run = await thoth(["status", "--client", "cursor", "--check"], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.out, /^clock +✓ /m);
    assert.match(
      run.err,
      /^thoth: note: the user config ".*\/home\/\.cursor\/mcp\.json" does not exist/,
    );
  });
});

Deno.test("thoth status --client cursor with no user config and no project config is still an error", async () => {
  await inTempDir(async (dir) => {
    const user = `${dir}/home/.cursor/mcp.json`;
    const web = `${dir}/proj/web`;
    const gone = `${dir}/proj/gone`;
    // A folder with no .cursor/mcp.json, and one that is gone: nothing to report.
    await claudeJson(dir, [web, gone]);
    await Deno.mkdir(web, { recursive: true });
    for (
      const args of [["status", "--client", "cursor"], ["status", "--client", "cursor", "--check"]]
    ) {
      const run = await thoth(args, { cwd: dir });
      assert.equal(run.code, 1, run.out + run.err);
      assert.equal(run.out, "");
      assert.match(
        run.err,
        new RegExp(`^thoth: error: cannot read config "${user}": no such file$`, "m"),
      );
      assert.match(run.err, /^thoth: hint: /m);
      assert.doesNotMatch(run.err, /note/);
    }
    const json = await thoth(["status", "--client", "cursor", "--json"], { cwd: dir });
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.out).error.code, "config.not_found");
    // No ~/.claude.json at all: no project folder is known.
    await Deno.remove(`${dir}/home/.claude.json`);
    const none = await thoth(["status", "--client", "cursor"], { cwd: dir });
    assert.equal(none.code, 1, none.out + none.err);
    assert.match(
      none.err,
      new RegExp(`^thoth: error: cannot read config "${user}": no such file$`, "m"),
    );
  });
});

Deno.test("thoth status --config naming a missing file stays an error beside project configs", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await claudeJson(dir, [web]);
    await write(`${web}/.cursor/mcp.json`, { mcpServers: { "shared-fs": UNGOVERNED } });
    const missing = `${dir}/home/.cursor/mcp.json`;
    const run = await thoth(["status", "--client", "cursor", "--config", missing], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(
      run.err,
      new RegExp(`^thoth: error: cannot read config "${missing}": no such file$`, "m"),
    );
  });
});

Deno.test("thoth status --client cursor with no user config and a project config it cannot parse warns, and fails --check only", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    const project = `${web}/.cursor/mcp.json`;
    await claudeJson(dir, [web]);
    await write(project, "{ not json");
    const run = await thoth(["status", "--client", "cursor"], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.err, /^thoth: note: the user config .* does not exist/m);
    assert.match(run.err, new RegExp(`^thoth: warning: invalid JSON in config ${project}:`, "m"));
    assert.match(run.out, new RegExp(`cannot understand "${project}"`));
    const check = await thoth(["status", "--client", "cursor", "--check"], { cwd: dir });
    assert.equal(check.code, 1, check.out + check.err);
    assert.match(check.err, new RegExp(`^thoth: error: invalid JSON in config ${project}:`, "m"));
    const json = await thoth(["status", "--client", "cursor", "--json"], { cwd: dir });
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out);
    assert.equal(doc.userConfigMissing, `${dir}/home/.cursor/mcp.json`);
    assert.deepEqual(doc.configs, []);
    assert.deepEqual(doc.servers, []);
    assert.equal(doc.summary.servers, 0);
    assert.equal(doc.summary.projectConfigProblems, 1);
  });
});

Deno.test("thoth status --client vscode with neither mcp.json nor settings.json reports a project's .vscode/mcp.json", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    const project = `${web}/.vscode/mcp.json`;
    await claudeJson(dir, [web]);
    await write(project, { servers: { "shared-fs": UNGOVERNED } });
    const run = await thoth(["status", "--client", "vscode", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    const doc = JSON.parse(run.out);
    assert.equal(doc.userConfigMissing, `${dir}/home/.config/Code/User/mcp.json`);
    assert.deepEqual(doc.configs, [project]);
    assert.deepEqual(doc.servers.map((s: Record<string, unknown>) => s.name), ["shared-fs"]);
  });
});

Deno.test("thoth status --client cursor --json says null for userConfigMissing when the user config exists", async () => {
  await inTempDir(async (dir) => {
    const user = `${dir}/home/.cursor/mcp.json`;
    await claudeJson(dir, []);
    await write(user, { mcpServers: { clock: GOVERNED } });
    const run = await thoth(["status", "--client", "cursor", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    assert.equal(doc.userConfigMissing, null);
    assert.equal(doc.config, user);
    assert.doesNotMatch(run.err, /note/);
  });
});

Deno.test("thoth status --client cursor --check names a project's own wrap-config for an entry not understood there", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    const project = `${web}/.cursor/mcp.json`;
    await claudeJson(dir, [web]);
    await write(project, { mcpServers: { odd: { command: THOTH, args: ["run", "--", ""] } } });
    const run = await thoth(["status", "--client", "cursor", "--check"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(
      run.err,
      new RegExp(
        `^thoth: error: 1 thoth entry\\(ies\\) not understood, .*: odd \\(in "${project}"\\)$`,
        "m",
      ),
    );
    // Not the client's own wrap-config, which stops at the missing user config.
    assert.match(
      run.err,
      new RegExp(
        `fix the entries by hand, then run "thoth wrap-config --client cursor ${project}"$`,
        "m",
      ),
    );
  });
});
