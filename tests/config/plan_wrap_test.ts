import assert from "node:assert/strict";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { isAppError } from "../../src/errors.ts";
import { fixture, GOLDEN, GOLDEN_OPTIONS, THOTH } from "./_golden.ts";

const what: Record<(typeof GOLDEN)[number], string> = {
  "claude-desktop": "keeps comments in claude-desktop config",
  "cursor": "keeps tabs and trailing commas in cursor config and updates an older flag set",
  "vscode": "keeps inputs and ${input:…} in vscode config",
  "windsurf": "keeps CRLF line endings in windsurf config",
  "claude-code-user": "wraps user and project servers in claude-code ~/.claude.json",
  "claude-code-project": "keeps odd indentation in claude-code .mcp.json",
};

for (const name of GOLDEN) {
  Deno.test(`planWrap() ${what[name]}`, () => {
    const plan = planWrap(fixture(`${name}.input.json`), GOLDEN_OPTIONS);
    assert.equal(plan.text, fixture(`${name}.expected.json`));
    assert.equal(plan.changed, true);
  });

  Deno.test(`planWrap() is idempotent on ${name} config`, () => {
    const once = planWrap(fixture(`${name}.input.json`), GOLDEN_OPTIONS).text;
    const twice = planWrap(once, GOLDEN_OPTIONS);
    assert.equal(twice.text, once);
    assert.equal(twice.changed, false);
    assert.ok(twice.servers.every((s) => s.action === "unchanged" || s.action === "skipped"));
  });
}

Deno.test("planWrap() reports each server's action and reason", () => {
  const plan = planWrap(fixture("cursor.input.json"), GOLDEN_OPTIONS);
  const byName = Object.fromEntries(plan.servers.map((s) => [s.name, s]));
  assert.equal(byName["filesystem"]?.action, "wrapped");
  assert.equal(byName["memory"]?.action, "unchanged");
  assert.deepEqual(byName["memory"]?.reasons, ["already governed"]);
  assert.equal(byName["jira"]?.action, "updated");
  assert.deepEqual(byName["jira"]?.reasons, [
    `thoth path "thoth" → "${THOTH}"`,
    'tenant "old-org" → "acme"',
    'enforcement mode none → "block"',
    "older flag set: dropped --enforcer-url",
    "env THOTH_USER_ID added",
  ]);
});

Deno.test("planWrap() lists remote servers as not governed, and wraps disabled ones", () => {
  const plan = planWrap(fixture("claude-desktop.input.json"), GOLDEN_OPTIONS);
  const linear = plan.servers.find((s) => s.name === "linear");
  const old = plan.servers.find((s) => s.name === "old-experiment");
  assert.equal(linear?.action, "skipped");
  assert.match(linear?.reasons[0] ?? "", /remote server \("url"\): not governed/);
  // Claude Code ignores "disabled"; other clients turn it off with one toggle.
  assert.equal(old?.action, "wrapped");
  assert.match(old?.reasons.at(-1) ?? "", /^disabled: wrapped all the same, .*stays disabled$/);
  const vscode = planWrap(fixture("vscode.input.json"), GOLDEN_OPTIONS);
  assert.match(
    vscode.servers.find((s) => s.name === "events")?.reasons[0] ?? "",
    /type "sse"/,
  );
});

Deno.test("planWrap() updates a wrapped server only for a changed selected value", () => {
  const wrapped = planWrap(fixture("claude-desktop.input.json"), GOLDEN_OPTIONS).text;
  const plan = planWrap(wrapped, { ...GOLDEN_OPTIONS, enforcementMode: "observe" });
  const updated = plan.servers.filter((s) => s.action === "updated");
  assert.deepEqual(updated.map((s) => s.name), [
    "gdrive",
    "slack",
    "notes-café",
    "clock",
    "old-experiment",
  ]);
  assert.deepEqual(updated[0]?.reasons, ['enforcement mode "block" → "observe"']);
  assert.match(plan.text, /"--enforcement-mode", "observe"/);
  assert.doesNotMatch(plan.text, /"block"/);
  const back = planWrap(plan.text, { ...GOLDEN_OPTIONS, enforcementMode: "block" });
  assert.equal(back.text, wrapped);
});

