/**
 * A real `thoth run` whose audit spool stops taking files after a call was
 * queued for approval: a person approves it, thoth cannot record the
 * approval, and refuses the call (the client hears "the approval could not
 * be recorded in the audit log"). The queue folder still takes files, so
 * thoth notes the refusal beside the request, and `thoth approvals list`
 * says "approved by …, but thoth refused the call" (`callOutcome`
 * "refused", with its reason), while the session runs and after it ended:
 * not a bare "approved", and not "its thoth ended without marking it
 * taken", which names the wrong cause.
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
import { canLockFolders, lockFolder } from "./_unwritable_folder.ts";

const REASON = "the approval could not be recorded in the audit log";

/** `thoth approvals list --all` of `home`, as JSON and as text, for request `id`. */
async function listed(home: string, id: string): Promise<{ item: Json; line: string }> {
  const json = await thothCli(home, ["approvals", "list", "--all", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const item = JSON.parse(json.stdout).find((i: Json) => i.id === id);
  const text = await thothCli(home, ["approvals", "list", "--all"]);
  assert.equal(text.code, 0, text.stderr);
  const line = text.stdout.split("\n").find((l) => l.startsWith(id)) ?? text.stdout;
  return { item, line };
}

/** Asserts that `listed` says thoth refused the approved call, for the audit log. */
function assertRefused({ item, line }: { item: Json; line: string }, when: string): void {
  assert.equal(item?.answer?.decision, "approve", `${when}: ${JSON.stringify(item)}`);
  assert.equal(item.answer.callRan, false, `${when}: ${JSON.stringify(item)}`);
  assert.equal(item.answer.callOutcome, "refused", `${when}: ${JSON.stringify(item)}`);
  assert.equal(item.answer.callOutcomeReason, REASON, when);
  assert.equal(item.answer.callOutcomeSource, "waiting-thoth-note", when);
  assert.match(
    line,
    /\[approved by [^\]]*, but thoth refused the call: the approval could not be recorded in the audit log[^\]]*the call did not run\]/,
    `${when}: ${line}`,
  );
  assert.doesNotMatch(line, /ended without marking it taken/, when);
}

Deno.test({
  name: "an approval thoth refused because the log could not record it is listed as refused",
  ignore: Deno.build.os !== "linux" || !(await canLockFolders()),
  fn: async () => {
    const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
      flags: blockFlags(50),
      capabilities: {},
    });
    let id = "";
    let answer: Json;
    let undo: (() => Promise<void>) | undefined;
    let during: { item: Json; line: string };
    try {
      await peer.send(toolCall(1, "delete_everything", {}));
      id = await queuedId(peer);
      // Held still while the person answers and the spool stops taking files.
      peer.child.kill("SIGSTOP");
      const approved = await thothCli(peer.home, ["approvals", "approve", id]);
      assert.equal(approved.code, 0, approved.stderr);
      undo = await lockFolder(`${peer.home}/audit/spool`);
      assert.ok(undo !== undefined);
      peer.child.kill("SIGCONT");
      answer = await peer.wait((m: Json) => m.id === 1, 30_000);
      during = await listed(peer.home, id);
    } finally {
      try {
        peer.child.kill("SIGCONT");
      } catch { /* gone */ }
      await peer.finish();
      await undo?.();
    }
    assert.equal(answer.result?.isError, true, JSON.stringify(answer));
    assert.match(answer.result.content[0].text, /could not be recorded in the audit log/);
    assert.deepEqual(await peer.serverCalls(), [], "the refused call did not run");
    assertRefused(during, "while the session ran");
    assertRefused(await listed(peer.home, id), "after the session ended");
  },
});
