/**
 * An elicitation form thoth stops waiting for is withdrawn from the client
 * (`notifications/cancelled` with the form's request id): at the approval
 * timeout, when the client cancels the call, and when the session ends. An
 * answer that still comes is never used, for that call or any other, and is
 * recorded as stale (an approval record on channel `elicitation-stale`).
 */
import assert from "node:assert/strict";
import { auditRecords, GovernedPeer, type Json, toolCall } from "./_governed_peer.ts";

const POLICY = {
  version: 1,
  default: "allow",
  rules: [{ id: "ask-del", match: { tool: "delete_everything" }, decision: "step_up" }],
};
const YES = { action: "accept", content: { decision: "approve" } };
const withdrawal = (formId: string) => (m: Json) =>
  m.method === "notifications/cancelled" && m.params?.requestId === formId;

Deno.test("a form is withdrawn at the approval timeout, and a late yes is recorded as stale, never used", async () => {
  const peer = await GovernedPeer.start(POLICY, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "1"],
    capabilities: { elicitation: {} },
    clientName: "Example Desktop",
  });
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    const form = await peer.wait((m) => m.method === "elicitation/create");
    const denied = await peer.wait((m) => m.id === 1);
    assert.match(JSON.stringify(denied), /no one answered within 1 s/);
    const withdrawn = await peer.wait(withdrawal(form.id));
    assert.ok(
      peer.messages.indexOf(withdrawn) < peer.messages.indexOf(denied),
      "the form is withdrawn before the call is answered",
    );
    assert.match(withdrawn.params.reason, /timed out/);
    await peer.send({ jsonrpc: "2.0", id: form.id, result: YES });
    await peer.waitStderr(/a late answer \("allow once"\) to the approval form of decision/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), [], "the late yes ran nothing");
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(approvals.map((r) => [r.channel, r.outcome]), [
    ["elicitation", "timeout"],
    ["elicitation-stale", "timeout"],
  ]);
  assert.equal(approvals[1].decisionId, approvals[0].decisionId);
  assert.match(approvals[1].approver, /via Example Desktop$/);
  assert.ok(approvals[1].latencyMs >= 1000, JSON.stringify(approvals[1]));
});

Deno.test("a cancelled call's form is withdrawn, and a yes to it does not approve the retried call", async () => {
  const peer = await GovernedPeer.start(POLICY, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "30"],
    capabilities: { elicitation: {} },
  });
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    const first = await peer.wait((m) => m.method === "elicitation/create");
    await peer.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 1, reason: "the user stopped it" },
    });
    const withdrawn = await peer.wait(withdrawal(first.id));
    assert.match(withdrawn.params.reason, /the client cancelled the call/);
    // The model tries again: a second form, for the second call.
    await peer.send(toolCall(2, "delete_everything", { x: 1 }));
    const second = await peer.wait((m) => m.method === "elicitation/create" && m.id !== first.id);
    // The person answers the stale form, still on screen: nothing runs.
    await peer.send({ jsonrpc: "2.0", id: first.id, result: YES });
    await peer.waitStderr(/a late answer \("allow once"\)/);
    assert.equal(peer.messages.find((m) => m.id === 2), undefined, "call 2 still waits");
    assert.deepEqual(await peer.serverCalls(), []);
    await peer.send({ jsonrpc: "2.0", id: second.id, result: YES });
    const ran = await peer.wait((m) => m.id === 2);
    assert.equal(ran.result?.isError, undefined, JSON.stringify(ran));
  } finally {
    await peer.finish();
  }
  assert.deepEqual((await peer.serverCalls()).map((c) => c.id), [2]);
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(approvals.map((r) => [r.channel, r.outcome]), [
    ["elicitation", "cancelled"],
    ["elicitation-stale", "cancelled"],
    ["elicitation", "approved"],
  ]);
});

Deno.test("a form still open when the session ends is withdrawn", async () => {
  const peer = await GovernedPeer.start(POLICY, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "30"],
    capabilities: { elicitation: {} },
  });
  let form: Json;
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    form = await peer.wait((m) => m.method === "elicitation/create");
    // thoth is stopped (the client quits it): the server goes, and the session with it.
    peer.child.kill("SIGTERM");
    await peer.wait(withdrawal(form.id));
  } finally {
    await peer.finish();
  }
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(approvals.map((r) => [r.channel, r.outcome]), [["elicitation", "cancelled"]]);
});
