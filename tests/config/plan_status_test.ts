import assert from "node:assert/strict";
import { planStatus, planStatusWithRefusals } from "../../src/config/plan_status.ts";
import { describeRefusal } from "../../src/config/run_refusal.ts";
import { formatStatusTable } from "../../src/config/format_status_table.ts";
import { fixture, GOLDEN, THOTH } from "./_golden.ts";

const isFile = (path: string) => path === THOTH;

// [governed, ungoverned, notApplicable, drifted] for each golden's input and expected file;
// a disabled server counts as an enabled one (Claude Code ignores "disabled").
const counts: Record<(typeof GOLDEN)[number], [number[], number[]]> = {
  "claude-desktop": [[0, 5, 1, 0], [5, 0, 1, 0]],
  "cursor": [[2, 2, 0, 1], [4, 0, 0, 0]],
  "vscode": [[0, 2, 2, 0], [2, 0, 2, 0]],
  "windsurf": [[0, 3, 1, 0], [3, 0, 1, 0]],
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
    "thoth run will refuse to start: THOTH_USER_ID is not set, and governed runs for tenant " +
    '"old-org" need it (its "env" does not set THOTH_USER_ID, so only the client\'s own ' +
    "environment could, and a GUI client does not get your shell's); set it with " +
    '"thoth wrap-config --env THOTH_USER_ID=you@company.com", which writes it into the ' +
    'server\'s "env"',
  ]);
  // A thoth that is not there starts no server: more than drift.
  const moved = planStatus(fixture("cursor.expected.json"), { isFile: () => false });
  const missing = `the client cannot start it: thoth path "${THOTH}" is not a file on this ` +
    'machine; install thoth there, or run "thoth wrap-config" to write this thoth\'s path';
  assert.ok(moved.servers.every((s) => s.drift[0] === missing && s.cannotStart[0] === missing));
  assert.equal(moved.summary.cannotStart, moved.servers.length);
  const project = planStatus(fixture("claude-code-project.input.json"), { isFile: () => false });
  const db = project.servers.find((s) => s.name === "db")!;
  assert.ok(db.cannotStart.some((d) => d.includes('path "/usr/local/bin/deno" is not a file')));
  assert.ok(
    db.cannotStart.some((d) => d.includes('script "/old/thoth/src/cli/thoth.ts" is not a file')),
  );
  assert.ok(db.drift.some((d) => d.startsWith("API key in args")));
});

