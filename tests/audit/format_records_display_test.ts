/**
 * `thoth audit show` and `audit tail` print text a model, a server or an
 * answer file chose (a tool name, the client's name in the approver): every
 * cell passes `displayText`, so no control character, escape sequence or
 * bidirectional override reaches the terminal, while `--json` prints lines
 * that parse to the stored records exactly, with such characters escaped.
 */
import assert from "node:assert/strict";
import { formatRecordTable } from "../../src/audit/format_records.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { GovernedPeer, thothCli, toolCall } from "../approval/_governed_peer.ts";

/** A tool name that would move the cursor up, erase a line and paint a fake one. */
const EVIL_TOOL = "read_file\u001b[1A\u001b[2K\u001b[32mFAKE LINE\u202eexe.txt\u0007";
/** EVIL_TOOL as the TOOL cell shows it: quoted, each character outside printable ASCII escaped. */
const SHOWN_EVIL_TOOL = '"read_file\\u001b[1A\\u001b[2K\\u001b[32mFAKE LINE\\u202eexe.txt\\u0007"';
/** A client name with colour escapes and a right-to-left override. */
const EVIL_CLIENT = "cli\u001b[31mRED\u001b[0m\u202etxt.exe\r\nApproved: yes";

/** Any C0/C1 control, DEL, or a bidirectional embedding, override or isolate. */
// deno-lint-ignore no-control-regex -- what must not reach a terminal
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

Deno.test("formatRecordTable() shows no control character, escape or bidi override of a record", () => {
  const records = [
    {
      seq: 0,
      ts: "2026-01-01T00:00:00.000Z",
      type: "session_start",
      session: "s",
      server: "fs\u001b]0;x\u0007",
    },
    {
      seq: 1,
      ts: "2026-01-01T00:00:01.000Z",
      type: "decision",
      session: "s",
      server: "fs",
      tool: EVIL_TOOL,
      decisionId: "d-1",
      verdict: "step_up",
      ruleIds: ["r\u202e1"],
      mode: "block\u009b2J",
    },
    {
      seq: 2,
      ts: "2026-01-01T00:00:02.000Z",
      type: "approval",
      session: "s",
      decisionId: "d-1",
      channel: "queue\u001b[2K",
      approver: `ana via ${EVIL_CLIENT}`,
      outcome: "approved",
      scope: "once",
      latencyMs: 5,
    },
  ];
  const table = formatRecordTable(records);
  const lines = table.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 4, "one header and one line per record, no injected line");
  assert.doesNotMatch(table.replace(/\n/g, ""), UNSAFE);
  assert.ok(table.includes(SHOWN_EVIL_TOOL), table);
  assert.match(table, /ana via cli\?\[31mRED\?\[0m\?txt\.exe\?\?Approved: yes/);
  // A long name is cut short, and the approval's facts still follow it.
  const long = formatRecordTable([{ ...records[2]!, approver: "x".repeat(5000) }]);
  assert.ok(long.length < 1000, `a 5000-character approver fills ${long.length} characters`);
});

Deno.test("thoth audit show and tail print model-chosen names sanitized; --json keeps them exact", async () => {
  const policy = {
    version: 1,
    default: "allow",
    rules: [{ id: "del", match: { tool: "delete_*" }, decision: "step_up", reason: "destructive" }],
  };
  const peer = await GovernedPeer.start(policy, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "20"],
    capabilities: { elicitation: {} },
    clientName: EVIL_CLIENT,
  });
  try {
    await peer.send(toolCall(1, EVIL_TOOL, {}));
    await peer.wait((m) => m.id === 1);
    await peer.send(toolCall(2, "delete_everything", { x: 1 }));
    const form = await peer.wait((m) => m.method === "elicitation/create");
    await peer.send({
      jsonrpc: "2.0",
      id: form.id,
      result: { action: "accept", content: { decision: "approve" } },
    });
    await peer.wait((m) => m.id === 2);
  } finally {
    await peer.finish();
  }
  for (const args of [["audit", "show"], ["audit", "tail", "-n", "50"]]) {
    const out = await thothCli(peer.home, args);
    assert.equal(out.code, 0, out.stderr);
    assert.doesNotMatch(out.stdout.replace(/\n/g, ""), UNSAFE, `${args.join(" ")} printed raw`);
    assert.ok(out.stdout.includes(SHOWN_EVIL_TOOL), out.stdout);
    assert.match(out.stdout, /via cli\?\[31mRED\?\[0m\?txt\.exe\?\?Approved: yes/);
  }
  // --json prints each stored line as JSON that parses to the same record, with every
  // character a terminal acts on (past the C0 controls JSON escapes) written as an escape.
  const decoder = new TextDecoder();
  const stored = (await readLogLines(auditPaths(peer.home).dir))
    .map((l) => JSON.parse(decoder.decode(l.bytes)));
  for (const args of [["audit", "show", "--json"], ["audit", "tail", "-n", "50", "--json"]]) {
    const out = await thothCli(peer.home, args);
    assert.equal(out.code, 0, out.stderr);
    assert.doesNotMatch(out.stdout.replace(/\n/g, ""), UNSAFE, `${args.join(" ")} printed raw`);
    const records = out.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(records, stored, `${args.join(" ")} changed a stored record`);
    assert.ok(records.some((r) => r.type === "decision" && r.tool === EVIL_TOOL), "tool exact");
  }
});

Deno.test("formatRecordTable() shows a look-alike tool or server name escaped and quoted, a plain one as it is", () => {
  const table = formatRecordTable([
    {
      seq: 0,
      ts: "2026-01-01T00:00:00.000Z",
      type: "decision",
      session: "s",
      server: "f\u0455",
      tool: "wr\u0456te_file",
      decisionId: "d-1",
      verdict: "allow",
    },
    {
      seq: 1,
      ts: "2026-01-01T00:00:01.000Z",
      type: "decision",
      session: "s",
      server: "fs",
      tool: "write_file",
      decisionId: "d-2",
      verdict: "allow",
    },
  ]);
  assert.ok(!table.includes("wr\u0456te_file") && !table.includes("f\u0455"), table);
  assert.ok(table.includes('"wr\\u0456te_file"') && table.includes('"f\\u0455"'), table);
  assert.match(table, /^\S+ \S+ +1 +decision +d-2 +fs +write_file +allow/m);
});
