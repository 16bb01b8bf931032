/**
 * Configs that used to end up ungoverned without a word, or reported as
 * governed when they were not: each test names the reviewer's finding.
 */
import assert from "node:assert/strict";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { planUnwrap } from "../../src/config/plan_unwrap.ts";
import { planStatus } from "../../src/config/plan_status.ts";
import { readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { AgentIds } from "../../src/config/agent_id_for.ts";
import { applyEdits } from "../../src/config/apply_edits.ts";
import { checkPlannedText } from "../../src/config/check_planned_text.ts";
import { upstreamEnvChanges } from "../../src/config/upstream_env.ts";
import { applyEdits as jsoncApplyEdits } from "jsonc-parser";
import { isAppError } from "../../src/errors.ts";
import { threadCpu } from "../_thread_cpu.ts";

const isFile = () => true;
const SERVERS = '{\n  "mcpServers": {\n    "fs": {"command": "npx", "args": ["-y", "pkg"]},\n' +
  '    "db": {"command": "node", "args": ["db.js"], "env": {"LOG": "1"}}\n  }\n}\n';

// Finding 1: a thoth binary not named exactly thoth.

for (
  const path of [
    "/opt/thoth/bin/thoth-linux-x86_64",
    "/Applications/thoth/thoth-macos-universal",
    "C:\\thoth\\thoth-windows-x86_64.exe",
    "/opt/acme/bin/governor",
  ]
) {
  Deno.test(`planWrap() wraps once with --thoth-path ${path}; status and unwrap recognise it`, () => {
    const options = { thothCommand: [path], tenantId: "acme" };
    const once = planWrap(SERVERS, options);
    assert.ok(once.servers.every((s) => s.action === "wrapped"));
    const twice = planWrap(once.text, options);
    assert.equal(twice.text, once.text, "a second wrap writes the same bytes");
    assert.ok(twice.servers.every((s) => s.action === "unchanged"));
    // Read by a thoth started under another name (status/unwrap from /usr/local/bin/thoth).
    const other = ["/usr/local/bin/thoth"];
    const status = planStatus(once.text, { isFile, thothCommand: other });
    assert.deepEqual(status.servers.map((s) => s.state), ["governed", "governed"]);
    assert.equal(planUnwrap(once.text, { thothCommand: other }).text, SERVERS);
    // A rewrap by that other thoth updates the path instead of wrapping again.
    const moved = planWrap(once.text, { thothCommand: other, tenantId: "acme" });
    assert.ok(moved.servers.every((s) => s.action === "updated"));
    assert.equal(planUnwrap(moved.text).text, SERVERS);
  });
}

Deno.test("readThothInvocation() recognises this thoth's own one-element command", () => {
  const args = ["run", "--agent-id", "a", "--enforcement-mode", "block", "--", "node"];
  assert.equal(readThothInvocation("/opt/x/gov", args, ["/opt/x/gov"])?.kind, "wrapped");
  assert.equal(readThothInvocation("/opt/x/gov", args, ["/opt/x/other"]), undefined);
  assert.equal(
    readThothInvocation("/opt/x/gov", args, [], { wrapRecord: "v1;thoth=/opt/x/gov" })?.kind,
    "wrapped",
  );
  for (const name of ["thoth-server", "thoth-mcp", "mythoth", "thoth-linux-x86_64.sh"]) {
    assert.equal(readThothInvocation(`/usr/bin/${name}`, args), undefined, name);
  }
});

// Finding 2: local commands classed remote or invalid.

const LOCAL_BUT_ODD: [string, string][] = [
  [
    '{"type": "stdio", "command": "npx", "args": ["-y", "pkg"], "url": "https://old.example/mcp"}',
    "",
  ],
  ['{"type": "STDIO", "command": "node"}', ""],
  ['{"command": "node", "args": ["server.js", "--port", 8080]}', '"args" item 3'],
  ['{"command": "node", "env": {"DEBUG": true}}', '"env" value of "DEBUG"'],
  ['{"command": "node", "env": null}', '"env" is null'],
  ['{"command": "node", "url": "https://x.example/mcp"}', '"command" and "url"'],
];

for (const [entry, unwrappable] of LOCAL_BUT_ODD) {
  Deno.test(`planStatus() and planWrap() count ${entry} as a local server`, () => {
    const text = `{"mcpServers": {"s": ${entry}}}`;
    const status = planStatus(text, { isFile });
    const plan = planWrap(text, { thothCommand: ["/opt/thoth/bin/thoth"], tenantId: "acme" });
    if (unwrappable === "") {
      assert.equal(status.summary.ungoverned, 1);
      assert.equal(plan.servers[0]?.action, "wrapped");
      const after = planStatus(plan.text, { isFile });
      assert.equal(after.servers[0]?.state, "governed");
      assert.equal(planUnwrap(plan.text).text, text);
    } else {
      assert.equal(status.servers[0]?.state, "ungoverned");
      assert.equal(status.servers[0]?.transport, "stdio");
      assert.equal(status.summary.ungoverned, 1);
      assert.ok(status.servers[0]?.note?.includes(unwrappable), status.servers[0]?.note ?? "");
      assert.equal(plan.text, text);
      assert.equal(plan.ungoverned?.length, 1);
      assert.ok(plan.ungoverned?.[0]?.reason.includes(unwrappable));
    }
  });
}

// Finding 3: user names that are Object.prototype names.

Deno.test("planUnwrap() restores an env key named constructor as it was", () => {
  const text = '{"mcpServers": {"a": {"command": "node", "env": {"constructor": "mine"}}}}';
  const wrapped = planWrap(text, {
    thothCommand: ["/opt/thoth/bin/thoth"],
    env: [["THOTH_USER_ID", "a@b.co"]],
  }).text;
  assert.equal(planUnwrap(wrapped).text, text);
  const replaced = planWrap(text, {
    thothCommand: ["/opt/thoth/bin/thoth"],
    env: [["constructor", "theirs"], ["__proto__", "x"]],
  }).text;
  assert.equal(planUnwrap(replaced).text, text);
});

Deno.test("planWrap() gives a server named toString no intent from Object.prototype", () => {
  for (const name of ["toString", "constructor", "hasOwnProperty", "__proto__"]) {
    const text = `{"mcpServers": {${JSON.stringify(name)}: {"command": "node"}}}`;
    const plan = planWrap(text, {
      thothCommand: ["/opt/thoth/bin/thoth"],
      intents: { other: "x" },
    });
    assert.doesNotMatch(plan.text, /--intent/, name);
    assert.equal(planUnwrap(plan.text).text, text, name);
  }
});

Deno.test("upstreamEnvChanges() restores a replaced key named __proto__", () => {
  const record = `v1;was.__proto__=${encodeURIComponent('"orig"')}`;
  const changes = upstreamEnvChanges({ THOTH_WRAP: record, ["__proto__"]: "new" });
  assert.ok(Object.hasOwn(changes.set, "__proto__"));
  assert.equal(Object.getOwnPropertyDescriptor(changes.set, "__proto__")?.value, "orig");
});

Deno.test("checkPlannedText() refuses planned text that is not a valid config", () => {
  checkPlannedText('{"a": 1}', "c.json", "wrap-config");
  assert.throws(
    () => checkPlannedText('{"a": function Object() { [native code] }}', "c.json", "unwrap-config"),
    (error) =>
      isAppError(error, "internal.bad_plan") && /nothing was written/.test(error.message) &&
      error.exitCode === 1,
  );
});

// Finding 4: a repeated --env key.

Deno.test("planWrap() refuses an --env key given twice", () => {
  const text = '{"mcpServers": {"a": {"command": "node", "env": {"A": "0"}}}}';
  assert.throws(
    () =>
      planWrap(text, {
        thothCommand: ["/opt/thoth/bin/thoth"],
        env: [["A", "1"], ["A", "2"]],
      }),
    (error) =>
      isAppError(error, "usage.repeated_env") && error.exitCode === 2 &&
      error.message === "--env A is given more than once",
  );
});

// Finding 5: an agent id another server already has.

Deno.test("planWrap() numbers a new server whose name a wrapped server has as its id", () => {
  const options = { thothCommand: ["/opt/thoth/bin/thoth"], tenantId: "acme" };
  const first = planWrap(
    '{"mcpServers": {"notes café": {"command": "node", "args": ["a.js"]}}}',
    options,
  ).text;
  assert.match(first, /"--agent-id", "notes-cafe"/);
  const added = first.replace(
    '"mcpServers": {',
    '"mcpServers": {"notes-cafe": {"command": "node", "args": ["b.js"]}, ',
  );
  const second = planWrap(added, options).text;
  assert.match(second, /"--agent-id", "notes-cafe-2", .*"b\.js"/);
  assert.match(second, /"--agent-id", "notes-cafe", .*"a\.js"/);
  // A new valid name still beats a new derived one.
  const fresh = planWrap(
    '{"mcpServers": {"notes café": {"command": "a"}, "notes-cafe": {"command": "b"}}}',
    options,
  ).text;
  assert.match(fresh, /"--agent-id", "notes-cafe-2", .*"a"\]/);
  assert.match(fresh, /"--agent-id", "notes-cafe", .*"b"\]/);
});

