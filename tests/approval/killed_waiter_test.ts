/**
 * A real `thoth run` killed with SIGKILL while a call waits in the approval
 * queue: its request records the PID namespace and boot (read for the
 * sandboxed core by the thread that starts it), so `thoth approvals approve`
 * refuses at once, without waiting out the 15 s orphan rule, instead of
 * saying "approved" for a call that will never run. And an approval given
 * just before its thoth died (never taken: no `.taken` marker) is listed as
 * what it was: approved, but its thoth ended without marking it taken, and
 * the call did not run.
 */
import assert from "node:assert/strict";
import {
  ASK_BEFORE_DELETE,
  blockFlags,
  GovernedPeer,
  type Json,
  queuedId,
  thothCli,
  toolCall,
} from "./_governed_peer.ts";

const linuxOnly = Deno.build.os !== "linux";

/** Starts thoth, queues one STEP_UP call, and returns its request id and request file. */
async function queuedCall(): Promise<{ peer: GovernedPeer; id: string; request: Json }> {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: blockFlags(60),
    capabilities: {},
  });
  try {
    await peer.send(toolCall(1, "delete_everything", {}));
    const id = await queuedId(peer);
    const request = JSON.parse(
      await Deno.readTextFile(`${peer.home}/approvals/${id}.request.json`),
    );
    return { peer, id, request };
  } catch (error) {
    peer.child.kill("SIGKILL");
    await peer.finish();
    throw error;
  }
}

/** Kills thoth at once (SIGKILL) and waits until it is gone. */
async function kill(peer: GovernedPeer): Promise<void> {
  try {
    peer.child.kill("SIGKILL");
  } catch { /* already gone */ }
  await peer.finish();
}

Deno.test({
  name: "approving a request whose thoth was killed is refused at once: its request names the " +
    "PID namespace and boot",
  ignore: linuxOnly,
  fn: async () => {
    const { peer, id, request } = await queuedCall();
    await kill(peer);
    assert.match(String(request.pidNamespace), /^pid:\[\d+\]$/, JSON.stringify(request));
    assert.match(String(request.bootId), /^[0-9a-f-]{32,36}$/, JSON.stringify(request));
    assert.equal(request.pid, peer.child.pid);
    // Right away: the request file went quiet a moment ago, far less than 15 s.
    const approve = await thothCli(peer.home, ["approvals", "approve", id]);
    assert.equal(approve.code, 1, `${approve.stdout}\n${approve.stderr}`);
    assert.doesNotMatch(approve.stdout, /approved/);
    assert.match(
      approve.stderr,
      new RegExp(`request "${id}" was left by a thoth \\(pid ${request.pid}\\) that is no longer`),
    );
    assert.match(approve.stderr, /the call will not run/);
    await assert.rejects(
      Deno.stat(`${peer.home}/approvals/${id}.answer.json`),
      Deno.errors.NotFound,
    );
    assert.deepEqual(await peer.serverCalls(), [], "the server never ran the call");
  },
});

Deno.test({
  name: "an approval its thoth never took, because it was killed, lists as approved but not run",
  ignore: linuxOnly,
  fn: async () => {
    const { peer, id } = await queuedCall();
    try {
      // Frozen: it still exists, so the approval is taken in, but it will never read it.
      peer.child.kill("SIGSTOP");
      const approve = await thothCli(peer.home, ["approvals", "approve", id]);
      assert.equal(approve.code, 0, approve.stderr);
      assert.match(approve.stdout, /approved by /);
    } finally {
      await kill(peer);
    }
    assert.deepEqual(await peer.serverCalls(), [], "the server never ran the call");
    const text = await thothCli(peer.home, ["approvals", "list", "--all"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(
        `${id} .*\\[approved by [^\\]]+, but its thoth ended without marking it taken; the call did not run\\]`,
      ),
    );
    const json = await thothCli(peer.home, ["approvals", "list", "--all", "--json"]);
    const [item] = JSON.parse(json.stdout);
    assert.equal(item.id, id);
    assert.equal(item.state, "settled");
    assert.equal(item.answer.decision, "approve");
    assert.equal(item.answer.callRan, false);
    assert.equal(item.answer.callOutcome, "orphaned");
    assert.equal(item.answer.callOutcomeReason, "its thoth ended without marking it taken");
    assert.equal(item.answer.callOutcomeSource, "waiter-gone");
  },
});
