/**
 * The writer never reads a huge audit state file into memory: a state is a
 * few KiB, so one over the limit (here a sparse 600 MB file, which takes no
 * disk space) is read as no state. The writer rebuilds the count from the
 * log, says so, goes on with the chain, and the next state write cuts the
 * file back to size.
 */
import assert from "node:assert/strict";
import { MAX_STATE_FILE_BYTES } from "../../src/audit/read_state_settled.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  appendAsNextWriter,
  readLines,
  sampleLog,
  segmentPath,
  tamperKinds,
} from "./_log_helpers.ts";

Deno.test("a state file over the limit is rebuilt from the log, not read whole", async () => {
  const home = await sampleLog(2, 4);
  const held = (await readLines(await segmentPath(home, -1))).length;
  const state = `${home}/audit/.state.json`;
  const file = await Deno.open(state, { write: true });
  try {
    await file.truncate(600 * 1024 * 1024);
  } finally {
    file.close();
  }
  const seq = await appendAsNextWriter(home);
  // Then a checkpoint saying the writer keeps a MAC on its state: it read no state.
  assert.equal(
    seq,
    held + 2,
    "the chain goes on after the log's records, the rebuild note and a checkpoint",
  );
  const lines = await readLines(await segmentPath(home, -1));
  const rebuilt = JSON.parse(lines[held]!);
  assert.equal(rebuilt.type, "state_rebuilt");
  assert.equal(JSON.parse(lines[held + 1]!).type, "checkpoint");
  // The record says why: not "missing", the size that was not read.
  assert.match(rebuilt.reason, /the state file was 629145600 bytes, over the 1 MiB/);
  assert.ok((await Deno.stat(state)).size <= MAX_STATE_FILE_BYTES, "cut back to size");
  const report = await verifyLocalLog(home);
  assert.deepEqual(tamperKinds(report.findings), [], JSON.stringify(report.findings));
});
