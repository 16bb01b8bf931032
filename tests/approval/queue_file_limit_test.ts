/**
 * Queue files are read only up to `QUEUE_FILE_LIMIT`: an answer, outcome or
 * request file larger than that is no such file, refused without being read
 * whole (a sparse file of a GiB costs nothing to make), even when it would
 * parse; and `approvals list`, a reader that decides nothing, looks at a
 * hard-linked outcome file only a few times before it counts as none.
 */
import assert from "node:assert/strict";
import type { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { QUEUE_FILE_LIMIT } from "../../src/approval/queue_record.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "./_waiting_request.ts";
import { queueWithKeys } from "./_signed_answers.ts";

const waiting = (digest: string) => waitingRequest(digest);

async function queueIn(): Promise<ApprovalQueue> {
  return await queueWithKeys(await tempFolder("thoth-queue-limit-"));
}

/** `value` as JSON, padded with white space (still valid JSON) past the limit. */
function padded(value: unknown): string {
  return JSON.stringify(value) + " ".repeat(QUEUE_FILE_LIMIT + 1);
}

/** The outcome file a waiting thoth writes when the client cancelled `entry`'s call. */
function withdrawn(entry: { id: string; digest: string }) {
  return {
    v: 1,
    id: entry.id,
    digest: entry.digest,
    outcome: "withdrawn",
    reason: "the client cancelled the call while it waited",
    at: Date.now(),
  };
}

Deno.test("an answer file over the limit is malformed, not an approval, though it would parse", async () => {
  const queue = await queueIn();
  const entry = await queue.submit(waiting("a".repeat(64)));
  const answer = {
    v: 1,
    id: entry.id,
    digest: entry.digest,
    decision: "approve",
    by: "ana",
    at: Date.now(),
  };
  await Deno.writeTextFile(`${queue.dir}/${entry.id}.answer.json`, padded(answer));
  const owned = await queue.ownedAnswer(entry.id);
  assert.equal(owned?.answer.decision, "deny");
  assert.match(owned?.malformed ?? "", /larger than 256 KiB/);
  const [item] = await queue.list();
  assert.match(item?.answerProblem ?? "", /the answer file is malformed: it is larger than/);
});

Deno.test("an outcome file over the limit is no outcome, though it would parse", async () => {
  const queue = await queueIn();
  const entry = await queue.submit(waiting("a".repeat(64)));
  await queue.settle(entry.id, { decision: "approve", by: "ana" });
  await Deno.writeTextFile(`${queue.dir}/${entry.id}.outcome.json`, padded(withdrawn(entry)));
  assert.equal(await queue.outcome(entry), undefined);
  const [item] = await queue.list();
  assert.equal(item?.callFate, undefined);
  assert.equal(item?.answer?.decision, "approve");
});

Deno.test("a request file over the limit is no request, though it would parse", async () => {
  const queue = await queueIn();
  const entry = await queue.submit(waiting("a".repeat(64)));
  await Deno.writeTextFile(`${queue.dir}/${entry.id}.request.json`, padded(entry));
  assert.equal(await queue.entry(entry.id), null);
  assert.deepEqual(await queue.list(), []);
});

Deno.test("a sparse 1 GiB answer or outcome file is refused at once, never read", async () => {
  const queue = await queueIn();
  const settled = await queue.submit(waiting("a".repeat(64)));
  await queue.settle(settled.id, { decision: "approve", by: "ana" });
  await Deno.writeTextFile(`${queue.dir}/${settled.id}.outcome.json`, "");
  await Deno.truncate(`${queue.dir}/${settled.id}.outcome.json`, 1024 ** 3);
  const answered = await queue.submit(waiting("b".repeat(64)));
  await Deno.writeTextFile(`${queue.dir}/${answered.id}.answer.json`, "");
  await Deno.truncate(`${queue.dir}/${answered.id}.answer.json`, 1024 ** 3);
  const started = performance.now();
  const items = await queue.list();
  const took = performance.now() - started;
  assert.ok(took < 1500, `listing took ${Math.round(took)} ms`);
  const byId = new Map(items.map((i) => [i.entry.id, i]));
  assert.equal(byId.get(settled.id)?.callFate, undefined);
  assert.match(byId.get(answered.id)?.answerProblem ?? "", /larger than 256 KiB/);
});

Deno.test("the list looks at a hard-linked outcome file only briefly before it counts as none", async () => {
  const queue = await queueIn();
  const outside = `${await tempFolder("thoth-queue-limit-outside-")}/outcome.json`;

  for (let i = 0; i < 10; i++) {
    const entry = await queue.submit(waiting("c".repeat(64)));
    await queue.settle(entry.id, { decision: "approve", by: "ana" });
    await Deno.writeTextFile(
      `${outside}-${i}`,
      JSON.stringify(withdrawn(entry)),
    );
    await Deno.link(`${outside}-${i}`, `${queue.dir}/${entry.id}.outcome.json`);
  }
  const started = performance.now();
  const items = await queue.list();
  const took = performance.now() - started;
  assert.equal(items.length, 10);
  for (const item of items) assert.equal(item.callFate, undefined, "a linked outcome is none");
  // 25 looks 20 ms apart for each would be 5 s.
  assert.ok(took < 2000, `listing took ${Math.round(took)} ms`);
});
