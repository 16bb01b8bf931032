/**
 * Recognition of a wrapped entry by its THOTH_WRAP record: only a record that
 * names the entry's own command proves a thoth wrote it; an entry wrapped
 * from source is read by any other thoth; an entry thoth cannot tell is thoth
 * is neither governed nor rewritten. Each test names the reviewer's finding.
 */
import assert from "node:assert/strict";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { planUnwrap } from "../../src/config/plan_unwrap.ts";
import { planStatus } from "../../src/config/plan_status.ts";
import { formatPlanReport } from "../../src/config/format_plan_report.ts";
import { readThothInvocation } from "../../src/config/thoth_invocation.ts";
import { formatWrapRecord, parseWrapRecord } from "../../src/config/wrap_record.ts";
import { selfCommandFor } from "../../src/cli/cli_io.ts";
import { upstreamEnvChanges } from "../../src/config/upstream_env.ts";

const isFile = () => true;
const checkout = (root: string) =>
  selfCommandFor("/usr/bin/deno", `file://${root}/src/cli/thoth.ts`, `${root}/deno.json`);
const OTHER_THOTHS: [string, string[]][] = [
  ["another checkout", checkout("/tmp/b")],
  ["a compiled thoth", ["/usr/local/bin/thoth"]],
  ["a thoth under another name", ["/opt/acme/governor"]],
];

// Finding 2: an entry wrapped from source, with a THOTH_WRAP record, read by another thoth.

const FROM_SOURCE = '{\n  "mcpServers": {\n    "fs": {"command": "npx", "args": ["-y", "pkg"]},\n' +
  '    "bare": {"command": "/usr/bin/mcp-clock"}\n  }\n}\n';

for (const [who, other] of OTHER_THOTHS) {
  Deno.test(`an entry wrapped from source with a THOTH_WRAP record is read by ${who}`, () => {
    const wrapped = planWrap(FROM_SOURCE, {
      thothCommand: checkout("/tmp/a"),
      tenantId: "acme",
      env: [["THOTH_USER_ID", "me@x.com"]],
    }).text;
    assert.match(wrapped, /"THOTH_WRAP": "v1;added=THOTH_USER_ID;created=env"/);
    const status = planStatus(wrapped, { isFile, thothCommand: other });
    assert.deepEqual(status.servers.map((s) => [s.state, s.note]), [
      ["governed", null],
      ["governed", null],
    ]);
    assert.equal(planUnwrap(wrapped, { thothCommand: other }).text, FROM_SOURCE);
    const rewrapped = planWrap(wrapped, { thothCommand: other, tenantId: "acme" });
    assert.deepEqual(rewrapped.servers.map((s) => s.action), ["updated", "updated"]);
    assert.equal(planUnwrap(rewrapped.text, { thothCommand: other }).text, FROM_SOURCE);
  });
}

Deno.test("an entry with no args wrapped from source records created=args, needed to unwrap it", () => {
  const text = '{"mcpServers": {"bare": {"command": "/usr/bin/mcp-clock"}}}';
  const wrapped = planWrap(text, { thothCommand: checkout("/tmp/a") }).text;
  assert.match(wrapped, /"THOTH_WRAP": "v1;created=env,args"/);
  assert.equal(planUnwrap(wrapped, { thothCommand: ["/usr/local/bin/thoth"] }).text, text);
});

// Finding 3: a server that only carries a THOTH_WRAP record is not thoth.

const NOT_THOTH = [
  '{"command": "/usr/bin/cargo", "args": ["run", "--", "serve"], "env": {"THOTH_WRAP": "v1"}}',
  '{"command": "/usr/bin/cargo", "args": ["run", "--release", "--", "--stdio"], ' +
  '"env": {"THOTH_WRAP": "v1;created=args"}}',
  '{"command": "/usr/bin/cargo", "args": ["run", "--agent-id", "rs", "--enforcement-mode", ' +
  '"block", "--", "serve"], "env": {"THOTH_WRAP": "v1;added=THOTH_USER_ID", "THOTH_USER_ID": "a"}}',
  '{"command": "/usr/bin/cargo", "args": ["run", "--agent-id", "rs", "--", "serve"], ' +
  '"env": {"THOTH_WRAP": "v1;thoth=/opt/acme/governor"}}',
  '{"command": "/usr/bin/cargo", "args": ["run", "--agent-id", "rs", "--", "serve"], ' +
  '"env": {"THOTH_WRAP": "v9;thoth=/usr/bin/cargo"}}',
];

