/**
 * Pruning removes a person's answer only once the waiting thoth read it,
 * recorded it, and made its `<id>.taken` marker: the request file's time,
 * which the thoth moves every second while it waits, says nothing about a
 * read. So an answer that came just before a refresh, from a thoth killed
 * before its next look, stays on file; an answer the thoth read and recorded
 * goes, marker and all; and an answer written the same millisecond as the
 * request's time stays.
 */
import assert from "node:assert/strict";
import type { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { pruneQueue } from "../../src/approval/prune_queue.ts";
import { queueChannel } from "../../src/approval/queue_channel.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "./_waiting_request.ts";
import { queueWithKeys } from "./_signed_answers.ts";

const MINUTE = 60_000;

/** The names in `queue`'s folder that belong to request `id`. */
function filesOf(queue: ApprovalQueue, id: string): string[] {
  return [...Deno.readDirSync(queue.dir)].map((e) => e.name).filter((n) => n.startsWith(id))
    .sort();
}

Deno.test("pruneQueue() keeps a person's answer that came between its thoth's look and its refresh", async () => {
  const home = await tempFolder("thoth-taken-race-");
  const queue = await queueWithKeys(home);
  const entry = await queue.submit(waitingRequest("a".repeat(64)));
  // The waiting thoth looks: no answer yet.
  assert.equal(await queue.ownedAnswer(entry.id), undefined);
  // A person denies it.
  await queue.settle(entry.id, { decision: "deny", by: "ana", reason: "not now" });
  // The thoth's refresh, due every second, lands after the answer; then it is killed.
  await new Promise((resolve) => setTimeout(resolve, 5));
  await queue.refresh(entry.id);
  const removed = await pruneQueue(queue, {
    ownerUid: Deno.uid(),
    now: entry.expiresAt + 11 * MINUTE,
  });
  assert.equal(removed, 0);
  assert.deepEqual(
    filesOf(queue, entry.id).map((name) => name.replace(/\.[0-9a-f]{64}\./, ".<mac>.")).sort(),
    [`${entry.id}.<mac>.answer-mac`, `${entry.id}.answer.json`, `${entry.id}.request.json`],
    "the answer no thoth read is kept (with its MAC): the audit log does not hold it",
  );
});

Deno.test("pruneQueue() keeps an unread answer whose file has the request's millisecond", async () => {
  const home = await tempFolder("thoth-taken-same-ms-");
  const queue = await queueWithKeys(home);
  const entry = await queue.submit(waitingRequest("b".repeat(64)));
  await queue.settle(entry.id, { decision: "deny", by: "ana" });
  // The request's time in the same millisecond as the answer's (a refresh right after it).
  const answered = (await Deno.stat(`${queue.dir}/${entry.id}.answer.json`)).mtime!;
  const same = new Date(answered.getTime());
  await Deno.utime(`${queue.dir}/${entry.id}.request.json`, same, same);
  await pruneQueue(queue, { ownerUid: Deno.uid(), now: entry.expiresAt + 11 * MINUTE });
  assert.ok(filesOf(queue, entry.id).includes(`${entry.id}.answer.json`));
});

Deno.test("queueChannel marks the answer it read taken once its record is written, and pruning then removes it with the marker", async () => {
  const home = await tempFolder("thoth-taken-read-");
  const queue = await queueWithKeys(home);
  let id = "";
  let settling: Promise<unknown> = Promise.resolve();
  const channel = queueChannel({
    queue,
    pollMs: 10,
    user: "ana",
    onQueued: (queued) => {
      id = queued;
      // A person answers while the thoth waits.
      settling = new Promise((resolve) => setTimeout(resolve, 30))
        .then(() => queue.settle(queued, { decision: "deny", by: "ana" }));
    },
  });
  const deadline = Date.now() + 5_000;
  const answer = await channel.ask({
    question: {
      server: "srv",
      tool: "write",
      ruleIds: ["r"],
      reasons: [],
      decisionId: "d-1",
      shape: [],
      digest: "c".repeat(64),
    },
    request: { signal: new AbortController().signal } as never,
    signal: new AbortController().signal,
    deadline,
    allowSession: false,
  });
  await settling;
  assert.equal(answer.kind, "deny");
  // Read, but not yet in the audit: no marker until the record is written (see
  // queue_taken_after_record_test.ts); the session's audit then calls `taken`.
  assert.equal(filesOf(queue, id).includes(`${id}.taken`), false);
  await answer.taken?.();
  const marker = await Deno.lstat(`${queue.dir}/${id}.taken`);
  assert.ok(marker.isFile, "the thoth made its marker once the answer's record was written");
  if (Deno.build.os !== "windows") assert.equal(marker.mode! & 0o777, 0o600);
  // The listing shows the request as answered, nothing more.
  const listed = await queue.list();
  assert.deepEqual(listed.map((item) => [item.entry.id, item.state]), [[id, "settled"]]);
  const removed = await pruneQueue(queue, { ownerUid: Deno.uid(), now: deadline + 11 * MINUTE });
  assert.equal(removed, 1);
  assert.deepEqual(filesOf(queue, id), [], "request, answer and marker went");
});

Deno.test("pruneQueue() counts no symbolic link as a marker, and removes a marker left without its request", async () => {
  const home = await tempFolder("thoth-taken-odd-");
  const queue = await queueWithKeys(home);
  const entry = await queue.submit(waitingRequest("d".repeat(64)));
  await queue.settle(entry.id, { decision: "approve", by: "ana" });
  const elsewhere = `${home}/elsewhere`;
  await Deno.writeTextFile(elsewhere, "{}");
  await Deno.symlink(elsewhere, `${queue.dir}/${entry.id}.taken`);
  // A marker whose request an earlier release's pruning removed.
  const lone = "zzzzzzzz";
  await Deno.writeTextFile(`${queue.dir}/${lone}.taken`, "{}", { mode: 0o600 });
  const later = entry.expiresAt + 11 * MINUTE;
  const old = new Date(later - 20 * MINUTE);
  await Deno.utime(`${queue.dir}/${lone}.taken`, old, old);
  const listed = await queue.list();
  assert.deepEqual(listed.map((item) => item.entry.id), [entry.id], "markers are no requests");
  await pruneQueue(queue, { ownerUid: Deno.uid(), now: later });
  assert.ok(filesOf(queue, entry.id).includes(`${entry.id}.answer.json`), "a link marks nothing");
  assert.deepEqual(filesOf(queue, lone), []);
  assert.equal(await Deno.readTextFile(elsewhere), "{}");
});
