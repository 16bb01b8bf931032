/**
 * A request file's `"v"` is all that says an earlier release's thoth
 * queued it, and any process of this user can rewrite it: a live request
 * of this release edited to `"v": 1` is refused by `thoth approvals
 * approve` and `deny` (nothing is written), in words that allow for an
 * edit rather than blame an earlier release, with hints that lead with
 * what holds when that release is gone (a self-update replaced it): the
 * call is refused when it times out, or a restarted client asks again.
 * Real processes: `thoth run` of this release around the fault server,
 * waiting on a step-up, and the real `thoth approvals` CLI.
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

Deno.test('thoth approvals approve/deny: a live request edited to "v": 1 is refused in words that allow for the edit, hints leading with the timeout and a restart', async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: blockFlags(60),
    capabilities: {},
  });
  let answers: { code: number; stdout: string; stderr: string }[] = [];
  let names: string[] = [];
  let listed: Json[] = [];
  let id = "";
  let pid = 0;
  try {
    await peer.send(toolCall(1, "delete_everything", {}));
    id = await queuedId(peer);
    const file = `${peer.home}/approvals/${id}.request.json`;
    const request = JSON.parse(await Deno.readTextFile(file));
    assert.equal(request.v, 3, "this release's thoth queued it");
    pid = request.pid;
    await Deno.writeTextFile(file, JSON.stringify({ ...request, v: 1 }));
    answers = [
      await thothCli(peer.home, ["approvals", "approve", id]),
      await thothCli(peer.home, ["approvals", "deny", id]),
    ];
    names = [...Deno.readDirSync(`${peer.home}/approvals`)].map((e) => e.name)
      .filter((name) => name.startsWith(id));
    listed = JSON.parse((await thothCli(peer.home, ["approvals", "list", "--json"])).stdout);
  } finally {
    await peer.finish();
  }
  assert.equal(pid, peer.child.pid, "the request names the live thoth of this release");
  for (const answer of answers) {
    assert.equal(answer.code, 1, answer.stdout + answer.stderr);
    assert.doesNotMatch(answer.stdout, /approved|denied/);
    const lines = answer.stderr.trimEnd().split("\n");
    assert.equal(
      lines[0],
      `thoth: error: request "${id}" was queued by a thoth of an earlier release (pid ${pid}), ` +
        'or its request file was edited to say so ("v": 1); such a thoth would refuse this ' +
        "release's answer as malformed and not run the call: nothing was answered",
      answer.stderr,
    );
    // What holds even where that release is no longer installed comes first.
    const hints = lines.filter((line) => line.startsWith("thoth: hint: "));
    assert.match(
      hints[0] ?? "",
      /^thoth: hint: left unanswered, it is refused when it times out; restart the MCP client so that its server runs under this release/,
      answer.stderr,
    );
    assert.match(
      hints[1] ?? "",
      /^thoth: hint: or answer it with that release's thoth if it is still installed \("thoth approvals approve [a-z2-9]{8}" or "deny"/,
    );
    assert.match(
      hints[2] ?? "",
      new RegExp(
        `^thoth: hint: if the thoth with pid ${pid} is of this release, the request file was ` +
          "edited: no thoth approvals can answer it",
      ),
    );
  }
  assert.deepEqual(names, [`${id}.request.json`], "nothing was answered");
  assert.equal(listed[0]?.earlierRelease, true);
});