for (const entry of NOT_THOTH) {
  Deno.test(`a server with a THOTH_WRAP record that does not name it is not understood: ${entry}`, () => {
    const text = `{"mcpServers": {"rs": ${entry}}}`;
    const status = planStatus(text, { isFile, thothCommand: ["/usr/local/bin/thoth"] });
    assert.equal(status.servers[0]?.state, "not_understood");
    assert.equal(status.servers[0]?.governed, false);
    assert.match(
      status.servers[0]?.note ?? "",
      /THOTH_WRAP record does not name "\/usr\/bin\/cargo"/,
    );
    const wrap = planWrap(text, { thothCommand: ["/usr/local/bin/thoth"], tenantId: "acme" });
    assert.equal(wrap.text, text, "never rewritten");
    assert.equal(wrap.servers[0]?.action, "skipped");
    assert.equal(wrap.ungoverned?.length, 1);
    const unwrap = planUnwrap(text, { thothCommand: ["/usr/local/bin/thoth"] });
    assert.equal(unwrap.text, text, "never destroys the command");
    assert.equal(unwrap.notRestored.length, 1);
  });
}

Deno.test("readThothInvocation() takes a record as proof only when it names the entry's command", () => {
  const args = ["run", "--agent-id", "a", "--enforcement-mode", "block", "--", "node"];
  const named = { wrapRecord: "v1;thoth=/opt/acme/governor" };
  assert.equal(readThothInvocation("/opt/acme/governor", args, [], named)?.kind, "wrapped");
  for (const wrapRecord of ["v1", "v1;added=A", "v1;thoth=/opt/acme/other", "v2;thoth=x", "junk"]) {
    assert.equal(
      readThothInvocation("/opt/acme/governor", args, [], { wrapRecord })?.kind,
      "not_understood",
      wrapRecord,
    );
  }
  // Named by its record, the entry must read as thoth run, as a binary named thoth must.
  assert.deepEqual(readThothInvocation("/opt/acme/governor", ["serve"], [], named), {
    kind: "not_understood",
    reason: 'its arguments start with "serve", not "run"',
  });
  // A record on a server whose arguments do not start with "run" leaves it a plain server.
  assert.equal(
    readThothInvocation("/usr/bin/cargo", ["serve"], [], { wrapRecord: "v1" }),
    undefined,
  );
});

Deno.test("parseWrapRecord() reads back the thoth path formatWrapRecord() writes", () => {
  const record = parseWrapRecord("v1;added=A");
  record.thoth = "C:\\Program Files\\acme;100%\\gov.exe";
  const text = formatWrapRecord(record);
  assert.equal(text, "v1;thoth=C:\\Program Files\\acme%3B100%25\\gov.exe;added=A");
  assert.deepEqual(parseWrapRecord(text), record);
  // thoth run reads the same record: the keys wrap-config added still leave the server's env.
  assert.deepEqual(upstreamEnvChanges({ THOTH_WRAP: text, A: "x" }), {
    remove: ["A", "THOTH_WRAP"],
    set: {},
  });
  assert.throws(() => parseWrapRecord("v1;thoth="), /names no path/);
  assert.throws(() => parseWrapRecord("v1;thoth=%ZZ"), /not URI-encoded/);
});

Deno.test("wrap-config with a thoth not named so writes a record naming it; any thoth reads it", () => {
  const text = '{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "pkg"]}}}';
  const wrapped = planWrap(text, { thothCommand: ["/opt/acme/governor"], tenantId: "acme" }).text;
  assert.match(wrapped, /"THOTH_WRAP": "v1;thoth=\/opt\/acme\/governor;created=env"/);
  const status = planStatus(wrapped, { isFile, thothCommand: ["/usr/local/bin/thoth"] });
  assert.equal(status.servers[0]?.state, "governed");
  // Moved to a thoth named so: the record no longer names a path, and unwrap is still exact.
  const moved = planWrap(wrapped, { thothCommand: ["/usr/local/bin/thoth"] });
  assert.match(moved.text, /"THOTH_WRAP": "v1;created=env"/);
  assert.equal(planUnwrap(moved.text).text, text);
});

// Finding 6: a rewrite that only adds or updates the record says why.

