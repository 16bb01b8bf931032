/**
 * A person's answer in the approval queue counts only with its MAC: an
 * HMAC under a key derived from the profile's audit key, made by `thoth
 * approvals` and carried as the name of a file beside the answer (see
 * `answer_mac.ts`). Whoever can write the queue folder but not read the keys
 * can write an answer file, not its MAC: a real `thoth run` refuses such an
 * answer (it is what a forger, or a `thoth approvals` older than this
 * release, writes), records and names the refusal, and does not run the
 * call. A genuine answer still runs it; an answer whose fields changed after
 * it was signed, or signed with another profile's key, is refused; and
 * `thoth approvals` without the key writes nothing.
 */
import assert from "node:assert/strict";
import { AnswerMacKey, answerMacName } from "../../src/approval/answer_mac.ts";
import { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { UNSIGNED_ANSWER } from "../../src/approval/read_owned_answer.ts";
import type { QueueAnswer } from "../../src/approval/queue_record.ts";
import { isAppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";
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
import { queueWithKeys, signAnswer } from "./_signed_answers.ts";
import { waitingRequest } from "./_waiting_request.ts";

/** Links `answer` into place as `id`'s answer, as a settler does (temp file, link, remove). */
async function linkAnswer(home: string, answer: QueueAnswer): Promise<void> {
  const dir = `${home}/approvals`;
  await Deno.writeTextFile(`${dir}/.hand`, JSON.stringify(answer), { mode: 0o600 });
  await Deno.link(`${dir}/.hand`, `${dir}/${answer.id}.answer.json`);
  await Deno.remove(`${dir}/.hand`);
}

/** Starts thoth, queues one STEP_UP call; returns the peer, the request id and its digest. */
async function queued(): Promise<{ peer: GovernedPeer; id: string; digest: string }> {
  const peer = await GovernedPeer.start(ASK_BEFORE_DELETE, { flags: blockFlags(30) });
  try {
    await peer.send(toolCall(1, "delete_everything", { x: 1 }));
    const id = await queuedId(peer);
    const entry = JSON.parse(await Deno.readTextFile(`${peer.home}/approvals/${id}.request.json`));
    return { peer, id, digest: entry.digest };
  } catch (error) {
    await peer.finish();
    throw error;
  }
}

Deno.test("thoth run: an answer file without its MAC is refused, recorded and named, and the call does not run", async () => {
  const { peer, id, digest } = await queued();
  let reply: Json;
  try {
    // Well formed, for this call's arguments, linked as a settler links it: only the MAC is missing.
    await linkAnswer(peer.home, {
      v: 1,
      id,
      digest,
      decision: "approve",
      by: "ana",
      at: Date.now(),
    });
    reply = await peer.wait((m: Json) => m.id === 1);
    await peer.waitStderr(
      /thoth: warning: the answer file ".*\.answer\.json" is not signed: no MAC made with this profile's key/,
    );
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), [], "the call did not run");
  const said: string = reply.result?.content?.[0]?.text ?? JSON.stringify(reply);
  assert.equal(reply.result?.isError, true, said);
  assert.match(said, new RegExp(`the answer to request ${id} is not signed`));
  assert.match(said, /older than this release/, "an older thoth approvals is named as a cause");
  assert.doesNotMatch(said, /approvals\//, "no local path for the model");

  const [approval] = await auditRecords(peer.home, "approval");
  assert.equal(approval.outcome, "error");
  assert.equal(approval.approver, undefined, "no one is named as the approver");
  assert.match(Object.values(approval).join("\n"), /is not signed/);

  const list = await thothCli(peer.home, ["approvals", "list", "--all"]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`${id} .*\\[refused: the answer file is not signed: `));
  assert.doesNotMatch(list.stdout, /approved by/);
  const [item] = JSON.parse(
    (await thothCli(peer.home, ["approvals", "list", "--all", "--json"])).stdout,
  );
  assert.equal(item.answer.decision, "deny");
  assert.match(item.answer.problem, /not signed/);
  // Nothing can be written over it.
  const again = await thothCli(peer.home, ["approvals", "approve", id]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /cannot be answered: .*is not signed/);
});

Deno.test("thoth run: an answer from thoth approvals runs the call, its MAC named beside it", async () => {
  const { peer, id } = await queued();
  let reply: Json;
  try {
    const approved = await thothCli(peer.home, ["approvals", "approve", id]);
    assert.equal(approved.code, 0, approved.stderr);
    reply = await peer.wait((m: Json) => m.id === 1);
  } finally {
    await peer.finish();
  }
  assert.equal(reply.result?.isError, undefined, JSON.stringify(reply));
  assert.equal((await peer.serverCalls()).length, 1, "the call ran");
  const names = [...Deno.readDirSync(`${peer.home}/approvals`)].map((e) => e.name);
  assert.equal(
    names.filter((n) => new RegExp(`^${id}\\.[0-9a-f]{64}\\.answer-mac$`).test(n)).length,
    1,
  );
  const [approval] = await auditRecords(peer.home, "approval");
  assert.equal(approval.outcome, "approved");
});

Deno.test("thoth run: an answer signed with another profile's key is refused", async () => {
  const { peer, id, digest } = await queued();
  try {
    const answer = { v: 1, id, digest, decision: "approve", by: "ana", at: Date.now() } as const;
    // A MAC made with the key of another profile, where this one's would be looked for.
    const other = await tempFolder("thoth-other-profile-");
    await signAnswer(other, answer);
    const [name] = [...Deno.readDirSync(`${other}/approvals`)].map((e) => e.name);
    await Deno.copyFile(`${other}/approvals/${name}`, `${peer.home}/approvals/${name}`);
    await linkAnswer(peer.home, answer);
    const reply = await peer.wait((m: Json) => m.id === 1);
    assert.match(JSON.stringify(reply), /is not signed/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), []);
});

Deno.test("ApprovalQueue: an answer changed after it was signed is not signed; the one signed is", async () => {
  const home = await tempFolder("thoth-answer-mac-");
  const queue = await queueWithKeys(home);
  const key = new AnswerMacKey(
    (await import("../../src/audit/device_keys.ts").then((m) => m.loadDeviceKeys(home, new Date())))
      .hmacRaw,
  );
  const entry = await queue.submit(waitingRequest("a".repeat(64)));
  const answer = await queue.settle(entry.id, { decision: "deny", by: "ana", reason: "no" });
  assert.equal((await queue.ownedAnswer(entry.id, { key }))?.unsigned, undefined);
  assert.equal((await queue.ownedAnswer(entry.id, { key }))?.answer.decision, "deny");
  // Each field is covered: the same file with one field changed has no MAC beside it.
  const changes: Partial<QueueAnswer>[] = [
    { decision: "approve" },
    { by: "root" },
    { reason: "yes" },
    { at: answer.at + 1 },
    { digest: "b".repeat(64) },
  ];
  for (const change of changes) {
    await Deno.remove(`${queue.dir}/${entry.id}.answer.json`);
    await Deno.writeTextFile(
      `${queue.dir}/${entry.id}.answer.json`,
      JSON.stringify({ ...answer, ...change }),
    );
    const owned = await queue.ownedAnswer(entry.id, { key });
    assert.equal(owned?.unsigned, UNSIGNED_ANSWER, JSON.stringify(change));
    assert.equal(owned?.answer.decision, "deny");
    assert.equal(owned?.ownerUid, null);
    // Read without a key (pruning), it is what it says.
    assert.equal((await queue.ownedAnswer(entry.id))?.unsigned, undefined);
  }
  // A thoth's own close needs no MAC: it lets no call run.
  const closed = await queue.submit(waitingRequest("c".repeat(64)));
  await queue.close(closed.id, "expired", "c".repeat(64));
  assert.equal((await queue.ownedAnswer(closed.id, { key }))?.answer.decision, "expired");
});

Deno.test("AnswerMacKey: the MAC is HMAC-SHA256 under HMAC(audit key, label), over the answer's fields", async () => {
  const audit = new Uint8Array(32).map((_, i) => i);
  const answer: QueueAnswer = {
    v: 1,
    id: "k3f9x2qa",
    digest: "d".repeat(64),
    decision: "approve",
    by: "ana",
    at: 1_700_000_000_000,
  };
  // The same computed with Web Crypto, independently of thoth's own SHA-256.
  const hmac = async (key: Uint8Array, data: Uint8Array) => {
    const k = await crypto.subtle.importKey(
      "raw",
      key as Uint8Array<ArrayBuffer>,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return new Uint8Array(await crypto.subtle.sign("HMAC", k, data as Uint8Array<ArrayBuffer>));
  };
  const enc = new TextEncoder();
  const derived = await hmac(audit, enc.encode("thoth approval answer mac v1"));
  const input = JSON.stringify([
    "thoth approval answer mac v1",
    1,
    "k3f9x2qa",
    "d".repeat(64),
    "approve",
    "ana",
    null,
    1_700_000_000_000,
  ]);
  const expected = Array.from(
    await hmac(derived, enc.encode(input)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const mac = new AnswerMacKey(audit).mac(answer);
  assert.equal(mac, expected);
  assert.equal(answerMacName(answer.id, mac), `k3f9x2qa.${expected}.answer-mac`);
  assert.notEqual(new AnswerMacKey(audit).mac({ ...answer, reason: "" }), mac);
});

Deno.test("thoth approvals approve writes nothing when it cannot read the profile's key", async () => {
  const home = await tempFolder("thoth-answer-nokey-");
  // A request as a waiting thoth leaves it, but the profile has no keys (moved away, say).
  const queue = ApprovalQueue.forHome(home);
  const entry = await queue.submit(waitingRequest("a".repeat(64)));
  const out = await thothCli(home, ["approvals", "approve", entry.id]);
  assert.equal(out.code, 1, out.stdout);
  assert.match(
    out.stderr,
    /thoth: error: cannot sign the answer: cannot read the audit HMAC key ".*audit-hmac\.key": there is no such file/,
  );
  assert.match(out.stderr, /thoth: hint: answer as the user the waiting thoth runs as/);
  assert.deepEqual(
    [...Deno.readDirSync(queue.dir)].map((e) => e.name).filter((n) => n.startsWith(entry.id)),
    [`${entry.id}.request.json`],
    "no answer and no MAC",
  );
  await assert.rejects(Deno.stat(`${home}/keys`), Deno.errors.NotFound, "no key was made");
  await assert.rejects(
    queue.settle(entry.id, { decision: "deny", by: "ana" }),
    (e) => isAppError(e, "approval.no_answer_key"),
  );
});
