/**
 * `readLogLeaves` hashes exactly the lines `readLogLines` reads (across
 * segments, without a torn last line) and keeps the one asked for; `prove`
 * built on it still proves a record against its checkpoint.
 */
import assert from "node:assert/strict";
import { readLogLeaves } from "../../src/audit/log_leaves.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { HASH_SIZE, leafHash } from "../../src/audit/merkle_hash.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { proveRecord } from "../../src/audit/prove_record.ts";
import { verifyInclusion } from "../../src/audit/merkle_verify.ts";
import { fromBase64, fromHex } from "../../src/audit/encoding.ts";
import { sampleLog } from "./_log_helpers.ts";

Deno.test("readLogLeaves hashes every line readLogLines reads, in order, and keeps the one asked for", async () => {
  const home = await sampleLog(6, 8, { maxSegmentBytes: 4096 });
  const dir = `${home}/audit`;
  const segments = await listSegments(dir);
  assert.ok(segments.length > 2, `several segments, not ${segments.length}`);
  // A torn last line: no line until its newline is written.
  await Deno.writeTextFile(`${dir}/${segments.at(-1)}`, '{"v":1,"seq":', { append: true });
  const lines = await readLogLines(dir);
  for (const [keep, firstRoom] of [[0, 1], [17, 5], [lines.length - 1, undefined]] as const) {
    const held = await readLogLeaves(dir, { keep, ...(firstRoom ? { firstRoom } : {}) });
    assert.equal(held.count, lines.length);
    assert.equal(held.leaves.length, lines.length * HASH_SIZE);
    for (const [i, line] of lines.entries()) {
      assert.deepEqual(
        held.leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
        await leafHash(line.bytes),
        `leaf ${i}`,
      );
    }
    assert.deepEqual(held.kept, lines[keep]);
  }
  assert.equal((await readLogLeaves(dir, { keep: lines.length })).kept, undefined);
  assert.equal((await readLogLeaves(dir)).kept, undefined);
});

Deno.test("prove over the leaves proves each record against the checkpoint that covers it", async () => {
  const home = await sampleLog(6, 8, { maxSegmentBytes: 4096 });
  const lines = await readLogLines(`${home}/audit`);
  for (const seq of [0, 1, 23, 40]) {
    const proof = await proveRecord(home, seq);
    assert.equal(proof.seq, seq);
    assert.equal(proof.record, new TextDecoder().decode(lines[seq]!.bytes));
    assert.ok(proof.treeSize > seq);
    assert.ok(
      await verifyInclusion(
        fromHex(proof.leafHash)!,
        seq,
        proof.treeSize,
        proof.proof.map((h) => fromHex(h)!),
        fromBase64(proof.rootHash)!,
      ),
    );
  }
  await assert.rejects(proveRecord(home, lines.length), /there is no record with seq/);
});