Deno.test("formatStatusTable() renders the reference's columns with ✓ for governed", () => {
  const report = planStatus(fixture("claude-desktop.expected.json"), { isFile });
  assert.equal(
    formatStatusTable(report),
    [
      "Server            Governed    Agent ID          Session Intent         Enforcement    Notes",
      "─".repeat(91),
      "gdrive            ✓           gdrive            calendar_management    block",
      "slack             ✓           slack             —                      block",
      "notes-café        ✓           notes-cafe        —                      block",
      "clock             ✓           clock             —                      block",
      'linear            —           —                 —                      —              remote server ("url"): not governed, thoth governs stdio servers',
      "old-experiment    ✓           old-experiment    —                      block          disabled",
      "",
      "5 governed, 0 ungoverned stdio, 0 drifted",
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

/** Servers whose command names thoth, in every shape status must tell apart. */
const THOTH_SHAPES = JSON.stringify({
  mcpServers: {
    ok: {
      command: THOTH,
      args: ["run", "--agent-id", "ok", "--enforcement-mode", "block", "--", "/bin/ok"],
    },
    serve: { command: THOTH, args: ["serve", "--port", "8080"] },
    bare: { command: "thoth" },
    empty: { command: THOTH, args: ["run", "--agent-id", "empty", "--", ""] },
    stray: { command: THOTH, args: ["run", "--agent-id", "stray", "node", "--", "/bin/s"] },
    nodash: { command: THOTH, args: ["run", "--agent-id", "nodash", "/bin/n"] },
    off: { command: THOTH, args: ["help"], disabled: true },
    plain: { command: "/bin/plain" },
    derived: {
      command: THOTH,
      args: ["run", "--", "npx", "-y", "@modelcontextprotocol/server-memory"],
    },
  },
});

Deno.test("planStatus() counts only a thoth run [flags] -- <command> entry as governed", () => {
  const report = planStatus(THOTH_SHAPES, { isFile });
  const rows = report.servers.map((s) => [s.name, s.state, s.governed, s.note]);
  assert.deepEqual(rows, [
    ["ok", "governed", true, null],
    [
      "serve",
      "not_understood",
      false,
      'thoth entry not understood: its arguments start with "serve", not "run"',
    ],
    [
      "bare",
      "not_understood",
      false,
      'thoth entry not understood: it has no arguments; expected "run [flags] -- <command>"',
    ],
    [
      "empty",
      "not_understood",
      false,
      'thoth entry not understood: the upstream command after "--" is empty',
    ],
    [
      "stray",
      "not_understood",
      false,
      'thoth entry not understood: "node" before "--" is not a flag',
    ],
    [
      "nodash",
      "not_understood",
      false,
      'thoth entry not understood: no "--" before the upstream command',
    ],
    [
      "off",
      "not_understood",
      false,
      'disabled; thoth entry not understood: its arguments start with "help", not "run"',
    ],
    ["plain", "ungoverned", false, 'runs without thoth; run "thoth wrap-config"'],
    ["derived", "governed", true, null],
  ]);
  assert.equal(report.servers[8]!.agentId, "server-memory", "the id thoth run derives");
  const serve = report.servers[1]!;
  assert.deepEqual(
    [serve.agentId, serve.upstreamCommand, serve.command, serve.drift],
    [null, null, THOTH, []],
    "nothing is read out of an entry that is not understood",
  );
  assert.deepEqual(report.summary, {
    servers: 9,
    governed: 2,
    ungoverned: 1,
    notUnderstood: 6,
    notApplicable: 0, // "off" is disabled, but names thoth: not understood
    drifted: 1, // "derived" has no --enforcement-mode: wrap-config writes one
    refused: 0,
    cannotStart: 0,
  });
});

Deno.test("formatStatusTable() marks a thoth entry it does not understand with ? and says why", () => {
  const text = JSON.stringify({
    mcpServers: {
      ok: {
        command: THOTH,
        args: ["run", "--agent-id", "ok", "--enforcement-mode", "block", "--", "/bin/ok"],
      },
      serve: { command: "thoth", args: ["serve"] },
      plain: { command: "/bin/plain" },
    },
  });
  assert.equal(
    formatStatusTable(planStatus(text, { isFile })),
    [
      "Server    Governed    Agent ID    Session Intent    Enforcement    Notes",
      "─".repeat(72),
      "ok        ✓           ok          —                 block",
      'serve     ?           —           —                 —              thoth entry not understood: its arguments start with "serve", not "run"',
      'plain     ✗           —           —                 —              runs without thoth; run "thoth wrap-config"',
      "",
      "1 governed, 1 ungoverned stdio, 1 not understood, 0 drifted",
      "",
    ].join("\n"),
  );
});

Deno.test("planStatus() shows a numeric flag value thoth run would refuse as drift", () => {
  const text = JSON.stringify({
    mcpServers: {
      a: {
        command: THOTH,
        args: [
          "run",
          "--agent-id",
          "a",
          "--enforcement-mode",
          "block",
          "--shutdown-grace-ms",
          "0x10",
          "--approval-timeout=60",
          "--max-line-bytes",
          " 64MiB",
          "--",
          "/bin/a",
        ],
      },
    },
  });
  const [a] = planStatus(text, { isFile }).servers;
  assert.equal(a?.state, "governed");
  assert.deepEqual(a?.drift, [
    'thoth run will refuse to start: --shutdown-grace-ms: "0x10" is not a plain decimal number; expected whole milliseconds from 0 to 600000; fix it by hand (write digits only, with no sign, spaces, "_", "." or exponent, for example "2000" (the default))',
    'thoth run will refuse to start: --max-line-bytes: " 64MiB" is not a size; expected plain decimal digits, optionally followed by a unit such as KiB, MiB or GiB; fix it by hand (give bytes or a size with a unit, for example "67108864" or "64MiB")',
  ]);
  assert.deepEqual(a?.refusals, a?.drift);
});

Deno.test("planStatusWithRefusals() hands back the refusals behind each governed row's text", () => {
  const wrapped = (agentId: string) => ({
    command: THOTH,
    args: ["run", "--agent-id", agentId, "--tenant-id", "acme", "--enforcement-mode", "block"]
      .concat(["--", "npx", "srv"]),
    env: { THOTH_APEX_DOMAIN: "not a domain" },
  });
  const text = JSON.stringify({
    mcpServers: { fs: wrapped("fs"), plain: { command: "npx" } },
    projects: { "/home/ana/app": { mcpServers: { git: wrapped("git") } } },
  });
  const options = { isFile, client: "claude-code" as const };
  const { report, governed } = planStatusWithRefusals(text, options);
  // The report is planStatus's, --json fields and all.
  assert.equal(JSON.stringify(report), JSON.stringify(planStatus(text, options)));
  assert.deepEqual(
    governed.map(({ row }) => [row.name, row.project, report.servers.includes(row)]),
    [["fs", null, true], ["git", "/home/ana/app", true]],
  );
  for (const { row, entry, refusals } of governed) {
    assert.deepEqual(refusals.map((refusal) => [refusal.subject, refusal.clientEnv]), [
      ["THOTH_APEX_DOMAIN", undefined],
      ["THOTH_USER_ID", true],
    ]);
    // The row's text is the same refusals, its fixes naming this config's wrap-config.
    assert.deepEqual(
      row.refusals,
      refusals.map((refusal) =>
        describeRefusal(refusal).replaceAll(
          '"thoth wrap-config',
          '"thoth wrap-config --client claude-code',
        )
      ),
    );
    assert.equal(entry.env["THOTH_APEX_DOMAIN"], "not a domain");
  }
});

Deno.test("planStatus() names its label when VS Code's servers are ambiguous", () => {
  const text = JSON.stringify({ mcp: { servers: {} }, "mcp.servers": {} });
  assert.throws(
    () => planStatus(text, { isFile, client: "vscode", label: "/ws/settings.json" }),
    /cannot tell which MCP servers VS Code runs from \/ws\/settings\.json/,
  );
});
