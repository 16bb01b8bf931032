import assert from "node:assert/strict";
import { planStatus } from "../../src/config/plan_status.ts";
import { formatStatusTable } from "../../src/config/format_status_table.ts";
import { fixture, GOLDEN, THOTH } from "./_golden.ts";

const isFile = (path: string) => path === THOTH;

// [governed, ungoverned, notApplicable, drifted] for each golden's input and expected file
const counts: Record<(typeof GOLDEN)[number], [number[], number[]]> = {
  "claude-desktop": [[0, 4, 2, 0], [4, 0, 2, 0]],
  "cursor": [[2, 2, 0, 1], [4, 0, 0, 0]],
  "vscode": [[0, 2, 2, 0], [2, 0, 2, 0]],
  "windsurf": [[0, 2, 2, 0], [2, 0, 2, 0]],
  "claude-code-user": [[0, 2, 1, 0], [2, 0, 1, 0]],
  "claude-code-project": [[1, 1, 1, 1], [2, 0, 1, 0]],
};

for (const name of GOLDEN) {
  Deno.test(`planStatus() counts governed servers in ${name} input and wrapped configs`, () => {
    const [before, after] = counts[name];
    for (const [file, want] of [[`${name}.input.json`, before], [`${name}.expected.json`, after]]) {
      const { summary } = planStatus(fixture(file as string), { isFile });
      assert.deepEqual(
        [summary.governed, summary.ungoverned, summary.notApplicable, summary.drifted],
        want,
        file as string,
      );
    }
  });
}

Deno.test("planStatus() reads agent id, tenant, intent and mode of wrapped servers", () => {
  const report = planStatus(fixture("claude-desktop.expected.json"), { isFile });
  const gdrive = report.servers[0]!;
  assert.deepEqual(
    [gdrive.name, gdrive.governed, gdrive.agentId, gdrive.tenantId, gdrive.intent],
    ["gdrive", true, "gdrive", "acme", "calendar_management"],
  );
  assert.equal(gdrive.enforcementMode, "block");
  assert.equal(gdrive.upstreamCommand, "npx");
  assert.equal(gdrive.command, THOTH);
});

Deno.test("planStatus() shows drift: missing thoth path, older flags, API key in args", () => {
  const cursor = planStatus(fixture("cursor.input.json"), { isFile });
  const jira = cursor.servers.find((s) => s.name === "jira")!;
  assert.deepEqual(jira.drift, [
    'thoth path "thoth" is not absolute; a GUI client may not find it',
    "older flag set: --enforcer-url",
    "older flag set: no --enforcement-mode",
  ]);
  const moved = planStatus(fixture("cursor.expected.json"), { isFile: () => false });
  assert.ok(moved.servers.every((s) => s.drift[0] === `thoth path "${THOTH}" no longer exists`));
  const project = planStatus(fixture("claude-code-project.input.json"), { isFile: () => false });
  const db = project.servers.find((s) => s.name === "db")!;
  assert.ok(db.drift.includes('thoth path "/usr/local/bin/deno" no longer exists'));
  assert.ok(db.drift.includes('thoth script "/old/thoth/src/cli/thoth.ts" no longer exists'));
  assert.ok(db.drift.some((d) => d.startsWith("API key in args")));
});

Deno.test("formatStatusTable() renders the reference's columns with ✓ for governed", () => {
  const report = planStatus(fixture("claude-desktop.expected.json"), { isFile });
  assert.equal(
    formatStatusTable(report),
    [
      "Server            Governed    Agent ID      Session Intent         Enforcement    Notes",
      "─".repeat(87),
      "gdrive            ✓           gdrive        calendar_management    block",
      "slack             ✓           slack         —                      block",
      "notes-café        ✓           notes-café    —                      block",
      "clock             ✓           clock         —                      block",
      'linear            —           —             —                      —              remote server ("url"): not governed, thoth governs stdio servers',
      "old-experiment    —           —             —                      —              disabled",
      "",
      "4 governed, 0 ungoverned stdio, 0 drifted",
      "",
    ].join("\n"),
  );
});

Deno.test("formatStatusTable() marks ungoverned stdio servers with ✗", () => {
  const report = planStatus(
    '{"mcpServers": {"a": {"command": "/bin/a"}}, "projects": {"/p": {"mcpServers": {"b": {"command": "b"}}}}}',
    { isFile },
  );
  assert.equal(
    formatStatusTable(report),
    [
      "Server    Governed    Agent ID    Session Intent    Enforcement    Notes",
      "─".repeat(72),
      'a         ✗           —           —                 —              runs without thoth; run "thoth wrap-config"',
      'b (/p)    ✗           —           —                 —              runs without thoth; run "thoth wrap-config"',
      "",
      "0 governed, 2 ungoverned stdio, 0 drifted",
      "",
    ].join("\n"),
  );
});

Deno.test("formatStatusTable() says so when there are no servers", () => {
  assert.equal(formatStatusTable(planStatus("{}", { isFile })), "No MCP servers found.\n");
});
