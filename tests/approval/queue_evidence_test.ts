/**
 * The queue channel's evidence and notes, from a real `thoth run`: the
 * approval record keeps the reason (a person's `--reason` among it),
 * displayable and bounded; the approver is the account that owns the answer
 * file (the name a file claims is kept only as a claim); the note on stderr
 * names a profile other than the default in the command it suggests; and a
 * queue folder that cannot be used is told to the person at the machine,
 * with a remedy.
 */
import assert from "node:assert/strict";
import { osUserName } from "../_os_user.ts";
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
import { boundAnswer, signAnswer } from "./_signed_answers.ts";

const FLAGS = blockFlags(30);

Deno.test("a queue denial keeps its reason in the approval record; the note names THOTH_HOME; deny --json", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
  let denied;
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    const id = await queuedId(peer);
    // Another terminal needs the profile named: the note says it in the command, with the
    // thoth that runs (this one, from source: its checkout's task, as no thoth is on PATH).
    assert.match(
      peer.stderr,
      new RegExp(
        `run "THOTH_HOME='${peer.home}' deno task --config \\S+deno\\.json thoth approvals ` +
          `approve ${id}"`,
      ),
    );
    denied = await thothCli(peer.home, [
      "approvals",
      "deny",
      id,
      "--reason",
      "not now\u001b[31m\u202e" + "x".repeat(2000),
      "--json",
    ]);
    assert.equal(denied.code, 0, denied.stderr);
    await peer.wait((m: Json) => m.id === 1);
  } finally {
    await peer.finish();
  }
  const printed = JSON.parse(denied.stdout);
  assert.equal(printed.decision, "deny");
  assert.equal(printed.by, osUserName());
  assert.match(printed.reason, /^not now/);
  assert.ok(!Number.isNaN(Date.parse(printed.at)));
  const [approval] = await auditRecords(peer.home, "approval");
  assert.equal(approval.outcome, "denied");
  assert.match(approval.reason, /denied it, saying "not now\?\[31m\?x/);
  assert.ok(approval.reason.length <= 500, `a reason of ${approval.reason.length} characters`);
  // deno-lint-ignore no-control-regex -- what must not reach a terminal
  assert.doesNotMatch(approval.reason, /[\u0000-\u001f\u202e]/);
});

Deno.test("the queue approver is the answer file's owner; the name the file gives is kept only as a claim", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    const id = await queuedId(peer);
    const dir = `${peer.home}/approvals`;
    const entry = JSON.parse(await Deno.readTextFile(`${dir}/${id}.request.json`));
    // An answer written by hand (or by any process of this user), naming someone else.
    const answer = await boundAnswer(peer.home, {
      v: 1,
      id,
      digest: entry.digest,
      decision: "approve",
      by: "ceo@example.com\u001b[31m",
      at: Date.now(),
    });
    // Signed as `thoth approvals` signs (with this profile's key): only the name is a claim.
    await signAnswer(peer.home, answer);
    await Deno.writeTextFile(`${dir}/.hand`, JSON.stringify(answer));
    await Deno.link(`${dir}/.hand`, `${dir}/${id}.answer.json`);
    // As `thoth approvals` does: an answer file keeps no second link (see queue_answer_link_test.ts).
    await Deno.remove(`${dir}/.hand`);
    await peer.wait((m: Json) => m.id === 1);
  } finally {
    await peer.finish();
  }
  const [approval] = await auditRecords(peer.home, "approval");
  assert.equal(approval.outcome, "approved");
  assert.equal(
    approval.approver,
    `${osUserName()} (the answer file claims "ceo@example.com?[31m")`,
  );
});

Deno.test("a queue folder that is a file is told on stderr with a remedy, and thoth approvals names it", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: FLAGS });
  await Deno.writeTextFile(`${peer.home}/approvals`, "not a folder");
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    const answer = await peer.wait((m: Json) => m.id === 1);
    assert.match(JSON.stringify(answer), /is a file, not a folder/);
    await peer.waitStderr(/hint: move what is there aside/);
  } finally {
    await peer.finish();
  }
  assert.match(peer.stderr, /error: the approval queue cannot take the request: .*is a file/);
  assert.deepEqual(await peer.serverCalls(), [], "nothing ran");
  for (const args of [["list"], ["approve", "abcdefgh"], ["deny", "abcdefgh", "--json"]]) {
    const out = await thothCli(peer.home, ["approvals", ...args]);
    assert.equal(out.code, 1, out.stdout + out.stderr);
    const text = out.stdout + out.stderr;
    assert.match(text, /approval\.queue_not_folder|is a file, not a folder/);
    assert.match(text, /mv "[^"]*approvals" "[^"]*approvals\.broken"/, `${args[0]}: ${text}`);
  }
});