Deno.test("planWrap() keeps a wrapped server's mode when no mode is selected", () => {
  const observed = planWrap(fixture("claude-desktop.input.json"), {
    ...GOLDEN_OPTIONS,
    enforcementMode: "observe",
  }).text;
  const plan = planWrap(observed, GOLDEN_OPTIONS);
  assert.equal(plan.changed, false);
});

Deno.test("planWrap() changes the thoth path, tenant, intent and env when selected", () => {
  const wrapped = planWrap(fixture("claude-desktop.input.json"), GOLDEN_OPTIONS).text;
  const plan = planWrap(wrapped, {
    ...GOLDEN_OPTIONS,
    thothCommand: ["/usr/local/bin/thoth"],
    tenantId: "globex",
    intents: { gdrive: "drive_readonly" },
    env: [["THOTH_USER_ID", "bo@example.com"], ["THOTH_APEX_DOMAIN", "example.org"]],
  });
  const gdrive = plan.servers.find((s) => s.name === "gdrive");
  assert.deepEqual(gdrive?.reasons, [
    `thoth path "${THOTH}" → "/usr/local/bin/thoth"`,
    'tenant "acme" → "globex"',
    'intent "calendar_management" → "drive_readonly"',
    "env THOTH_USER_ID changed",
    "env THOTH_APEX_DOMAIN added",
  ]);
  assert.doesNotMatch(plan.text, /opt\/thoth/);
  assert.match(plan.text, /"THOTH_WRAP": "v1;added=THOTH_USER_ID,THOTH_APEX_DOMAIN;created=env"/);
  assert.doesNotMatch(plan.text, /bo@example\.com.*\n.*was\./);
});

Deno.test("planWrap() writes the from-source launch prefix before run", () => {
  const self = [
    "/usr/bin/deno",
    "run",
    "-P=thoth",
    "--quiet",
    "--config=/x/deno.json",
    "/x/src/cli/thoth.ts",
  ];
  const plan = planWrap('{"mcpServers": {"a": {"command": "/bin/a", "args": ["x"]}}}', {
    thothCommand: self,
  });
  assert.equal(
    plan.text,
    '{"mcpServers": {"a": {"command": "/usr/bin/deno", "args": ["run", "-P=thoth", "--quiet", ' +
      '"--config=/x/deno.json", "/x/src/cli/thoth.ts", "run", "--agent-id", "a", ' +
      '"--enforcement-mode", "block", "--", "/bin/a", "x"]}}}',
  );
  assert.equal(planWrap(plan.text, { thothCommand: self }).changed, false);
});

Deno.test("planWrap() never writes --api-key into args and removes an old one", () => {
  const plan = planWrap(fixture("claude-code-project.input.json"), GOLDEN_OPTIONS);
  assert.doesNotMatch(plan.text, /--api-key|aten_thoth/);
  const db = plan.servers.find((s) => s.name === "db");
  assert.ok(db?.reasons.some((r) => r.includes("thoth set-api-key")));
});

Deno.test("planWrap() rejects malformed JSON with file:line:column", () => {
  assert.throws(
    () =>
      planWrap('{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}\n', {
        ...GOLDEN_OPTIONS,
        label: "/tmp/c.json",
      }),
    (error) =>
      isAppError(error, "config.invalid") &&
      /^invalid JSON in config \/tmp\/c\.json:4:5: expected ","$/.test(error.message),
  );
  assert.throws(
    () => planWrap("[]", GOLDEN_OPTIONS),
    (error) => isAppError(error, "config.invalid") && /not a JSON object/.test(error.message),
  );
});

