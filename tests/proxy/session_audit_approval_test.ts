/**
 * SessionAudit's approval records: the outcome the approver reports (never
 * a guess from the words for the model), its scope and latency, and, for a
 * stateless approval, the call that asked. Real files under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { osUserName } from "../_os_user.ts";
import type { ApprovalChannel } from "../../src/approval/approval_channel.ts";
import { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { createApprover } from "../../src/approval/create_approver.ts";
import { elicitationChannel } from "../../src/approval/elicitation_channel.ts";
import { APPROVAL_INPUT_KEY } from "../../src/approval/input_required.ts";
import { queueChannel } from "../../src/approval/queue_channel.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { formatRecordTable } from "../../src/audit/format_records.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import type { ApprovalRequest, Approver, ClientChannel } from "../../src/proxy/relay_session.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  newSessionAudit,
  noClient,
  STATELESS_META,
  stepUp,
  toolCall,
} from "./_session_audit_harness.ts";

const META = STATELESS_META;

async function started(home: string) {
  const { audit } = newSessionAudit(home, await openAuditLog({ thothHome: home }), {
    session: "s-1",
  });
  await audit.start("fs-server", [], []);
  let n = 0;
  const enforcer = audit.wrapEnforcer(stepUp);
  /** Decides (and so records) one call, and builds its approval request. */
  const decide = (call: ToolCall, client = noClient): ApprovalRequest => ({
    call,
    verdict: enforcer.decide(call, () => `d-${++n}`) as Verdict,
    requestId: n,
    progressToken: undefined,
    signal: new AbortController().signal,
    client,
  });
  return { audit, decide };
}

async function approvals(home: string) {
  return (await readLogLines(auditPaths(home).dir))
    .map((l) => l.record!)
    .filter((r) => r["type"] === "approval");
}

Deno.test("SessionAudit records the approver's outcome: a queue denial saying 'not this time' is denied", async () => {
  await using dir = await tempDir();
  const { audit, decide } = await started(dir.path);
  const queue = ApprovalQueue.forHome(dir.path);
  const approver = audit.wrapApprover(createApprover({
    thothHome: dir.path,
    env: { USER: "ana" },
    channels: [queueChannel({
      queue,
      pollMs: 10,
      onQueued: (id) =>
        void queue.settle(id, { decision: "deny", by: "bo", reason: "not this time" }),
    })],
  }));
  const outcome = await approver(decide(toolCall("initialize")));
  assert.match(outcome.why, /denied it, saying "not this time"/);
  await audit.end(0, null);
  const [record] = await approvals(dir.path);
  assert.equal(record?.["outcome"], "denied", "not a timeout because the reason says 'time'");
  // The answer file's owner answered; the name the file gives is only a claim.
  assert.equal(record?.["approver"], `${osUserName()} (the answer file claims "bo")`);
  assert.match(
    String(record?.["reason"]),
    /denied it, saying "not this time"/,
    "the reason is kept",
  );
  assert.equal(typeof record?.["latencyMs"], "number", "how long the answer took");
  assert.equal(record?.["scope"], undefined, "a denial covers nothing");
});

Deno.test("SessionAudit records a client's JSON-RPC error to an elicitation as an error, not a denial", async () => {
  await using dir = await tempDir();
  const { audit, decide } = await started(dir.path);
  const erring: ClientChannel = {
    elicitation: true,
    request: () =>
      Promise.resolve({
        jsonrpc: "2.0",
        id: "thoth-1",
        error: { code: -32601, message: "Method not found" },
      }),
    notify: () => {},
  };
  const approver = audit.wrapApprover(createApprover({
    thothHome: dir.path,
    env: { USER: "ana" },
    channels: [elicitationChannel({ approver: () => "ana via the MCP client" })],
  }));
  const outcome = await approver(decide(toolCall("initialize"), erring));
  assert.equal(outcome.approved, false);
  const throwing: Approver = () => Promise.reject(new Error("the channel broke"));
  const failed = await audit.wrapApprover(throwing)(decide(toolCall("initialize")));
  assert.match(failed.why, /the approval channel failed \(the channel broke\)/);
  await audit.end(0, null);
  const records = await approvals(dir.path);
  assert.deepEqual(records.map((r) => [r["decisionId"], r["outcome"], r["channel"]]), [
    ["d-1", "error", "elicitation"],
    ["d-2", "error", "unknown"],
  ]);
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 0, "every step-up has its record");
});

