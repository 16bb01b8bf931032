// A writer killed in the middle of a batch of more than 64 records: the log
// ends inside the part its intent names (as a kill during that part's write
// leaves it), and the next writer takes the records in as a thoth's, with no
// tail_taken_in record. An earlier release's intent of such a batch, which
// lists no leaves, still leaves a warning only.
import assert from "node:assert/strict";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { fromBase64 } from "../../src/audit/encoding.ts";
import { encodePendingBatch, pendingMacKey } from "../../src/audit/pending_batch.ts";
import { PAST_THE_COUNT } from "../../src/audit/unvouched_tail.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  allRecords,
  cutTo,
  killedMidBatch,
  nextWriterSession,
  stateSize,
  tails,
} from "./_killed_mid_batch.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("a writer killed inside a batch of 200 records leaves the log ending at a leaf its intent names: no tail_taken_in, verify clean", async () => {
  for (const back of [1, 10, 40]) {
    const home = await tempFolder("thoth-audit-");
    await killedMidBatch(home, 3, 200);
    const counted = await stateSize(home);
    const held = (await allRecords(home)).length;
    assert.equal(held, counted + 200, "the batch reached the log uncounted");
    // A kill during the write of a part of the batch: the log ends `back` records short of it.
    // The checkpoint the batch carries is written after its records: with the checkpoints
    // folder a file, the last part holds the records past the last multiple of 64.
    const intent = JSON.parse((await Deno.readTextFile(`${home}/audit/.pending`)).split("\n")[0]!);
    assert.ok(intent.end.size - intent.start.size > 64, JSON.stringify(intent));
    assert.equal(intent.end.size, held);
    const size = Math.max(held - back, intent.done.size + 1);
    await cutTo(home, size);
    const before = await verifyLocalLog(home);
    assert.deepEqual(
      before.findings.filter((f) => f.severity !== "info"),
      [],
      `${held - size} short: ${JSON.stringify(before.findings)}`,
    );
    await nextWriterSession(home, "after");
    const records = await allRecords(home);
    assert.deepEqual(records.map((r) => r["seq"]), records.map((_, i) => i), "one gapless chain");
    assert.deepEqual(tails(records), [], `${back} short`);
    const report = await verifyLocalLog(home);
    assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  }
});

Deno.test("an earlier release's intent of a batch of more than 64 records, the log ending inside it: taken in as past the count, a warning", async () => {
  const home = await tempFolder("thoth-audit-");
  await killedMidBatch(home, 3, 200);
  const held = (await allRecords(home)).length;
  const paths = auditPaths(home);
  const intent = JSON.parse((await Deno.readTextFile(paths.pending)).split("\n")[0]!);
  const raw = fromBase64((await Deno.readTextFile(paths.hmacKey)).trim())!;
  // What an earlier release wrote for the batch: its ends, no leaves.
  await Deno.writeFile(
    paths.pending,
    encodePendingBatch(pendingMacKey(raw), {
      base: intent.base,
      start: intent.start,
      done: intent.start,
      end: intent.end,
    }),
  );
  await cutTo(home, held - 100);
  const before = await verifyLocalLog(home);
  assert.equal(before.exitCode, 2, JSON.stringify(before.findings));
  await nextWriterSession(home, "after");
  const taken = tails(await allRecords(home));
  assert.deepEqual(taken.map((t) => t["reason"]), [PAST_THE_COUNT]);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
});
