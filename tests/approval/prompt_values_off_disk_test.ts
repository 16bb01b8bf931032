/**
 * The client's approval form shows which file a call acts on (a `path`
 * field's value), but the approval queue's files never store it: when the
 * form reaches no one and the question moves to the queue, its request file
 * and `thoth approvals list` keep that argument's shape only. Only the
 * command a call runs (a `command` field) is stored and listed with its
 * text, so that no one approves a command blind; every other value stays off
 * the disk.
 */
import assert from "node:assert/strict";
import {
  ASK_BEFORE_DELETE,
  blockFlags,
  GovernedPeer,
  queuedId,
  thothCli,
  toolCall,
} from "./_governed_peer.ts";

const TARGET = "/srv/records/patients-2024.db";
const COMMAND = "shred -u old-backups.tar";

Deno.test("the form shows a path's value; the queue the question moves to stores its shape only", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, {
    flags: blockFlags(20),
    capabilities: { elicitation: {} },
  });
  try {
    await peer.send(
      toolCall(1, "delete_everything", { path: TARGET, reason: "cleanup", command: COMMAND }),
    );
    const form = await peer.wait((m) => m.method === "elicitation/create");
    const message: string = form.params.message;
    assert.ok(message.includes(`path: "${TARGET}"`), message);
    assert.match(message, /reason: string \(7 chars\)/);
    assert.ok(message.includes(`command: "${COMMAND}"`), message);
    assert.match(message, /Answer within \d+ s, or the call is denied\./);
    // A client that declared elicitation but cannot show forms: the queue takes the question.
    await peer.send({
      jsonrpc: "2.0",
      id: form.id,
      error: { code: -32601, message: "Method not found" },
    });
    const id = await queuedId(peer);
    for await (const entry of Deno.readDir(`${peer.home}/approvals`)) {
      if (!entry.isFile) continue;
      const text = await Deno.readTextFile(`${peer.home}/approvals/${entry.name}`);
      assert.ok(!text.includes("patients-2024"), `${entry.name} stores the value: ${text}`);
      assert.ok(!text.includes("cleanup"), `${entry.name} stores the value: ${text}`);
    }
    const listed = await thothCli(peer.home, ["approvals", "list"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(listed.stdout.includes(id), listed.stdout);
    assert.match(listed.stdout, /path: string \(29 chars\)/);
    assert.ok(!listed.stdout.includes("patients-2024"), listed.stdout);
    assert.match(listed.stdout, /reason: string \(7 chars\)/);
    // The command is the one value the queue keeps: a person must see what would run.
    assert.ok(listed.stdout.includes(`command: "${COMMAND}"`), listed.stdout);
    const request = await Deno.readTextFile(`${peer.home}/approvals/${id}.request.json`);
    assert.ok(request.includes(`command: \\"${COMMAND}\\"`), request);
    const denied = await thothCli(peer.home, ["approvals", "deny", id]);
    assert.equal(denied.code, 0, denied.stderr);
    const answer = await peer.wait((m) => m.id === 1);
    assert.equal(answer.result?.isError, true, JSON.stringify(answer));
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), []);
});