Deno.test("SessionAudit records the scope and latency of approvals and dismissals", async () => {
  await using dir = await tempDir();
  let clock = 10_000;
  const { audit, decide } = await started(dir.path);
  const answers = ["session", "cancel"];
  const channel: ApprovalChannel = {
    name: "dialog",
    available: () => true,
    ask: ({ question }) => {
      clock += 700;
      const next = answers.shift();
      return Promise.resolve(
        next === "session"
          ? { kind: "approve", scope: "session", approver: "ana", digest: question.digest }
          : { kind: "cancel", approver: "ana" },
      );
    },
  };
  const approver = audit.wrapApprover(createApprover({
    thothHome: dir.path,
    env: { USER: "ana" },
    channels: [channel],
    now: () => clock,
  }));
  await approver(decide(toolCall("initialize")));
  await approver(decide(toolCall("initialize")));
  await approver(decide({ ...toolCall("initialize"), arguments: { path: "/data/y" } }));
  await audit.end(0, null);
  const records = await approvals(dir.path);
  assert.deepEqual(
    records.map((r) => [r["outcome"], r["scope"], r["channel"], r["latencyMs"]]),
    [
      ["approved", "session", "dialog", 700],
      ["approved", "grant", "grant", 0],
      ["dismissed", undefined, "dialog", 700],
    ],
  );
});

Deno.test("SessionAudit records a stateless approval against the call that asked; the log verifies clean", async () => {
  await using dir = await tempDir();
  let clock = 50_000;
  const { audit, decide } = await started(dir.path);
  const approver = audit.wrapApprover(createApprover({
    thothHome: dir.path,
    env: { USER: "ana" },
    now: () => clock,
  }));
  const asked = await approver.stateless!(decide(toolCall("stateless")), {
    arguments: { path: "/data/x" },
    _meta: META,
  });
  assert.equal(asked.kind, "input_required");
  const { requestState } = (asked as unknown as { result: { requestState: string } }).result;
  clock += 3_000;
  const retried = await approver.stateless!(decide(toolCall("stateless")), {
    arguments: { path: "/data/x" },
    _meta: META,
    requestState,
    inputResponses: {
      [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "approve" } },
    },
  });
  assert.equal(retried.kind === "decided" && retried.outcome.approved, true);
  await audit.end(0, null);
  const [record, ...more] = await approvals(dir.path);
  assert.equal(more.length, 0, "one answer, one record");
  assert.equal(record?.["decisionId"], "d-1", "the decision that answered input_required");
  assert.equal(record?.["retryDecisionId"], "d-2", "the retry that carried the answer");
  assert.deepEqual([record?.["outcome"], record?.["scope"], record?.["latencyMs"]], [
    "approved",
    "once",
    3_000,
  ]);
  const report = await verifyLocalLog(dir.path);
  assert.deepEqual(report.findings.filter((f) => f.severity !== "info"), []);
  assert.equal(report.exitCode, 0);
  const rows = formatRecordTable(
    (await readLogLines(auditPaths(dir.path).dir)).map((l) => l.record!),
  ).split("\n").filter((row) => / decision /.test(row));
  assert.equal(rows.length, 2);
  for (const row of rows) {
    assert.match(
      row,
      /ana via the MCP client \(approved once, elicitation, 3000 ms\); writes need a person$/,
    );
  }
});
