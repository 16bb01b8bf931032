/**
 * A malformed `<id>.answer.json` (here a digest that is not hex) settles
 * nothing in its writer's name: the call is refused (fail closed), and the
 * model, the audit, stderr and `thoth approvals list --all` all say the
 * answer file is malformed and what is wrong, never that the answer did not
 * match the call's arguments, and never name the file's owner as a denier.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
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
import { queueWithKeys } from "./_signed_answers.ts";

const DIGEST_WRONG = /malformed: "digest" is not 64 lowercase hex digits/;

Deno.test("thoth run: a malformed answer file is refused and reported as malformed everywhere", async () => {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: blockFlags(30) });
  let id: string;
  let reply: Json;
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    id = await queuedId(peer);
    const body = { v: 1, id, digest: "zz", decision: "approve", by: "x", at: 1 };
    await Deno.writeTextFile(
      `${peer.home}/approvals/${id}.answer.json`,
      JSON.stringify(body),
    );
    reply = await peer.wait((m: Json) => m.id === 1);
    await peer.waitStderr(
      /thoth: warning: the answer file ".*\.answer\.json" is malformed: "digest" is not 64 lowercase hex digits; the call was not approved/,
    );
  } finally {
    await peer.finish();
  }
  const said: string = reply.result?.content?.[0]?.text ?? JSON.stringify(reply);
  assert.match(said, DIGEST_WRONG);
  assert.doesNotMatch(said, /does not match this call's arguments/);
  assert.doesNotMatch(said, /approvals\//, "no local path for the model");
  assert.deepEqual(await peer.serverCalls(), [], "nothing ran");

  const approvals = await auditRecords(peer.home, "approval");
  assert.equal(approvals.length, 1);
  assert.notEqual(approvals[0].outcome, "approved");
  assert.match(Object.values(approvals[0]).join("\n"), DIGEST_WRONG);
  assert.doesNotMatch(JSON.stringify(approvals[0]), /does not match this call's arguments/);

  const list = await thothCli(peer.home, ["approvals", "list", "--all"]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /\[refused: the answer file is malformed: "digest" is not 64/);
  assert.doesNotMatch(list.stdout, /denied by|claims "unknown"/);
  const json = JSON.parse(
    (await thothCli(peer.home, ["approvals", "list", "--all", "--json"])).stdout,
  );
  assert.equal(json[0].answer.decision, "deny");
  assert.match(json[0].answer.problem, /malformed/);
  assert.equal(json[0].answer.by, undefined, "no one is named as the writer");

  const cli = await thothCli(peer.home, ["approvals", "approve", id]);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /malformed/);
});

Deno.test("queue: a malformed answer names no owner and says what is wrong", async () => {
  const home = await Deno.makeTempDir({ prefix: "thoth-malformed-answer-" });
  try {
    const queue = await queueWithKeys(home);
    const entry = await queue.submit({
      expiresAt: Date.now() + 60_000,
      server: "srv",
      tool: "write",
      ruleIds: ["r"],
      reasons: [],
      decisionId: "d-1",
      shape: [],
      digest: "a".repeat(64),
      allowSession: false,
      pid: Deno.pid,
    });
    const path = `${queue.dir}/${entry.id}.answer.json`;
    const cases: [string, RegExp][] = [
      ["not json", /it is not JSON/],
      ["[]", /not a JSON object/],
      [
        JSON.stringify({ v: 1, id: entry.id, digest: "zz", decision: "approve", by: "x", at: 1 }),
        /"digest"/,
      ],
      [
        JSON.stringify({
          v: 1,
          id: "zzzzzzzz",
          digest: "a".repeat(64),
          decision: "approve",
          by: "x",
          at: 1,
        }),
        /"id" names another request/,
      ],
      [
        JSON.stringify({
          v: 1,
          id: entry.id,
          digest: "a".repeat(64),
          decision: "yes",
          by: "x",
          at: 1,
        }),
        /"decision" is not one of/,
      ],
      [
        JSON.stringify({
          v: 1,
          id: entry.id,
          digest: "a".repeat(64),
          decision: "approve",
          by: "x",
          at: 1,
          extra: 1,
        }),
        /^it has a field an answer never holds$/,
      ],
    ];
    for (const [text, why] of cases) {
      await Deno.writeTextFile(path, text);
      const owned = await queue.ownedAnswer(entry.id);
      assert.equal(owned?.ownerUid, null, text);
      assert.match(owned?.malformed ?? "", why, text);
      assert.equal(owned?.answer.decision, "deny");
      const [item] = await queue.list();
      assert.match(item?.answerProblem ?? "", /^the answer file is malformed: /);
      await assert.rejects(
        queue.settle(entry.id, { decision: "approve", by: "ana" }),
        (e) => isAppError(e, "approval.answer_refused") && /malformed/.test(e.message),
      );
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
