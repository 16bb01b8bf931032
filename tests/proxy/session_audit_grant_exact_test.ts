/**
 * A refused stateless "allow for this session" withdraws the session grant
 * that answer made, not an older grant for the same arguments: a later call
 * passes on the grant whose approval was recorded.
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import { APPROVAL_INPUT_KEY } from "../../src/approval/input_required.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { auditPaths, segmentName } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import type { ApprovalRequest, ClientChannel } from "../../src/proxy/relay_session.ts";
import { SessionAudit } from "../../src/proxy/session_audit.ts";
import { tempDir } from "../e2e/_harness.ts";

const DAY1 = "2026-03-01", DAY2 = "2026-03-02";
const stepUp: Enforcer = {
  decide: (_c, ids) => ({ decision: "step_up", decisionId: ids(), ruleIds: ["w"], reasons: ["w"] }),
};
const client = (
  name: string,
): ClientChannel => ({
  elicitation: false,
  name,
  request: () => Promise.reject(new Error("no")),
  notify: () => {},
} as unknown as ClientChannel);

Deno.test("stateless: refused session yes revokes the OLDER grant, its own survives", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  const clock = { readings: 0, flipAfter: Infinity };
  const log = await openAuditLog({
    thothHome: home,
    now: () => new Date(`${++clock.readings > clock.flipAfter ? DAY2 : DAY1}T12:00:00Z`),
  });
  const notes: string[] = [];
  const audit = new SessionAudit({
    log,
    thothHome: home,
    session: "s-g",
    server: "fs",
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    safeFields: [],
    note: (m) => notes.push(m),
  });
  await audit.start("fs", [], []);
  const approver = audit.wrapApprover(
    createApprover({ thothHome: home, env: { USER: "ana" }, channels: [] }),
  );
  const enforcer = audit.wrapEnforcer(stepUp);
  const call: ToolCall = {
    server: "fs",
    tool: "write_file",
    arguments: { path: "/x" },
    annotations: undefined,
    listed: true,
    era: "stateless",
    protocolVersion: "2026-07-28",
  };
  const meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
  };
  const params = { arguments: call.arguments, _meta: meta };
  let n = 0;
  const request = (name: string): ApprovalRequest => ({
    call,
    verdict: enforcer.decide(call, () => `d-${++n}`) as Verdict,
    requestId: n,
    progressToken: undefined,
    signal: new AbortController().signal,
    client: client(name),
  });
  const stateOf = (s: unknown) => (s as { result: { requestState: string } }).result.requestState;
  // Two identical calls are asked about (e.g. in parallel).
  const a = await approver.stateless!(request("A"), params);
  const b = await approver.stateless!(request("B"), params);
  const answer = (state: string) => ({
    ...params,
    requestState: state,
    inputResponses: {
      [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "session" } },
    },
  });
  // Retry of A: allowed for session, log fine.
  const ra = await approver.stateless!(request("A"), answer(stateOf(a)));
  assert.equal(ra.kind === "decided" && ra.outcome.approved, true);
  // Log breaks; retry of B: allowed for session -> refused.
  const recs = (await readLogLines(auditPaths(home).dir)).length;
  const blocker = `${auditPaths(home).dir}/${segmentName(recs, DAY2)}`;
  Deno.mkdirSync(blocker);
  clock.readings = 0;
  clock.flipAfter = 0;
  audit.events().cancelled!("r-probe", "write_file", "probe");
  assert.equal(await audit.flush(), false);
  const rb = await approver.stateless!(request("B"), answer(stateOf(b)));
  assert.equal(rb.kind === "decided" && rb.outcome.approved, false, "B refused");
  Deno.removeSync(blocker);
  assert.equal(await audit.flush(), true);
  const later = await approver.stateless!(request("C"), params);
  await audit.end(0, null);
  const approvals = (await readLogLines(auditPaths(home).dir)).map((l) => l.record!).filter((r) =>
    r["type"] === "approval"
  );
  assert.equal(
    later.kind === "decided" && later.outcome.approver,
    "ana via A",
    "a later call should pass on A's recorded grant, not B's refused one",
  );
});
