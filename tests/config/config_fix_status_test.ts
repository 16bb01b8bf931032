/**
 * planStatus and planWrap on entries that used to be misread: one server name
 * in two Claude Code scopes starting different commands under one agent id,
 * and thoth started through the Windows shell.
 */
import assert from "node:assert/strict";
import { planStatus } from "../../src/config/plan_status.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { planUnwrap } from "../../src/config/plan_unwrap.ts";

const THOTH = "/opt/thoth/bin/thoth";
const isFile = (path: string) => path === THOTH;
const run = (id: string, ...upstream: string[]) => ({
  command: THOTH,
  args: ["run", "--agent-id", id, "--enforcement-mode", "block", "--", ...upstream],
});

Deno.test("planStatus() shows drift for one name in two Claude Code scopes starting other commands", () => {
  const text = JSON.stringify({
    mcpServers: { db: run("db", "/usr/bin/postgres-mcp") },
    projects: {
      "/home/ana/app": { mcpServers: { db: run("db", "/usr/bin/mysql-mcp") } },
      "/home/ana/web": { mcpServers: { db: run("db", "/usr/bin/postgres-mcp") } },
    },
  });
  const report = planStatus(text, { isFile, client: "claude-code" });
  const [user, app, web] = report.servers;
  assert.match(
    user!.drift[0] ?? "",
    /^agent id "db" is also the agent id of "db" in project "\/home\/ana\/app", which starts another command: /,
  );
  assert.match(
    app!.drift[0] ?? "",
    /in the user scope, project "\/home\/ana\/web", which starts another command/,
  );
  assert.equal(report.summary.drifted, 3);
  // The same server in several scopes is one server: no drift.
  const same = planStatus(
    JSON.stringify({
      mcpServers: { db: run("db", "/usr/bin/postgres-mcp") },
      projects: { "/p": { mcpServers: { db: run("db", "/usr/bin/postgres-mcp") } } },
    }),
    { isFile, client: "claude-code" },
  );
  assert.equal(same.summary.drifted, 0);
  assert.ok(web!.drift.length === 1);
});

Deno.test("cmd /c thoth … is not understood: not ungoverned, never wrapped a second time", () => {
  for (
    const [shell, flag] of [["cmd", "/c"], ["C:\\Windows\\System32\\cmd.exe", "/C"], [
      "cmd.exe",
      "/k",
    ]]
  ) {
    const text = JSON.stringify({
      mcpServers: {
        w: { command: shell, args: [flag, "C:\\thoth\\thoth.exe", "run", "--", "npx", "x"] },
        plain: { command: shell, args: [flag, "npx", "-y", "pkg"] },
      },
    });
    const status = planStatus(text, { isFile });
    assert.deepEqual(status.servers.map((s) => s.state), ["not_understood", "ungoverned"], shell);
    assert.match(status.servers[0]!.note ?? "", /through "cmd(\.exe)? \/[cCk]"/);
    const plan = planWrap(text, { thothCommand: [THOTH] });
    assert.equal(plan.servers[0]!.action, "skipped");
    assert.deepEqual(plan.ungoverned?.map((s) => s.name), ["w"]);
    const wrapped = JSON.parse(plan.text).mcpServers;
    assert.equal(wrapped.w.command, shell, "left as it is");
    assert.equal(wrapped.plain.command, THOTH, "a shell starting another server is wrapped");
    assert.deepEqual(planUnwrap(text).notRestored.map((s) => s.name), ["w"]);
  }
});
