/**
 * A person's answer in the approval queue is bound to what `thoth approvals`
 * showed: the server, the tool, the decision id and the argument shape, in
 * the signed answer (see `answer_binding.ts`). The request file has no MAC:
 * whoever can write the queue folder could rewrite it so that a harmless
 * call is shown for a dangerous one. A real `thoth run` compares the answer
 * with the request it holds in memory and refuses one given for anything
 * else, or for nothing said (an answer of an earlier release): the call
 * does not run, stderr names the mismatch and the audit records `error`.
 * `approve` and `deny` echo what they answered; names keep every character
 * and show control characters escaped.
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
import { signAnswer } from "./_signed_answers.ts";

/** Starts thoth with `policy` and queues one call of `tool`; returns the peer and request id. */
async function queued(
  tool = "delete_everything",
  policy: unknown = ASK_BEFORE_DELETE,
): Promise<{ peer: GovernedPeer; id: string }> {
  const peer = await GovernedPeer.start(policy, { flags: blockFlags(30) });
  try {
    await peer.send(toolCall(1, tool, { path: "/etc/passwd" }));
    return { peer, id: await queuedId(peer) };
  } catch (error) {
    await peer.finish();
    throw error;
  }
}

Deno.test("thoth run: an approval given for a rewritten request file is refused, named and recorded; the call does not run", async () => {
  const { peer, id } = await queued();
  let reply: Json;
  let approved: { code: number; stdout: string; stderr: string };
  try {
    const file = `${peer.home}/approvals/${id}.request.json`;
    const request = JSON.parse(await Deno.readTextFile(file));
    // What a writer of the queue folder (not of keys/) can do: the digest stays.
    Object.assign(request, {
      server: "weather",
      tool: "get_weather",
      shape: ["city: string (5 chars)"],
      reasons: ['rule "ask-all": ask everything'],
    });
    await Deno.writeTextFile(`${file}.tmp`, JSON.stringify(request));
    await Deno.rename(`${file}.tmp`, file);
    approved = await thothCli(peer.home, ["approvals", "approve", id]);
    reply = await peer.wait((m: Json) => m.id === 1);
    await peer.waitStderr(
      new RegExp(
        `the answer to request ${id} is not for this call: the person was shown another ` +
          "server, tool, argument shape than this call has",
      ),
    );
  } finally {
    await peer.finish();
  }
  assert.equal(approved.code, 0, approved.stderr);
  assert.match(
    approved.stdout,
    new RegExp(`^${id}: approved by .* \\(once\\): tool "get_weather" on server "weather"`),
    "what was shown",
  );
  assert.deepEqual(await peer.serverCalls(), [], "the call did not run");
  const said: string = reply.result?.content?.[0]?.text ?? JSON.stringify(reply);
  assert.equal(reply.result?.isError, true, said);
  assert.match(said, /is not for this call/);
  const [approval] = await auditRecords(peer.home, "approval");
  assert.equal(approval.outcome, "error", JSON.stringify(approval));
  assert.match(Object.values(approval).join("\n"), /not for this call/);
});

Deno.test("thoth run: a signed answer that does not say what was shown (an earlier release's) is refused", async () => {
  const { peer, id } = await queued();
  try {
    const dir = `${peer.home}/approvals`;
    const { digest } = JSON.parse(await Deno.readTextFile(`${dir}/${id}.request.json`));
    const answer = { v: 1, id, digest, decision: "approve", by: "ana", at: Date.now() } as const;
    await signAnswer(peer.home, answer);
    await Deno.writeTextFile(`${dir}/.hand`, JSON.stringify(answer), { mode: 0o600 });
    await Deno.link(`${dir}/.hand`, `${dir}/${id}.answer.json`);
    await Deno.remove(`${dir}/.hand`);
    const reply = await peer.wait((m: Json) => m.id === 1);
    assert.match(JSON.stringify(reply), /does not say what the person was shown/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), [], "the call did not run");
  const [approval] = await auditRecords(peer.home, "approval");
  assert.equal(approval.outcome, "error");
});

Deno.test("thoth approvals approve: says what it approved, and --json names the server, tool and decision", async () => {
  const { peer, id } = await queued();
  let approved: { code: number; stdout: string; stderr: string };
  try {
    approved = await thothCli(peer.home, ["approvals", "approve", id, "--json"]);
    await peer.wait((m: Json) => m.id === 1);
  } finally {
    await peer.finish();
  }
  assert.equal(approved.code, 0, approved.stderr);
  const out = JSON.parse(approved.stdout);
  const [decision] = await auditRecords(peer.home, "decision");
  assert.equal(out.tool, "delete_everything");
  assert.equal(out.server, decision.server);
  assert.equal(out.decisionId, decision.decisionId);
  assert.equal((await peer.serverCalls()).length, 1, "the call ran");
});

Deno.test("thoth approvals deny: says what it denied; a control character in a tool name is kept and shown escaped", async () => {
  const weird = "del\u0007ete\r\nfake";
  const policy = {
    version: 1,
    default: "allow",
    rules: [{ id: "ask", match: { tool: "*" }, decision: "step_up" }],
  };
  const { peer, id } = await queued(weird, policy);
  let denied: { code: number; stdout: string; stderr: string };
  let list: { code: number; stdout: string; stderr: string };
  let json: Json;
  try {
    list = await thothCli(peer.home, ["approvals", "list"]);
    json = JSON.parse((await thothCli(peer.home, ["approvals", "list", "--json"])).stdout);
    denied = await thothCli(peer.home, ["approvals", "deny", id]);
    await peer.wait((m: Json) => m.id === 1);
  } finally {
    await peer.finish();
  }
  assert.match(list.stdout, /tool "del\\u0007ete\\u000d\\u000afake"/, list.stdout);
  assert.equal(json[0].tool, weird, "the exact name");
  assert.equal(denied.code, 0, denied.stderr);
  assert.match(
    denied.stdout,
    new RegExp(
      `^${id}: denied by .*: tool "del\\\\u0007ete\\\\u000d\\\\u000afake" on server "[^"]+" \\(decision d-[0-9a-f]+\\)\\n`,
    ),
  );
  assert.deepEqual(await peer.serverCalls(), []);
});