Deno.test("AgentIds hands out ids no other server has", () => {
  const ids = new AgentIds();
  ids.keep("notes café", "notes-cafe");
  assert.equal(ids.for("notes-cafe"), "notes-cafe-2");
  assert.equal(ids.for("notes-cafe"), "notes-cafe-2", "one id per name");
  assert.equal(ids.for("notes café"), "notes-cafe");
});

Deno.test("planStatus() warns about two servers with one agent id", () => {
  const run = (id: string, file: string) =>
    `{"command": "/opt/thoth/bin/thoth", "args": ["run", "--agent-id", "${id}", ` +
    `"--enforcement-mode", "block", "--", "node", "${file}"]}`;
  const text = `{"mcpServers": {"a": ${run("x", "a.js")}, "b": ${run("x", "b.js")}, ` +
    `"c": ${run("c", "c.js")}}}`;
  const report = planStatus(text, { isFile });
  assert.match(report.servers[0]!.drift.join("\n"), /agent id "x" is also the agent id of "b"/);
  assert.match(report.servers[1]!.drift.join("\n"), /agent id "x" is also the agent id of "a"/);
  assert.deepEqual(report.servers[2]!.drift, []);
});

// Finding 6: --env variables that are not THOTH_*.

Deno.test("planWrap() warns that an --env variable that is not THOTH_* reaches thoth only", () => {
  const plan = planWrap(SERVERS, {
    thothCommand: ["/opt/thoth/bin/thoth"],
    env: [["THOTH_USER_ID", "a@b.co"], ["HTTPS_PROXY", "http://proxy:3128"]],
  });
  assert.equal(plan.warnings.filter((w) => w.includes("reaches thoth only")).length, 1);
  assert.match(plan.warnings.join("\n"), /--env HTTPS_PROXY reaches thoth only, not the server/);
});

