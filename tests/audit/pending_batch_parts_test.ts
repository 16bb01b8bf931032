// A writer names each part of a batch (at most 64 records) in the intent it
// writes before the part, so the intent vouches for wherever a kill in the
// middle of a large batch leaves the log's end; an earlier release's intent
// of a large batch, which lists no leaves, is read as before. Records taken
// in that no intent vouched for are tampering when they hold decision or
// approval records; inside an earlier release's large batch they stay a
// warning.
import assert from "node:assert/strict";
import {
  encodePendingBatch,
  insideUnnamedBatch,
  MAX_PENDING_LEAVES,
  parsePendingBatch,
  type PendingBatch,
  pendingMacKey,
  pendingVouch,
} from "../../src/audit/pending_batch.ts";
import { NO_INTENT } from "../../src/audit/past_the_count.ts";
import { PAST_THE_COUNT } from "../../src/audit/unvouched_tail.ts";
import { tailTakenInFinding } from "../../src/audit/tail_taken_in_finding.ts";

const key = pendingMacKey(new Uint8Array(32).fill(9));
const leaf = (i: number) => i.toString(16).padStart(64, "0");
const at = (size: number) => ({ size, last: leaf(size - 1) });

/** The intent before the third part of a batch of 200 records built on 10 (records 10..209). */
const third: PendingBatch = {
  base: at(10),
  start: at(10),
  done: at(138),
  end: at(202),
  part: Array.from({ length: 64 }, (_, i) => leaf(138 + i)),
};
const text = (batch: PendingBatch) => new TextDecoder().decode(encodePendingBatch(key, batch));

Deno.test("pendingVouch() vouches for every point of the part an intent names, and where the batch starts and its earlier parts end", () => {
  const read = parsePendingBatch(key, text(third));
  assert.deepEqual(read, third);
  for (let size = 138; size <= 202; size++) {
    assert.equal(pendingVouch(read, third.base, at(size)), size, `log ending at ${size}`);
  }
  assert.equal(pendingVouch(read, third.base, at(10)), 10);
  // A part written whole before this intent: a kill no longer leaves the log ending inside it.
  assert.equal(pendingVouch(read, third.base, at(100)), undefined);
  assert.equal(pendingVouch(read, third.base, at(203)), undefined);
  assert.equal(pendingVouch(read, third.base, { size: 150, last: leaf(999) }), undefined);
  assert.equal(pendingVouch(read, at(11), at(150)), undefined);
  assert.equal(insideUnnamedBatch(read, third.base, 150), false);
});

Deno.test("parsePendingBatch() refuses a part intent whose leaves are not its part's, too many, or a version 1 intent's MAC under version 2", () => {
  const short = { ...third, part: third.part!.slice(1) };
  assert.equal(parsePendingBatch(key, text(short)), undefined);
  const long: PendingBatch = {
    ...third,
    end: at(203),
    part: Array.from({ length: MAX_PENDING_LEAVES + 1 }, (_, i) => leaf(138 + i)),
  };
  assert.equal(parsePendingBatch(key, text(long)), undefined);
  // The same points and leaves under version 1 read from `start`: its MAC is no version 2 MAC.
  const { part, ...rest } = third;
  const v1 = text({ ...rest, leaves: part! });
  const relabelled = v1.replace(`{"v":1,`, `{"v":2,`).replace(`"leaves":`, `"part":`);
  assert.equal(parsePendingBatch(key, relabelled), undefined);
  assert.equal(parsePendingBatch(key, text(third).replace(`"size":202`, `"size":201`)), undefined);
});

Deno.test("an earlier release's intent of a batch of more than 64 records is read as before: only its ends vouch, and the log ending inside it is an unnamed point", () => {
  const v1: PendingBatch = { base: at(10), start: at(10), done: at(10), end: at(210) };
  const encoded = text(v1);
  assert.match(encoded, /^\{"v":1,/);
  const read = parsePendingBatch(key, encoded);
  assert.deepEqual(read, v1);
  assert.equal(pendingVouch(read, v1.base, at(210)), 210);
  assert.equal(pendingVouch(read, v1.base, at(150)), undefined);
  assert.equal(insideUnnamedBatch(read, v1.base, 150), true);
  assert.equal(insideUnnamedBatch(read, v1.base, 210), false);
  assert.equal(insideUnnamedBatch(read, at(11), 150), false);
  const listed = { ...v1, end: at(13), leaves: [leaf(10), leaf(11), leaf(12)] };
  assert.equal(pendingVouch(parsePendingBatch(key, text(listed)), v1.base, at(12)), 12);
  assert.equal(insideUnnamedBatch(parsePendingBatch(key, text(listed)), v1.base, 12), false);
});

Deno.test("tailTakenInFinding() makes decision or approval records no intent vouched for tampering; the reason earlier builds wrote stays a warning", () => {
  const record = (reason: string) => ({ firstSeq: 20, lastSeq: 22, count: 3, reason });
  const gating = () => [21];
  const none = () => [];
  const forged = tailTakenInFinding(record(NO_INTENT), 23, "seg.jsonl", gating);
  assert.equal(forged.severity, "tamper");
  assert.deepEqual([forged.seq, forged.toSeq], [20, 22]);
  assert.match(forged.message, /they hold decision or approval records \(seq 21\)/);
  assert.equal(tailTakenInFinding(record(NO_INTENT), 23, "seg.jsonl", none).severity, "warning");
  assert.match(
    tailTakenInFinding(record(NO_INTENT), 23, "seg.jsonl", none).message,
    /^records 20\.\.22 were found past the writer's count and taken in/,
  );
  const older = tailTakenInFinding(record(PAST_THE_COUNT), 23, "seg.jsonl", gating);
  assert.equal(older.severity, "warning");
  assert.match(older.message, /a thoth of an earlier release was killed in the middle/);
});
