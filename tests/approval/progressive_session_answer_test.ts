/**
 * "Allow for this session" is not offered in progressive mode, and no answer
 * can bring it back: a queue answer that says `session` (what an older
 * `thoth approvals approve --session` wrote, or a file written by hand)
 * allows that one call, is recorded as `once`, and is noted; the same call
 * again is asked about again, not granted.
 */
import assert from "node:assert/strict";
import { auditRecords, GovernedPeer, queuedId, toolCall } from "./_governed_peer.ts";
import { boundAnswer, signAnswer } from "./_signed_answers.ts";
import type { QueueAnswer } from "../../src/approval/queue_record.ts";

const POLICY = {
  version: 1,
  default: "allow",
  rules: [{ id: "ask-echo", match: { tool: "echo" }, decision: "step_up" }],
  progressive: { window: "1h", stepUpAfter: 0, blockAfter: 10 },
};

/** Writes `answer` as the queue's answer to `id`, the way a settler does (its MAC, a hard link). */
async function writeAnswer(home: string, id: string, unbound: QueueAnswer): Promise<void> {
  const answer = await boundAnswer(home, unbound);
  await signAnswer(home, answer);
  const temp = `${home}/approvals/.hand-${id}`;
  await Deno.writeTextFile(temp, JSON.stringify(answer), { mode: 0o600 });
  await Deno.link(temp, `${home}/approvals/${id}.answer.json`);
  await Deno.remove(temp);
}

Deno.test("progressive mode: a queue answer 'session' allows the call once, and the next is asked again", async () => {
  const peer = await GovernedPeer.start(POLICY, {
    flags: ["--enforcement-mode", "progressive", "--approval-timeout", "30"],
    capabilities: {},
  });
  let second: string;
  try {
    await peer.send(toolCall(1, "echo", { note: "hi" }));
    const id = await queuedId(peer);
    const entry = JSON.parse(await Deno.readTextFile(`${peer.home}/approvals/${id}.request.json`));
    assert.equal(entry.allowSession, false);
    await writeAnswer(peer.home, id, {
      v: 1,
      id,
      digest: entry.digest,
      decision: "session",
      by: "ana",
      at: Date.now(),
    });
    const ran = await peer.wait((m) => m.id === 1);
    assert.equal(ran.result?.isError, undefined, JSON.stringify(ran));
    await peer.waitStderr(/"allow for this session" to decision .* allowed this call once/);
    // The same call again: a person is asked again (no session grant was made).
    await peer.send(toolCall(2, "echo", { note: "hi" }));
    second = (await peer.waitStderr(/approve ([a-z0-9]{8})[\s\S]*approve ([a-z0-9]{8})/))[2]!;
    assert.notEqual(second, id);
    assert.equal(peer.messages.find((m) => m.id === 2), undefined, "call 2 waits for a person");
    await writeAnswer(peer.home, second, {
      v: 1,
      id: second,
      digest: entry.digest,
      decision: "deny",
      by: "ana",
      at: Date.now(),
    });
    assert.match(JSON.stringify(await peer.wait((m) => m.id === 2)), /denied/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual((await peer.serverCalls()).map((c) => c.id), [1]);
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(
    approvals.map((r) => [r.channel, r.outcome, r.scope]),
    [["queue", "approved", "once"], ["queue", "denied", undefined]],
  );
});