Deno.test("planWrap() says why when the only change is the THOTH_WRAP record", () => {
  const args = '["run", "--agent-id", "a", "--enforcement-mode", "block", "--", "node"]';
  const self = ["/opt/acme/governor"];
  const bare = `{"mcpServers": {"a": {"command": "/opt/acme/governor", "args": ${args}}}}`;
  const added = planWrap(bare, { thothCommand: self });
  assert.equal(added.servers[0]?.action, "updated");
  assert.deepEqual(added.servers[0]?.reasons, [
    "added the THOTH_WRAP record so any thoth recognises this entry",
  ]);
  assert.match(formatPlanReport(added), /updated {2}a {2}added the THOTH_WRAP record/);
  // A record written before it named the thoth path: brought up to date by the same thoth.
  const old = `{"mcpServers": {"a": {"command": "/opt/acme/governor", "args": ${args}, ` +
    '"env": {"THOTH_WRAP": "v1;created=env"}}}}';
  assert.equal(
    planStatus(old, { isFile, thothCommand: ["/usr/local/bin/thoth"] }).servers[0]?.state,
    "not_understood",
  );
  const updated = planWrap(old, { thothCommand: self });
  assert.deepEqual(updated.servers[0]?.reasons, [
    "brought the THOTH_WRAP record up to date so any thoth recognises this entry",
  ]);
  assert.match(updated.text, /"v1;thoth=\/opt\/acme\/governor;created=env"/);
  assert.equal(
    planStatus(updated.text, { isFile, thothCommand: ["/usr/local/bin/thoth"] }).servers[0]?.state,
    "governed",
  );
  assert.equal(planWrap(updated.text, { thothCommand: self }).text, updated.text);
});

// Finding 4: a hand-wrapped server without --agent-id keeps the id thoth run derives.

Deno.test("planWrap() keeps the agent id thoth run derives for a server wrapped without one", () => {
  const text = '{"mcpServers": {"gdrive": {"command": "/usr/local/bin/thoth", "args": ["run", ' +
    '"--tenant-id", "acme", "--enforcement-mode", "block", "--", "npx", "-y", ' +
    '"@modelcontextprotocol/server-gdrive"]}, "server-gdrive": {"command": "node"}}}';
  const before = planStatus(text, { isFile });
  assert.equal(before.servers[0]?.agentId, "server-gdrive");
  const plan = planWrap(text, {
    thothCommand: ["/usr/local/bin/thoth"],
    enforcementMode: "observe",
  });
  assert.equal(plan.servers[0]?.action, "updated");
  assert.ok(
    plan.servers[0]?.reasons.includes(
      'agent id "server-gdrive" written out (thoth run derived it from the command)',
    ),
    plan.servers[0]?.reasons.join("; "),
  );
  const after = planStatus(plan.text, { isFile });
  assert.deepEqual(after.servers.map((s) => s.agentId), ["server-gdrive", "server-gdrive-2"]);
  assert.match(plan.text, /"run", "--agent-id", "server-gdrive", "--tenant-id", "acme"/);
  // Nothing else to change: the entry stays as it is, and thoth run derives the same id.
  const same = planWrap(text, { thothCommand: ["/usr/local/bin/thoth"] });
  assert.equal(same.servers[0]?.action, "unchanged");
});

// Finding 5: unwrap names what it leaves running through thoth.

Deno.test("planUnwrap() lists the thoth entries it cannot restore", () => {
  const text = '{"mcpServers": {' +
    '"nodash": {"command": "/usr/local/bin/thoth", "args": ["run", "--agent-id", "a", "npx"]}, ' +
    '"v2": {"command": "/usr/local/bin/thoth", "args": ["run", "--agent-id", "b", "--", "node"], ' +
    '"env": {"THOTH_WRAP": "v2"}}, ' +
    '"odd": {"command": "/usr/local/bin/thoth", "args": ["run", "--shutdown-grace-ms", 5, ' +
    '"--", "node"]}, ' +
    '"ok": {"command": "/usr/local/bin/thoth", "args": ["run", "--agent-id", "c", "--", "node"]}, ' +
    '"plain": {"command": "node", "args": ["x", 1]}}}';
  const plan = planUnwrap(text);
  assert.deepEqual(plan.notRestored.map((s) => s.name), ["nodash", "v2", "odd"]);
  assert.match(plan.notRestored[0]!.reason, /no "--" before the upstream command/);
  assert.match(plan.notRestored[1]!.reason, /unknown version "v2"/);
  assert.match(plan.notRestored[2]!.reason, /it names thoth/);
  assert.deepEqual(plan.servers.map((s) => s.action), [
    "skipped",
    "skipped",
    "skipped",
    "unwrapped",
    "skipped",
  ]);
});