Deno.test("wrap, unwrap and status refuse a config with a key twice in one object", async () => {
  const { planStatus } = await import("../../src/config/plan_status.ts");
  const { planUnwrap } = await import("../../src/config/plan_unwrap.ts");
  // A client taking the last key would run evil-server while thoth would read npx.
  const configs = [
    '{\n  "mcpServers": {\n    "fs": { "command": "npx", "command": "/usr/bin/evil-server" }\n  }\n}\n',
    '{ "mcpServers": { "mem": { "command": "x", "disabled": true, "disabled": false } } }',
    '{ "mcpServers": {}, "mcpServers": { "fs": { "command": "npx" } } }',
  ];
  for (const text of configs) {
    const refused = (error: unknown) =>
      isAppError(error, "config.invalid") &&
      /has the key ".+" twice in one object/.test(error.message);
    assert.throws(() => planWrap(text, { ...GOLDEN_OPTIONS, label: "c.json" }), refused, text);
    assert.throws(() => planUnwrap(text), refused, text);
    assert.throws(() => planStatus(text, { isFile: () => true }), refused, text);
  }
  assert.throws(
    () => planWrap(configs[0]!, { ...GOLDEN_OPTIONS, label: "/tmp/c.json" }),
    (error) =>
      isAppError(error, "config.invalid") &&
      error.message === 'config /tmp/c.json:3:31 has the key "command" twice in one object',
  );
});

Deno.test("planWrap() refuses a thoth path that is not absolute", () => {
  assert.throws(
    () => planWrap("{}", { thothCommand: ["thoth"] }),
    (error) => isAppError(error, "config.bad_thoth_path"),
  );
});

Deno.test("planWrap() warns when an upstream command is not on the minimal PATH", () => {
  const files = new Set(["/opt/homebrew/bin/npx", "/usr/bin/mcp-clock"]);
  const plan = planWrap(fixture("claude-desktop.input.json"), {
    ...GOLDEN_OPTIONS,
    pathCheck: {
      os: "darwin",
      isFile: (p) => files.has(p),
      userPath: "/opt/homebrew/bin:/usr/bin",
    },
  });
  const gdrive = plan.servers.find((s) => s.name === "gdrive");
  assert.equal(gdrive?.warnings.length, 1);
  assert.match(
    gdrive?.warnings[0] ?? "",
    /"npx" is not on the minimal PATH .*\/usr\/bin:\/bin:\/usr\/sbin:\/sbin/,
  );
  assert.match(gdrive?.warnings[0] ?? "", /found at "\/opt\/homebrew\/bin\/npx"/);
  assert.deepEqual(plan.servers.find((s) => s.name === "clock")?.warnings, []);
  assert.match(plan.servers.find((s) => s.name === "slack")?.warnings[0] ?? "", /does not exist/);
});

Deno.test("planWrap() warns about secrets in --env and unknown intent map names", () => {
  const plan = planWrap(fixture("claude-desktop.input.json"), {
    ...GOLDEN_OPTIONS,
    env: [["GITHUB_TOKEN", "k"]],
    intents: { nosuch: "x" },
  });
  assert.ok(
    plan.warnings.some((w) => w.includes("--env GITHUB_TOKEN") && w.includes("plain text")),
  );
  assert.ok(plan.warnings.some((w) => w.includes('"nosuch"')));
  // A key pasted into the intent map as a server name is not repeated in clear.
  const key = "ghp_R8x2Kq7LmN4pZ9tW3vY6bC1dF5hJ0sA2eG7k";
  const keyed = planWrap(fixture("claude-desktop.input.json"), {
    ...GOLDEN_OPTIONS,
    intents: { [key]: "x" },
  });
  const named = keyed.warnings.filter((w) => w.startsWith("the intent map names"));
  assert.equal(named.length, 1, keyed.warnings.join("\n"));
  assert.ok(!named[0]?.includes(key), named[0]);
  assert.match(named[0] ?? "", /value hidden: it looks like a key or token/);
  // A variable naming the file that holds a token holds a path: the README's own advice.
  const file = planWrap(fixture("claude-desktop.input.json"), {
    ...GOLDEN_OPTIONS,
    env: [["THOTH_AUTH_TOKEN_FILE", "/etc/thoth/token"]],
  });
  assert.ok(!file.warnings.some((w) => w.includes("plain text")), file.warnings.join("\n"));
});

