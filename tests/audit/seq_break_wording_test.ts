/**
 * How a seq break is worded: a record whose own seq was changed where it
 * stands (the record after it carries the seq that follows its place) is
 * named as such ("claims seq 500 instead of 5"), not as hundreds of missing
 * records; a negative seq is no valid seq.
 */
import assert from "node:assert/strict";
import { describeBreak, seqBreak, seqOf } from "../../src/audit/seq_break.ts";
import { readLines, sampleLog, segmentPath, writeLines } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

Deno.test("describeBreak: a seq changed where it stands claims another seq, nothing is missing", () => {
  const edited = seqBreak([0, 1, 2, 3, 4, 500, 6, 7])!;
  assert.deepEqual(edited, { place: 5, seq: 500, next: 6 });
  const words = describeBreak(edited);
  assert.match(words, /the record at place 5 \(after seq 4\) claims seq 500 instead of 5/);
  assert.doesNotMatch(words, /missing/);
  assert.match(describeBreak(seqBreak([0, 1, 2, 1, 4])!), /claims seq 1 instead of 3/);
  // A gap and a repeat keep their words.
  assert.match(describeBreak(seqBreak([0, 1, 2, 3, 4, 6, 7])!), /seq 5 is missing/);
  assert.match(describeBreak(seqBreak([0, 1, 2, 2, 3])!), /which an earlier record holds/);
});

Deno.test("seqOf: a negative seq is no valid seq", () => {
  assert.equal(seqOf({ seq: -1 }), undefined);
  assert.equal(seqOf({ seq: 0 }), 0);
  assert.equal(seqOf({ seq: 1.5 }), undefined);
});

Deno.test("export of a log whose record 5 claims seq 500 says so", async () => {
  const home = await sampleLog(1, 6);
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const record = JSON.parse(lines[5]!);
  record.seq = 500;
  lines[5] = JSON.stringify(record);
  await writeLines(path, lines);
  const r = await thothAudit(home, "export", "--output", `${home}/bundle`);
  assert.equal(r.code, 1, r.out);
  assert.match(r.err, /claims seq 500 instead of 5/);
  assert.doesNotMatch(r.err, /seq 5\.\.499 are missing/);
});
