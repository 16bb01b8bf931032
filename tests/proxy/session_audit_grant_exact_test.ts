/**
 * A refused stateless "allow for this session" withdraws the session grant
 * that answer made, not an older grant for the same arguments: a later call
 * passes on the grant whose approval was recorded.
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import { APPROVAL_INPUT_KEY } from "../../src/approval/input_required.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import type { ApprovalRequest, ClientChannel } from "../../src/proxy/relay_session.ts";
import { tempDir } from "../e2e/_harness.ts";
import { openSession, STATELESS_META, stepUp, toolCall } from "./_session_audit_harness.ts";

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
  const s = await openSession(home, { session: "s-g" });
  const audit = s.audit;
  await audit.start("fs", [], []);
  const approver = audit.wrapApprover(
    createApprover({ thothHome: home, env: { USER: "ana" }, channels: [] }),
  );
  const enforcer = audit.wrapEnforcer(stepUp);
  const call: ToolCall = { ...toolCall("stateless"), arguments: { path: "/x" } };
  const params = { arguments: call.arguments, _meta: STATELESS_META };
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
  const blocker = await s.failAfter(0);
  audit.events().cancelled!("r-probe", "write_file", "probe");
  assert.equal(await audit.flush(), false);
  const rb = await approver.stateless!(request("B"), answer(stateOf(b)));
  assert.equal(rb.kind === "decided" && rb.outcome.approved, false, "B refused");
  Deno.removeSync(blocker);
  assert.equal(await audit.flush(), true);
  const later = await approver.stateless!(request("C"), params);
  await audit.end(0, null);
  assert.equal(
    later.kind === "decided" && later.outcome.approver,
    "ana via A",
    "a later call should pass on A's recorded grant, not B's refused one",
  );
});
