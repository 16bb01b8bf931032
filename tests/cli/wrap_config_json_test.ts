/**
 * `wrap-config --json` and `unwrap-config --json`: one JSON document on stdout
 * that tells files, servers and errors apart (exit codes stay 0/1/2); a
 * tenant's calls said to be decided locally by wrap-config and status; a
 * listed Claude Code project config left as it is is a warning.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const CLOCK = { command: "/usr/bin/mcp-clock", args: [] };
const UNGOVERNED = { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem"] };

async function write(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2));
}

const TENANT = ["--tenant-id", "acme", "--env", "THOTH_USER_ID=ana@example.com"];

Deno.test("wrap-config --json: the file written, its backup, each server with its decisions; the tenant note on stderr", async () => {
  await inTempDir(async (dir) => {
    const config = `${dir}/c.json`;
    await write(config, { mcpServers: { clock: CLOCK } });
    const run = await thoth(["wrap-config", "--json", ...TENANT, config], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    const doc = JSON.parse(run.out);
    assert.equal(doc.ok, true);
    assert.equal(doc.exitCode, 0);
    assert.equal(doc.error, null);
    assert.equal(doc.files.length, 1);
    assert.equal(doc.files[0].path, config);
    assert.equal(doc.files[0].outcome, "written");
    assert.equal(doc.files[0].backup, `${config}.thoth-backup`);
    assert.equal(doc.files[0].servers[0].name, "clock");
    assert.equal(doc.files[0].servers[0].action, "wrapped");
    assert.equal(doc.files[0].servers[0].tenantId, "acme");
    assert.equal(doc.files[0].servers[0].decisions, "local");
    // The human lines are on stderr, with the note that this build decides locally.
    assert.match(run.err, /^Wrote /m);
    assert.match(run.err, /^thoth: note: 1 server\(s\) with a tenant \(clock\): .*local policy/m);

    // Again: nothing to change; then unwrap-config --json restores it.
    const again = JSON.parse(
      (await thoth(["wrap-config", "--json", ...TENANT, config], { cwd: dir })).out,
    );
    assert.equal(again.files[0].outcome, "unchanged");
    const dry = await thoth(["unwrap-config", "--json", "--dry-run", config], { cwd: dir });
    assert.equal(dry.code, 0, dry.err);
    assert.equal(JSON.parse(dry.out).files[0].outcome, "would_write");
    const un = await thoth(["unwrap-config", "--json", config], { cwd: dir });
    assert.equal(un.code, 0, un.err);
    const undoc = JSON.parse(un.out);
    assert.equal(undoc.files[0].outcome, "written");
    assert.equal(undoc.files[0].servers[0].action, "unwrapped");
    assert.equal(undoc.files[0].servers[0].decisions, null);
  });
});

Deno.test("wrap-config --json: a missing config is one document with error.code (exit 1), a server left is a failure (exit 1)", async () => {
  await inTempDir(async (dir) => {
    const missing = await thoth(["wrap-config", "--json", `${dir}/none.json`], { cwd: dir });
    assert.equal(missing.code, 1, missing.err);
    const doc = JSON.parse(missing.out);
    assert.equal(doc.ok, false);
    assert.equal(doc.error.code, "config.not_found");
    assert.equal(doc.error.exitCode, 1);
    assert.ok(Array.isArray(doc.error.hints));
    assert.deepEqual(doc.files, []);

    const config = `${dir}/c.json`;
    await write(config, { mcpServers: { clock: CLOCK, bad: { command: "x", args: [1] } } });
    const left = await thoth(["wrap-config", "--json", "--dry-run", config], { cwd: dir });
    assert.equal(left.code, 1, left.err);
    const leftDoc = JSON.parse(left.out);
    assert.equal(leftDoc.ok, false);
    assert.equal(leftDoc.error, null);
    assert.equal(leftDoc.files[0].outcome, "would_write");
    const bad = leftDoc.files[0].servers.find((server: { name: string }) => server.name === "bad");
    assert.equal(bad.action, "left");
    assert.match(bad.reason, /args/);
    assert.deepEqual(leftDoc.failures.map((f: { code: string }) => f.code), [
      "config.servers_left",
    ]);
  });
});

Deno.test("wrap-config --client claude-code: a listed project's .mcp.json left as it is is a warning, and 'left' in --json", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
    await write(`${dir}/home/.claude.json`, {
      mcpServers: { clock: CLOCK },
      projects: { [web]: {} },
    });
    await write(`${web}/.mcp.json`, { mcpServers: { "shared-fs": UNGOVERNED } });
    const text = await thoth(["wrap-config", "--client", "claude-code", "--dry-run"], { cwd: dir });
    assert.equal(text.code, 0, text.err);
    assert.match(text.err, /^thoth: warning: not wrapped: the project config .*shared-fs$/m);
    const run = await thoth(["wrap-config", "--client", "claude-code", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    const project = doc.files.find((file: { path: string }) => file.path === `${web}/.mcp.json`);
    assert.equal(project.outcome, "left");
    assert.match(project.reason, /wrapped only when named/);
    assert.equal(project.servers[0].name, "shared-fs");
    assert.equal(project.servers[0].action, "left");
  });
});

Deno.test("status names the servers with a tenant (decided locally) under the table, and --json gives each server its decisions", async () => {
  await inTempDir(async (dir) => {
    const config = `${dir}/c.json`;
    await write(config, {
      mcpServers: {
        clock: { command: THOTH, args: ["run", "--tenant-id", "acme", "--", "/usr/bin/mcp-clock"] },
        plain: { command: THOTH, args: ["run", "--", "/usr/bin/mcp-clock"] },
        raw: UNGOVERNED,
      },
    });
    const text = await thoth(["status", "--config", config], { cwd: dir });
    assert.match(
      text.out,
      /^Tenant set for clock: calls are decided by this machine's local policy/m,
    );
    const json = await thoth(["status", "--config", config, "--json"], { cwd: dir });
    const doc = JSON.parse(json.out);
    const of = (name: string) =>
      doc.servers.find((server: { name: string }) => server.name === name);
    assert.equal(of("clock").decisions, "local");
    assert.equal(of("plain").decisions, "local");
    assert.equal(of("raw").decisions, null);
  });
});