Deno.test("planWrap() warns about a mapped intent the policy of that server's thoth run does not define", () => {
  const intentWarnings = (plan: ReturnType<typeof planWrap>, name: string) =>
    plan.servers.find((s) => s.name === name)?.warnings.filter((w) => w.includes("intent")) ?? [];
  const places: unknown[] = [];
  const run = {
    flagNames: ["--agent-id", "--tenant-id", "--enforcement-mode", "--intent", "--policy"],
    readFlag: () => {},
    repeatedFlag: () => undefined,
    policyIntents: (place: unknown) => {
      places.push(place);
      return { read: true as const, names: ["calendar_management"], source: "the default policy" };
    },
  };
  const plan = planWrap(fixture("claude-desktop.input.json"), {
    ...GOLDEN_OPTIONS,
    intents: { gdrive: "calendar_management", slack: "team_chat" },
    run,
  });
  assert.deepEqual(intentWarnings(plan, "gdrive"), []);
  assert.equal(intentWarnings(plan, "slack").length, 1);
  assert.match(
    intentWarnings(plan, "slack")[0]!,
    /^thoth run will refuse to start it: intent "team_chat" is not in the policy \(the default policy, which defines: calendar_management\); map the server/,
  );
  assert.ok(places.length > 0, "each entry's own place was asked");
  // Without the readers nothing is claimed either way.
  const unchecked = planWrap(fixture("claude-desktop.input.json"), {
    ...GOLDEN_OPTIONS,
    intents: { slack: "team_chat" },
  });
  assert.deepEqual(intentWarnings(unchecked, "slack"), []);
});

Deno.test("planWrap() warns when the file has no MCP servers", () => {
  const plan = planWrap('{"theme": "dark"}', GOLDEN_OPTIONS);
  assert.equal(plan.changed, false);
  assert.match(plan.warnings[0] ?? "", /no MCP servers found/);
});

Deno.test("planWrap() skips a thoth entry without an upstream command", () => {
  const text = `{"mcpServers": {"a": {"command": "${THOTH}", "args": ["run", "--agent-id", "a"]}}}`;
  const plan = planWrap(text, GOLDEN_OPTIONS);
  assert.equal(plan.text, text);
  assert.equal(plan.servers[0]?.action, "skipped");
  assert.deepEqual(plan.servers[0]?.reasons, [
    'thoth entry not understood: no "--" before the upstream command; fix it by hand',
  ]);
});

Deno.test("planWrap() leaves a thoth entry it does not understand alone and says why", () => {
  const text = JSON.stringify({
    mcpServers: {
      serve: { command: "/usr/local/bin/thoth", args: ["serve", "--port", "1"] },
      empty: { command: THOTH, args: ["run", "--agent-id", "empty", "--", ""] },
      stray: { command: THOTH, args: ["run", "--agent-id", "stray", "x", "--", "/bin/s"] },
    },
  });
  const plan = planWrap(text, GOLDEN_OPTIONS);
  assert.equal(plan.text, text, "never wrapped in a second thoth, never rewritten");
  assert.deepEqual(plan.servers.map((s) => [s.name, s.action, s.reasons]), [
    ["serve", "skipped", [
      'thoth entry not understood: its arguments start with "serve", not "run"; fix it by hand',
    ]],
    ["empty", "skipped", [
      'thoth entry not understood: the upstream command after "--" is empty; fix it by hand',
    ]],
    ["stray", "skipped", [
      'thoth entry not understood: "x" before "--" is not a flag; fix it by hand',
    ]],
  ]);
});

Deno.test("planWrap() does not keep a numeric flag value thoth run would refuse", () => {
  const text = `{"mcpServers": {"a": {"command": "${THOTH}", "args": ["run", "--agent-id", "a", ` +
    `"--enforcement-mode", "block", "--approval-timeout", "+30", "--", "/bin/a"]}}}`;
  const plan = planWrap(text, GOLDEN_OPTIONS);
  assert.equal(plan.text, text);
  assert.equal(plan.servers[0]?.action, "skipped");
  assert.deepEqual(plan.servers[0]?.reasons, [
    'thoth run will refuse to start: --approval-timeout: "+30" is not a plain decimal number; ' +
    "expected whole seconds from 1 to 3600; fix it by hand",
  ]);
});

Deno.test("planWrap() only looks where the chosen client keeps servers", () => {
  const text = fixture("claude-code-user.input.json");
  const desktop = planWrap(text, { ...GOLDEN_OPTIONS, client: "claude-desktop" });
  assert.deepEqual(desktop.servers.map((s) => s.name), ["memory", "sentry"]);
  const code = planWrap(text, { ...GOLDEN_OPTIONS, client: "claude-code" });
  assert.deepEqual(code.servers.map((s) => [s.name, s.project]), [
    ["memory", undefined],
    ["sentry", undefined],
    ["postgres", "/home/ana/app"],
  ]);
  assert.equal(planWrap(text, { ...GOLDEN_OPTIONS, client: "vscode" }).servers.length, 0);
});

