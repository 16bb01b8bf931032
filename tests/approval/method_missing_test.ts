/**
 * A client that declared elicitation but answers thoth's form with `-32601`
 * (method not found) showed it to no one: like a dialog with no display, it
 * hands the question to the next channel (here the queue) before the same
 * deadline, and is not sent forms again this session.
 */
import assert from "node:assert/strict";
import { auditRecords, GovernedPeer, queuedId, thothCli, toolCall } from "./_governed_peer.ts";

const POLICY = {
  version: 1,
  default: "allow",
  rules: [{ id: "ask-del", match: { tool: "delete_everything" }, decision: "step_up" }],
};

Deno.test("an elicitation answered -32601 hands the question to the queue, and a yes there runs the call", async () => {
  const peer = await GovernedPeer.start(POLICY, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "30"],
    capabilities: { elicitation: {} },
  });
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    const form = await peer.wait((m) => m.method === "elicitation/create");
    await peer.send({
      jsonrpc: "2.0",
      id: form.id,
      error: { code: -32601, message: "Method not found" },
    });
    const id = await queuedId(peer);
    const approved = await thothCli(peer.home, ["approvals", "approve", id]);
    assert.equal(approved.code, 0, approved.stderr);
    const ran = await peer.wait((m) => m.id === 1);
    assert.equal(ran.result?.isError, undefined, JSON.stringify(ran));
    // The next question goes straight to the queue.
    await peer.send(toolCall(2, "delete_everything", { x: 2 }));
    await peer.waitStderr(/approvals approve [a-z0-9]{8}[^]*approvals approve [a-z0-9]{8}/);
    const next = [...peer.stderr.matchAll(/approvals approve ([a-z0-9]{8})/g)][1]![1]!;
    assert.equal(
      peer.messages.filter((m) => m.method === "elicitation/create").length,
      1,
      "no second form",
    );
    await thothCli(peer.home, ["approvals", "deny", next]);
    await peer.wait((m) => m.id === 2);
  } finally {
    await peer.finish();
  }
  assert.deepEqual((await peer.serverCalls()).map((c) => c.id), [1]);
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(approvals.map((r) => [r.channel, r.outcome]), [
    ["queue", "approved"],
    ["queue", "denied"],
  ]);
});
