/**
 * The evidence of stateless (2026-07-28) approvals, from a real `thoth run`:
 * a person's answer is recorded against the call that asked, with the
 * retry's decision as `retryDecisionId` and what the person said, also when
 * thoth refused it (a yes sent back with other arguments); a state altered,
 * forged or reused is thoth's refusal (`error`, with its reason), never a
 * person's denial; and a question no retry answered is closed at the
 * session's end (`cancelled`), as an open form or queue entry is.
 */
import assert from "node:assert/strict";
import { APPROVAL_INPUT_KEY } from "../../src/approval/input_required.ts";
import {
  ASK_BEFORE_DELETE,
  auditRecords,
  blockFlags,
  GovernedPeer,
  type Json,
  STATELESS_META,
  toolCall,
} from "./_governed_peer.ts";

const FLAGS = blockFlags(20);
const YES = { [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "approve" } } };

const call = (id: number, args: unknown, extra: Record<string, unknown> = {}) =>
  toolCall(id, "delete_everything", args, { _meta: STATELESS_META, ...extra });

/** The decision id of the `n`th call (1-based; each test sends its calls one after another). */
function decisionOf(decisions: Json[], n: number): string {
  const found = decisions[n - 1];
  assert.ok(found, `a decision for call ${n}: ${JSON.stringify(decisions)}`);
  return found.decisionId;
}

Deno.test("a yes sent back with other arguments is recorded against the call that asked, with the person's answer", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
  try {
    await peer.send(call(1, { x: 1 }));
    const asked = (await peer.wait((m: Json) => m.id === 1)).result;
    assert.equal(asked.resultType, "input_required");
    await peer.send(call(2, { x: 2 }, { requestState: asked.requestState, inputResponses: YES }));
    const refused = await peer.wait((m: Json) => m.id === 2);
    assert.match(JSON.stringify(refused), /different arguments/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
  const decisions = await auditRecords(peer.home, "decision");
  const approvals = await auditRecords(peer.home, "approval");
  assert.equal(approvals.length, 1, JSON.stringify(approvals));
  const [approval] = approvals;
  assert.equal(approval.decisionId, decisionOf(decisions, 1), "against the call that asked");
  assert.equal(approval.retryDecisionId, decisionOf(decisions, 2));
  assert.equal(approval.answer, "allow_once", "what the person said");
  assert.equal(approval.outcome, "error", "thoth refused it; no person denied it");
  assert.match(approval.approver, /via/);
  assert.match(approval.reason, /different arguments/);
});

Deno.test("an altered state is recorded as thoth's refusal, and the question no retry answered is closed at the end", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
  try {
    await peer.send(call(1, { x: 1 }));
    const asked = (await peer.wait((m: Json) => m.id === 1)).result;
    const state = String(asked.requestState);
    const altered = state.slice(0, -2) + (state.endsWith("AA") ? "BB" : "AA");
    await peer.send(call(2, { x: 1 }, { requestState: altered, inputResponses: YES }));
    await peer.wait((m: Json) => m.id === 2);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
  const decisions = await auditRecords(peer.home, "decision");
  const approvals = await auditRecords(peer.home, "approval");
  const byDecision = new Map(approvals.map((a) => [a.decisionId, a]));
  const forged = byDecision.get(decisionOf(decisions, 2));
  assert.ok(forged, `the altered retry has a record: ${JSON.stringify(approvals)}`);
  assert.equal(forged.outcome, "error");
  assert.match(forged.reason, /altered or not issued by this thoth/);
  assert.equal(forged.answer, undefined, "an altered state carries no answer thoth can place");
  const unanswered = byDecision.get(decisionOf(decisions, 1));
  assert.ok(unanswered, `the unanswered question is closed: ${JSON.stringify(approvals)}`);
  assert.equal(unanswered.outcome, "cancelled");
  assert.equal(unanswered.channel, "elicitation");
  assert.match(unanswered.reason, /session ended before the client retried/);
  // Closed before the session's end.
  const ends = await auditRecords(peer.home, "session_end");
  assert.ok(unanswered.seq < ends[0].seq);
  assert.ok(!approvals.some((a) => a.outcome === "denied"), "nobody denied anything");
});

Deno.test("a reused state is recorded against the retry as thoth's refusal; the person's yes stays on the call that asked", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
  try {
    await peer.send(call(1, { x: 1 }));
    const asked = (await peer.wait((m: Json) => m.id === 1)).result;
    const retry = { requestState: asked.requestState, inputResponses: YES };
    await peer.send(call(2, { x: 1 }, retry));
    assert.match(JSON.stringify(await peer.wait((m: Json) => m.id === 2)), /deleted/);
    await peer.send(call(3, { x: 1 }, retry));
    await peer.wait((m: Json) => m.id === 3);
  } finally {
    await peer.finish();
  }
  assert.equal((await peer.serverCalls()).length, 1, "only the first retry ran");
  const decisions = await auditRecords(peer.home, "decision");
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(
    approvals.map((a) => [a.decisionId, a.retryDecisionId, a.outcome]),
    [
      [decisionOf(decisions, 1), decisionOf(decisions, 2), "approved"],
      [decisionOf(decisions, 3), undefined, "error"],
    ],
    JSON.stringify(approvals),
  );
  assert.match(approvals[1].reason, /already used/);
});
