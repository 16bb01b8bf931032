/**
 * When a call waited in the approval queue and no one answered in time, the
 * model is told which request timed out and how a person answers the next
 * one from a terminal (`thoth approvals watch`, or `approve <id>`), so it can
 * tell the user what to do instead of only that the call needs approval.
 */
import assert from "node:assert/strict";
import {
  ASK_BEFORE_DELETE,
  blockFlags,
  GovernedPeer,
  queuedId,
  toolCall,
} from "./_governed_peer.ts";

Deno.test("a queued request that times out names its id and thoth approvals watch to the model", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: blockFlags(1),
    capabilities: {},
  });
  try {
    await peer.send(toolCall(1, "delete_everything", {}));
    const id = await queuedId(peer);
    const answer = await peer.wait((m) => m.id === 1);
    assert.equal(answer.result?.isError, true, JSON.stringify(answer));
    const text: string = answer.result.content[0].text;
    assert.match(text, new RegExp(`no one answered approval request ${id} within 1 s`));
    assert.match(
      text,
      /a person can answer in a terminal with "thoth approvals watch" \(or "thoth approvals approve <id>"\), then ask again/,
    );
    assert.match(text, /Do not retry automatically; tell the user the call needs approval\.$/);
    assert.doesNotMatch(text, /THOTH_HOME|\//, "no path of this machine reaches the model");
    assert.deepEqual(await peer.serverCalls(), []);
  } finally {
    await peer.finish();
  }
});
