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

/**
 * `work`'s result and the bytes read from files while it ran, through a file
 * handle or whole (this test file runs on a thread of its own, with its own
 * `Deno`, so only its own reads are counted).
 */
async function bytesRead<T>(work: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  const { read } = Deno.FsFile.prototype;
  const { readFile } = Deno;
  let bytes = 0;
  Deno.FsFile.prototype.read = async function (buffer: Uint8Array) {
    const n = await read.call(this, buffer);
    bytes += n ?? 0;
    return n;
  };
  Deno.readFile = async (...args: Parameters<typeof readFile>) => {
    const whole = await readFile(...args);
    bytes += whole.length;
    return whole;
  };
  try {
    return { value: await work(), bytes };
  } finally {
    Deno.FsFile.prototype.read = read;
    Deno.readFile = readFile;
  }
}

/** `work`'s result and how often it looked at an outcome file (`lstat`, `stat` or `open`). */
async function outcomeLooks<T>(work: () => Promise<T>): Promise<{ value: T; looks: number }> {
  const { lstat, stat, open } = Deno;
  let looks = 0;
  const count = (path: string | URL) => {
    if (String(path).endsWith(".outcome.json")) looks++;
  };
  Deno.lstat = (path, ...rest) => (count(path), lstat(path, ...rest));
  Deno.stat = (path, ...rest) => (count(path), stat(path, ...rest));
  Deno.open = (path, ...rest) => (count(path), open(path, ...rest));
  try {
    return { value: await work(), looks };
  } finally {
    Object.assign(Deno, { lstat, stat, open });
  }
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
  // Counted: the bytes read, not the time taken (which a machine busy with other tests
  // stretches). Each file is read one byte past the limit at most, never its GiB.
  const { value: items, bytes } = await bytesRead(() => queue.list());
  assert.ok(bytes <= 4 * QUEUE_FILE_LIMIT, `listing read ${bytes} bytes`);
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
  const { value: items, looks } = await outcomeLooks(() => queue.list());
  assert.equal(items.length, 10);
  for (const item of items) assert.equal(item.callFate, undefined, "a linked outcome is none");
  // Counted, not timed (a machine busy with other tests stretches the time): a few looks at
  // each, where a waiting thoth's 25 looks 20 ms apart would be 250 and 5 s.
  assert.ok(looks <= 10 * 8, `${looks} looks at the 10 linked outcome files`);
});
