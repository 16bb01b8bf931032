/**
 * A client that closes its input while a call waits for a person has left:
 * the call is withdrawn at once (answered as not approved, recorded as
 * cancelled), the open form is withdrawn, and thoth exits, instead of keeping
 * a form nobody can answer, or a queue entry, open for the approval timeout.
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

for (const form of [true, false]) {
  Deno.test(`a call waiting for a person ${form ? "in a form" : "in the queue"} is withdrawn when the client closes its input`, async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
      flags: blockFlags(60),
      ...(form ? { capabilities: { elicitation: {} } } : {}),
    });
    let status: Deno.CommandStatus;
    try {
      await peer.send(toolCall(1, "delete_everything", { x: 1 }));
      if (form) await peer.wait((m: Json) => m.method === "elicitation/create");
      else await peer.waitStderr(/thoth approvals/);
    } finally {
      status = await peer.finish();
    }
    // Not timed (a busy machine stretches the time): a thoth that went on waiting for the
    // person is killed by finish() after 20 s (exit 137), with no approval recorded cancelled.
    assert.equal(status.code, 0);
    const answer = peer.messages.find((m: Json) => m.id === 1);
    assert.match(JSON.stringify(answer), /closed its input while the call waited for a person/);
    if (form) {
      assert.ok(
        peer.messages.some((m: Json) => m.method === "notifications/cancelled"),
        "the form is withdrawn",
      );
    }
    assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
    const approvals = await auditRecords(peer.home, "approval");
    assert.deepEqual(approvals.map((r) => r.outcome), ["cancelled"]);
  });
}

Deno.test("a call whose step-up is decided after the client closed its input is withdrawn before anyone is asked", async () => {
  // With --audit-sync always the decision waits for its record to reach the disk, so it
  // lands after the client's EOF here: nobody may be asked for a client that has left.
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: [...blockFlags(40), "--audit-sync", "always"],
  });
  await peer.send(toolCall(1, "delete_everything", { x: 1 }));
  const status = await peer.finish();
  // Not timed (a busy machine stretches the time): a thoth that went on waiting for the
  // person is killed by finish() after 20 s (exit 137), with no approval recorded cancelled.
  assert.equal(status.code, 0);
  const answer = peer.messages.find((m: Json) => m.id === 1);
  assert.match(JSON.stringify(answer), /closed its input while the call waited for a person/);
  assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(approvals.map((r) => r.outcome), ["cancelled"]);
});

Deno.test("an answer already in hand still decides a call after the client closes its input", async () => {
  const yes = { [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "approve" } } };
  const call = (id: number, extra: Record<string, unknown> = {}) =>
    toolCall(id, "delete_everything", { x: 1 }, { _meta: STATELESS_META, ...extra });
  // A stateless retry carrying the person's yes, sent just before the client's EOF.
  const stateless = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: ["--enforcement-mode", "block", "--audit-sync", "always"],
  });
  await stateless.send(call(1));
  const asked = (await stateless.wait((m: Json) => m.id === 1)).result;
  await stateless.send(call(2, { requestState: asked.requestState, inputResponses: yes }));
  await stateless.finish();
  assert.match(JSON.stringify(stateless.messages.find((m: Json) => m.id === 2)), /deleted/);
  assert.equal((await stateless.serverCalls()).length, 1, "the approved retry ran");
  assert.deepEqual((await auditRecords(stateless.home, "approval")).map((r) => r.outcome), [
    "approved",
  ]);

  // The same call again under a session grant from a form answered earlier in the session.
  const granted = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: ["--enforcement-mode", "block", "--audit-sync", "always"],
    capabilities: { elicitation: {} },
  });
  await granted.send(toolCall(1, "delete_everything", { x: 1 }));
  const form = await granted.wait((m: Json) => m.method === "elicitation/create");
  await granted.send({
    jsonrpc: "2.0",
    id: form.id,
    result: { action: "accept", content: { decision: "session" } },
  });
  await granted.wait((m: Json) => m.id === 1);
  await granted.send(toolCall(2, "delete_everything", { x: 1 }));
  await granted.finish();
  assert.match(JSON.stringify(granted.messages.find((m: Json) => m.id === 2)), /deleted/);
  assert.equal((await granted.serverCalls()).length, 2, "the granted call ran");
});

Deno.test("a stateless call decided after the client closed its input gets no question it could never answer", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: [...blockFlags(40), "--audit-sync", "always"],
  });
  await peer.send(toolCall(1, "delete_everything", { x: 1 }, { _meta: STATELESS_META }));
  await peer.finish();
  const answer = peer.messages.find((m: Json) => m.id === 1);
  assert.equal(answer?.result?.resultType, undefined, JSON.stringify(answer));
  assert.match(JSON.stringify(answer), /closed its input while the call waited for a person/);
  assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(approvals.map((r) => r.outcome), ["cancelled"]);
});
