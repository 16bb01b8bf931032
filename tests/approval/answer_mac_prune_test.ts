/**
 * The MAC file beside a person's answer (`<id>.<mac>.answer-mac`, see
 * `answer_mac.ts`) goes with its request when pruning removes it, and one
 * left without its request (an earlier release's pruning knows nothing of
 * it, or an answer that lost the race to its request's close) goes once it
 * is older than the grace; pruning never takes a MAC away from an answer it
 * keeps.
 */
import assert from "node:assert/strict";
import { pruneQueue } from "../../src/approval/prune_queue.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { queueWithKeys } from "./_signed_answers.ts";
import { waitingRequest } from "./_waiting_request.ts";

const MINUTE = 60_000;
const MAC_FILE = /^[a-z0-9]{8}\.[0-9a-f]{64}\.answer-mac$/;

/** The MAC files in `dir`. */
function macFiles(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => MAC_FILE.test(n)).sort();
}

Deno.test("pruneQueue() removes an answer's MAC file with its request, and keeps it with a kept answer", async () => {
  const home = await tempFolder("thoth-mac-prune-");
  const queue = await queueWithKeys(home);
  const taken = await queue.submit(waitingRequest("a".repeat(64)));
  const untaken = await queue.submit(waitingRequest("b".repeat(64)));
  await queue.settle(taken.id, { decision: "deny", by: "ana" });
  await queue.settle(untaken.id, { decision: "deny", by: "ana" });
  await queue.markTaken(taken.id);
  assert.equal(macFiles(queue.dir).length, 2);
  const later = Math.max(taken.expiresAt, untaken.expiresAt) + 11 * MINUTE;
  assert.equal(await pruneQueue(queue, { ownerUid: Deno.uid(), now: later }), 1);
  assert.deepEqual(
    [...Deno.readDirSync(queue.dir)].map((e) => e.name).filter((n) => n.startsWith(taken.id)),
    [],
    "request, answer, MAC and marker went",
  );
  const kept = macFiles(queue.dir);
  assert.equal(kept.length, 1);
  assert.ok(kept[0]!.startsWith(untaken.id), "the answer no thoth took keeps its MAC");
  // The answer kept still verifies.
  const listed = await queue.list();
  assert.equal(listed.find((i) => i.entry.id === untaken.id)?.answerProblem, undefined);
});

Deno.test("pruneQueue() removes a MAC file left without its request once it is older than the grace", async () => {
  const home = await tempFolder("thoth-mac-lone-");
  const queue = await queueWithKeys(home);
  const now = Date.now();
  const old = `zzzzzzzz.${"1".repeat(64)}.answer-mac`;
  const young = `yyyyyyyy.${"2".repeat(64)}.answer-mac`;
  await Deno.mkdir(queue.dir, { mode: 0o700 });
  for (const name of [old, young]) {
    await Deno.writeTextFile(`${queue.dir}/${name}`, "{}", { mode: 0o600 });
  }
  const long = new Date(now - 20 * MINUTE);
  await Deno.utime(`${queue.dir}/${old}`, long, long);
  await pruneQueue(queue, { ownerUid: Deno.uid(), now });
  assert.deepEqual(macFiles(queue.dir), [young]);
});
