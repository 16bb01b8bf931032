/**
 * The relay tells the model what to do after each outcome of an approval
 * (see `notApprovedText`): after a person's denial, not to retry, never that
 * the call needs approval; after a queued request timed out, that the user
 * can approve it from a terminal when it is asked again, without the command
 * or the request id.
 */
import assert from "node:assert/strict";
import {
  ASK_BEFORE_DELETE,
  blockFlags,
  GovernedPeer,
  queuedId,
  toolCall,
} from "./_governed_peer.ts";

Deno.test("a declined form tells the model the call was denied and not to retry it", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: blockFlags(30),
    capabilities: { elicitation: {} },
  });
  try {
    await peer.send(toolCall(1, "delete_everything", {}));
    const form = await peer.wait((m) => m.method === "elicitation/create");
    await peer.send({ jsonrpc: "2.0", id: form.id, result: { action: "decline" } });
    const text: string = (await peer.wait((m) => m.id === 1)).result.content[0].text;
    assert.match(
      text,
      /a person denied it\. Decision d-[0-9a-f]+\. Do not retry this call; tell the user it was denied\.$/,
    );
    assert.doesNotMatch(text, /needs approval|approval-e2e/);
  } finally {
    await peer.finish();
  }
});

Deno.test("a queued request that timed out tells the model a person can approve it from a terminal", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: blockFlags(1),
    capabilities: {},
  });
  try {
    await peer.send(toolCall(1, "delete_everything", {}));
    const id = await queuedId(peer);
    const text: string = (await peer.wait((m) => m.id === 1)).result.content[0].text;
    assert.match(
      text,
      /they can approve it from a terminal when it is asked again \(thoth's message in the MCP client's log says how\)\.$/,
    );
    assert.ok(!text.includes(id));
    assert.doesNotMatch(text, /thoth approvals/);
  } finally {
    await peer.finish();
  }
});
