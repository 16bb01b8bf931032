import assert from "node:assert/strict";
import { checkLogEnd } from "../../src/audit/check_log_end.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { type LogState, parseLogState } from "../../src/audit/log_state.ts";
import {
  appendUncovered,
  forgeState,
  readLines,
  sampleLog,
  segmentPath,
  writeLines,
} from "./_log_helpers.ts";

async function stateOf(home: string): Promise<LogState> {
  return parseLogState(await Deno.readTextFile(`${home}/audit/.state.json`))!;
}

Deno.test("checkLogEnd() finds nothing wrong with a log as its writers left it", async () => {
  const home = await sampleLog(2, 4, { maxSegmentBytes: 3000 });
  assert.equal(await checkLogEnd(home, await stateOf(home)), undefined);
  // A record another writer added without updating the state (it crashed) is fine.
  await appendUncovered(home, { type: "session_end", session: "s-1", exitCode: 0, signal: null });
  assert.equal(await checkLogEnd(home, await stateOf(home)), undefined);
});

Deno.test("checkLogEnd() reports segments deleted under the state file", async () => {
  const home = await sampleLog(1, 4);
  const state = await stateOf(home);
  for (const name of await listSegments(`${home}/audit`)) {
    await Deno.remove(`${home}/audit/${name}`);
  }
  assert.equal(
    await checkLogEnd(home, state),
    `the state file counts ${state.size} records, but the segment it ends in, ${state.segment}, is missing (no segment is left): records were removed`,
  );
});

Deno.test("checkLogEnd() reports a segment cut shorter than the state counts", async () => {
  const home = await sampleLog(1, 4);
  const path = await segmentPath(home, -1);
  await writeLines(path, (await readLines(path)).slice(0, -2));
  assert.match(
    (await checkLogEnd(home, await stateOf(home)))!,
    /^the state file counts \d+ records, but seg-\S+ is \d+ bytes, shorter than the \d+ the state counts: records were cut from its end$/,
  );
});

Deno.test("checkLogEnd() reports a last record changed in place", async () => {
  const home = await sampleLog(1, 4);
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  lines[lines.length - 1] = lines[lines.length - 1]!.replace(/"ts":"2026/, '"ts":"2027');
  await writeLines(path, lines);
  const state = await stateOf(home);
  assert.equal(
    await checkLogEnd(home, state),
    `the state file counts ${state.size} records, but the record ending ${state.segment} at byte ${state.segmentBytes} is seq ${
      state.size - 1
    } with another leaf hash, not the seq ${
      state.size - 1
    } the state counts last: the log was changed`,
  );
});

Deno.test("checkLogEnd() reports a signed checkpoint past the log's end, even with a state forged to match", async () => {
  const home = await sampleLog(1, 8);
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  await writeLines(path, lines.slice(0, 5));
  await forgeState(home);
  assert.match(
    (await checkLogEnd(home, await stateOf(home)))!,
    /^a signed checkpoint covers \d+ records, but the log ends at seq 4: records were removed$/,
  );
});