Deno.test("planWrap() skips entries it cannot rewrite safely", () => {
  const text = '{"mcpServers": {"a": {"command": "/bin/a", "args": "x"}, "b": {"type": "ws2"},' +
    ' "c": {"command": "/bin/c", "env": {"N": 1}}, "d": 3}}';
  const plan = planWrap(text, GOLDEN_OPTIONS);
  assert.equal(plan.text, text);
  assert.deepEqual(plan.servers.map((s) => s.reasons[0]), [
    'runs without thoth: "args" is "x", not a list; make "args" a list of strings, or remove ' +
    "it, then wrap again",
    'unknown "type" "ws2"; not governed',
    'runs without thoth: "env" value of "N" is not a string (1); write it as a string ("1"), ' +
    "then wrap again",
    "the entry is not an object; not governed",
  ]);
  assert.deepEqual(plan.ungoverned?.map((s) => s.name), ["a", "c"]);
});

Deno.test("planWrap() keeps the run flags it does not select", () => {
  const text = `{"mcpServers": {"a": {"command": "${THOTH}", "args": ["run", "--agent-id", "a", ` +
    `"--policy", "/p.jsonc", "--shutdown-grace-ms", "500", "--enforcement-mode", "block", ` +
    `"--audit-sync", "always", "--approval-timeout", "300", "--", "/bin/a"]}}}`;
  const plan = planWrap(text, { thothCommand: [THOTH], tenantId: "t" });
  assert.match(
    plan.text,
    /"--tenant-id", "t", "--enforcement-mode", "block", "--policy", "\/p\.jsonc", "--shutdown-grace-ms", "500", "--audit-sync", "always", "--approval-timeout", "300", "--"/,
  );
  assert.ok(!plan.warnings.some((w) => /dropped/.test(w)), plan.warnings.join("\n"));
});

Deno.test("planWrap() gives servers whose names thoth run does not take ids no other server has", () => {
  const text = JSON.stringify({
    mcpServers: Object.fromEntries(
      ["日本語", "中文", "notes café", "notes-café", "notes-cafe"].map((name) => [
        name,
        { command: "/usr/bin/mcp" },
      ]),
    ),
  });
  const plan = planWrap(text, GOLDEN_OPTIONS);
  const ids = Object.values(
    JSON.parse(plan.text).mcpServers as Record<string, { args: string[] }>,
  ).map((entry) => entry.args[entry.args.indexOf("--agent-id") + 1]);
  assert.deepEqual(ids, ["server", "server-2", "notes-cafe-2", "notes-cafe-3", "notes-cafe"]);
  // Wrapped again, every server keeps its id.
  assert.equal(planWrap(plan.text, GOLDEN_OPTIONS).changed, false);
});

Deno.test("planWrap() gives a name thoth run does not take one id in every Claude Code scope", () => {
  const server = { command: "/usr/bin/mcp" };
  const text = JSON.stringify({
    mcpServers: { "notes café": server },
    projects: {
      "/p1": { mcpServers: { "notes café": server, "notes-café": server } },
      "/p2": { mcpServers: { "notes café": server } },
    },
  });
  const plan = planWrap(text, { ...GOLDEN_OPTIONS, client: "claude-code" });
  const wrapped = JSON.parse(plan.text);
  const id = (entry: { args: string[] }) => entry.args[entry.args.indexOf("--agent-id") + 1];
  assert.deepEqual(
    [
      id(wrapped.mcpServers["notes café"]),
      id(wrapped.projects["/p1"].mcpServers["notes café"]),
      id(wrapped.projects["/p2"].mcpServers["notes café"]),
      id(wrapped.projects["/p1"].mcpServers["notes-café"]),
    ],
    ["notes-cafe", "notes-cafe", "notes-cafe", "notes-cafe-2"],
  );
  assert.equal(planWrap(plan.text, { ...GOLDEN_OPTIONS, client: "claude-code" }).changed, false);
});
