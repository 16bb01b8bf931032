/**
 * The approval queue does not keep every request ever made: a waiting thoth
 * that files a request removes requests that expired more than ten minutes
 * ago, once their outcome is in the audit log (settled by their thoth, or a
 * person's answer their thoth took, or never answered), and keeps a request
 * still waiting, one that expired a moment ago, and a person's answer no
 * thoth marked taken (it may be in the files alone). And `list()`, called again and
 * again (as `thoth approvals watch` does), reads only the files of requests
 * that can still change: not those of every request on file.
 */
import assert from "node:assert/strict";
import { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { queueChannel } from "../../src/approval/queue_channel.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "./_waiting_request.ts";
import { filesLeft, requestsLeft, staleQueue } from "./_stale_queue.ts";

Deno.test("queueChannel: filing a request removes the files of requests long expired and recorded", async () => {
  const home = await tempFolder("thoth-queue-prune-");
  const ids = await staleQueue(home);
  const queue = ApprovalQueue.forHome(home);
  let own = "";
  const channel = queueChannel({ queue, pollMs: 10, user: "ana", onQueued: (id) => own = id });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 300);
  try {
    const answer = await channel.ask({
      question: {
        server: "srv",
        tool: "write",
        ruleIds: ["r"],
        reasons: [],
        decisionId: "d-9",
        shape: [],
        digest: "9".repeat(64),
      },
      request: { signal: new AbortController().signal } as never,
      signal: controller.signal,
      deadline: Date.now() + 300,
      allowSession: false,
    });
    assert.equal(answer.kind, "timeout");
  } finally {
    clearTimeout(timer);
  }
  assert.deepEqual(
    requestsLeft(home),
    [ids.untakenAnswer, ids.earlierReleaseAnswer, ids.recent, ids.pending, own].sort(),
    "only the requests long expired whose outcome the audit holds went",
  );
  for (const gone of [ids.closedByThoth, ids.takenAnswer, ids.unanswered]) {
    assert.equal(filesLeft(home).filter((name) => name.startsWith(gone)).length, 0, gone);
  }
  assert.ok(filesLeft(home).includes(`${ids.untakenAnswer}.answer.json`));
  assert.ok(filesLeft(home).includes(`${ids.earlierReleaseAnswer}.answer.json`));
  // Its own request, closed by itself, is marked taken: the next prune past the grace removes it.
  assert.ok(filesLeft(home).includes(`${own}.taken`), "the waiting thoth marked its answer taken");
});

Deno.test("ApprovalQueue.list(): a second look reads only the requests that can still change", async () => {
  const home = await tempFolder("thoth-queue-list-reads-");
  const queue = ApprovalQueue.forHome(home);
  const stale: string[] = [];
  for (let i = 0; i < 30; i++) {
    const digest = i.toString(16).padStart(64, "0");
    // Expired five minutes ago: not yet pruned, and no longer changing.
    const entry = await queue.submit(waitingRequest(digest, { expiresAt: Date.now() - 300_000 }));
    await queue.close(entry.id, "expired", digest);
    stale.push(entry.id);
  }
  const pending = await queue.submit(waitingRequest("f".repeat(64)));
  const first = await queue.list();
  assert.equal(first.length, 31);
  const open = Deno.open;
  const opened: string[] = [];
  const counting = (path: string | URL, options?: Deno.OpenOptions) => {
    opened.push(String(path));
    return open(path, options);
  };
  (Deno as unknown as { open: typeof Deno.open }).open = counting;
  let second;
  try {
    second = await queue.list();
  } finally {
    (Deno as unknown as { open: typeof Deno.open }).open = open;
  }
  assert.deepEqual(second, first, "the same listing");
  assert.deepEqual(
    opened.map((path) => path.slice(path.lastIndexOf("/") + 1)),
    [`${pending.id}.request.json`],
    "only the waiting request was read again",
  );
  // A file of a settled request that changes is read again: nothing stale is shown.
  const changed = stale[0]!;
  await Deno.remove(`${queue.dir}/${changed}.answer.json`);
  const third = await queue.list();
  assert.equal(third.find((item) => item.entry.id === changed)?.state, "expired");
  assert.equal(third.find((item) => item.entry.id === changed)?.answer, undefined);
});
