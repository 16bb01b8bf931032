/**
 * A real `thoth run` whose approval queue folder can no longer be written
 * when a person's approval arrives (a full disk, a folder made read-only):
 * it reads the answer and writes the approval record, but cannot make the
 * answer's `<id>.taken` marker. `thoth approvals list` reads a missing
 * marker of a thoth that is gone as "the call did not run", so thoth does not
 * run a call whose approval it could not mark taken: the call is refused, the
 * log says so after the approval record, and stderr names the marker it
 * could not make. What the list then says is true: the server never ran it.
 */
import assert from "node:assert/strict";
import {
  ASK_BEFORE_DELETE,
  auditRecords,
  blockFlags,
  GovernedPeer,
  type Json,
  queuedId,
  thothCli,
  toolCall,
} from "./_governed_peer.ts";
import { canLockFolders, lockFolder } from "./_unwritable_folder.ts";

Deno.test({
  name: "an approval thoth cannot mark taken is not run, so the list's 'did not run' is true",
  ignore: Deno.build.os !== "linux" || !(await canLockFolders()),
  fn: async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
      flags: blockFlags(50),
      capabilities: {},
    });
    let id = "";
    let answer: Json;
    let undo: (() => Promise<void>) | undefined;
    try {
      await peer.send(toolCall(1, "delete_everything", {}));
      id = await queuedId(peer);
      // Held still while the person answers and the folder stops taking files.
      peer.child.kill("SIGSTOP");
      const approved = await thothCli(peer.home, ["approvals", "approve", id]);
      assert.equal(approved.code, 0, approved.stderr);
      undo = await lockFolder(`${peer.home}/approvals`);
      assert.ok(undo !== undefined);
      peer.child.kill("SIGCONT");
      answer = await peer.wait((m: Json) => m.id === 1, 30_000);
    } finally {
      try {
        peer.child.kill("SIGCONT");
      } catch { /* gone */ }
      await peer.finish();
      await undo?.();
    }
    const ran = (await peer.serverCalls()).length > 0;
    const listed = await thothCli(peer.home, ["approvals", "list", "--all", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const item = JSON.parse(listed.stdout).find((i: Json) => i.id === id);
    assert.equal(item?.answer?.decision, "approve", listed.stdout);
    // The list may say "did not run" only of a call that did not.
    if (item.answer.callRan === false) {
      assert.equal(ran, false, "the list says the call did not run");
    }
    assert.equal(ran, false, "a call whose approval could not be marked taken is not run");
    assert.equal(answer.result?.isError, true, JSON.stringify(answer));
    assert.match(answer.result.content[0].text, /could not be marked taken/);
    assert.doesNotMatch(answer.result.content[0].text, /approvals\//, "no path for the model");
    // stderr names the marker and why; the log holds the approval, then the refusal.
    assert.match(
      peer.stderr,
      new RegExp(`cannot mark the answer to request ${id} taken in the approval queue`),
    );
    const decisionId = (await auditRecords(peer.home, "decision"))[0].decisionId;
    const [approval] = (await auditRecords(peer.home, "approval"))
      .filter((r: Json) => r.decisionId === decisionId);
    assert.equal(approval?.outcome, "approved");
    const cancelled = (await auditRecords(peer.home, "cancellation"))
      .filter((r: Json) => r.decisionId === decisionId);
    assert.equal(cancelled.length, 1);
    assert.match(cancelled[0].reason, /could not be marked taken/);
    assert.equal(item.answer.callRan, false, "its thoth is gone and never marked it taken");
    assert.equal(item.answer.callOutcomeReason, "its thoth ended without marking it taken");
  },
});
