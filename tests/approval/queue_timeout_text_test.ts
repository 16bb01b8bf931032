/**
 * When a call waited in the approval queue and no one answered in time, the
 * model is told that no one answered and not to retry on its own, but never
 * the request's id nor the command that answers it: a model with a shell
 * could approve its own call with them (`thoth approvals approve ID` works
 * from any process of the user). The person reads both on stderr, in the
 * MCP client's log: the request id, and how to answer the next one.
 */
import assert from "node:assert/strict";
import {
  ASK_BEFORE_DELETE,
  blockFlags,
  GovernedPeer,
  queuedId,
  toolCall,
} from "./_governed_peer.ts";

Deno.test("a queued request that times out gives the model neither its id nor the command that answers it", async () => {
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
    assert.match(text, /no one answered the approval request within 1 s/);
    assert.ok(!text.includes(id), `the request id reaches the model: ${text}`);
    assert.doesNotMatch(text, /thoth approvals|approve <id>|\bwatch\b/, text);
    assert.doesNotMatch(text, /needs approval/, text);
    assert.match(text, /Do not retry it automatically; tell the user /);
    assert.doesNotMatch(text, /THOTH_HOME|\//, "no path of this machine reaches the model");
    // The person at the machine hears which request timed out and how to answer the next one.
    const note = await peer.waitStderr(
      new RegExp(
        `approval request ${id} \\(.*\\) timed out: .*thoth approvals watch" in a terminal`,
      ),
    );
    assert.ok(note[0].length > 0);
    assert.deepEqual(await peer.serverCalls(), []);
  } finally {
    await peer.finish();
  }
});