// Finding 7: flags thoth run refuses where they stand.

for (
  const [flags, words] of [
    [["--policy"], "--policy is given no value"],
    [["--api-key"], "--api-key is given no value"],
    [["--intent"], "--intent is given no value"],
    [["-h"], "-h makes thoth run print its help"],
  ] as const
) {
  Deno.test(`planStatus() reports ${flags.join(" ")} before "--" as a refusal`, () => {
    const args = [
      "run",
      "--agent-id",
      "e",
      "--tenant-id",
      "acme",
      "--enforcement-mode",
      "block",
      ...flags,
      "--",
      "node",
      "x",
    ];
    const text = JSON.stringify({
      mcpServers: { e: { command: "/opt/thoth/bin/thoth", args } },
    });
    const row = planStatus(text, { isFile }).servers[0]!;
    assert.ok(row.refusals.some((r) => r.includes(words)), row.refusals.join("\n"));
    assert.ok(!row.drift.some((d) => d.startsWith("older flag set")), row.drift.join("\n"));
    const plan = planWrap(text, { thothCommand: ["/opt/thoth/bin/thoth"] });
    assert.equal(plan.servers[0]?.action, "skipped");
  });
}

Deno.test('planStatus() calls a lone "-" before "--" not understood, not an unknown option', () => {
  const text = JSON.stringify({
    mcpServers: {
      e: { command: "/opt/thoth/bin/thoth", args: ["run", "--agent-id", "e", "-", "--", "node"] },
    },
  });
  const row = planStatus(text, { isFile }).servers[0]!;
  assert.equal(row.state, "not_understood");
  assert.match(row.note ?? "", /"-" before "--" is not a flag/);
});

// Finding 9: one pass over the text.

Deno.test("applyEdits() gives what jsonc-parser's applyEdits gives", () => {
  const text = '{"a": [1, 2], "b": {"c": 3}}';
  const edits = [
    { offset: 7, length: 0, content: "0, " },
    { offset: 7, length: 0, content: "9, " },
    { offset: 7, length: 1, content: "1.5" },
    { offset: 26, length: 1, content: "4" },
    { offset: 0, length: 0, content: "// x\n" },
  ];
  assert.equal(applyEdits(text, edits), jsoncApplyEdits(text, edits));
  assert.throws(() =>
    applyEdits(text, [{ offset: 1, length: 4, content: "" }, { offset: 2, length: 1, content: "" }])
  );
});

Deno.test("planWrap() time grows about linearly with the servers in a config", () => {
  const config = (n: number) =>
    JSON.stringify(
      {
        mcpServers: Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`s${i}`, { command: "node", args: [`${i}.js`] }]),
        ),
      },
      null,
      2,
    );
  // The CPU this thread spends on each, not the wall clock (which other tests on a busy
  // machine stretch unevenly between the two).
  const time = (text: string) =>
    threadCpu(() =>
      planWrap(text, {
        thothCommand: ["/opt/thoth/bin/thoth"],
        env: [["THOTH_USER_ID", "a@b.co"]],
      })
    ).cpuMs;
  time(config(200));
  const small = Math.max(time(config(500)), 5);
  const large = time(config(4000));
  // 8x the servers: linear is ~8x; the old per-edit re-parse was ~64x.
  assert.ok(large < small * 30, `500 servers ${small.toFixed(0)} ms, 4000 ${large.toFixed(0)} ms`);
});
