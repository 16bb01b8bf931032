/**
 * `checkRecentChain()` (the bounded chain check `thoth doctor` and `thoth
 * health` run): on a synthetic log of 3,000 chained records in segments of
 * 100 KiB, it looks at the newest 1,000 across segment boundaries and finds
 * an edit, a removal or an unreadable line among them, in an earlier
 * segment too; a change further back is `thoth audit verify`'s alone.
 */
import assert from "node:assert/strict";
import { listSegments } from "../../src/audit/log_files.ts";
import { scanLogState } from "../../src/audit/scan_log_state.ts";
import { checkRecentChain, RECENT_CHAIN_RECORDS } from "../../src/audit/recent_chain.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { writeSyntheticLog } from "./_synthetic_log.ts";

const COUNT = 3000;

async function syntheticLog(): Promise<{ dir: string; segments: string[] }> {
  const dir = `${await tempFolder("thoth-recent-chain-")}/audit`;
  await Deno.mkdir(dir);
  await writeSyntheticLog(dir, { count: COUNT, segmentBytes: 100 * 1024 });
  return { dir, segments: await listSegments(dir) };
}

async function stateOf(dir: string, segments: string[]) {
  return (await scanLogState(dir, segments)).state;
}

/** The segment holding seq `seq`, its lines, and the line's index in it. */
async function lineOf(dir: string, segments: string[], seq: number) {
  for (const name of segments) {
    const lines = (await Deno.readTextFile(`${dir}/${name}`)).split("\n");
    const at = lines.findIndex((line) => line.startsWith(`{"v":1,"seq":${seq},`));
    if (at >= 0) return { path: `${dir}/${name}`, name, lines, at };
  }
  throw new Error(`no seq ${seq}`);
}

Deno.test("checkRecentChain() passes the newest records of an intact log, across segments", async () => {
  const { dir, segments } = await syntheticLog();
  const state = await stateOf(dir, segments);
  assert.equal(state.size, COUNT);
  // The newest segment holds fewer records than the check looks at.
  const newest = (await Deno.readTextFile(`${dir}/${state.segment}`)).split("\n").length - 1;
  assert.ok(newest < RECENT_CHAIN_RECORDS, `${newest}`);
  assert.deepEqual(await checkRecentChain(dir, state), {
    checked: RECENT_CHAIN_RECORDS,
    limited: false,
    problem: undefined,
  });
  // A short log: every record, and its first one starts the chain.
  assert.deepEqual(await checkRecentChain(dir, state, COUNT + 5), {
    checked: COUNT,
    limited: false,
    problem: undefined,
  });
});

Deno.test("checkRecentChain() finds a record edited in an earlier segment among the newest", async () => {
  const { dir, segments } = await syntheticLog();
  const state = await stateOf(dir, segments);
  const seq = COUNT - RECENT_CHAIN_RECORDS + 10;
  const line = await lineOf(dir, segments, seq);
  assert.notEqual(line.name, state.segment);
  line.lines[line.at] = line.lines[line.at]!.replace('"session":"', '"session":"x');
  await Deno.writeTextFile(line.path, line.lines.join("\n"));
  const chain = await checkRecentChain(dir, state);
  assert.match(
    chain.problem ?? "",
    new RegExp(
      `^seq ${seq + 1} \\(in seg-\\S+\\) does not chain to seq ${seq} stored before it .*: ` +
        `seq ${seq} was changed, or records were removed or inserted between them$`,
    ),
  );
});

Deno.test("checkRecentChain() finds a record removed, and a line that is no record", async () => {
  const { dir, segments } = await syntheticLog();
  const state = await stateOf(dir, segments);
  const removed = await lineOf(dir, segments, COUNT - 20);
  removed.lines.splice(removed.at, 1);
  await Deno.writeTextFile(removed.path, removed.lines.join("\n"));
  // The state still ends where the log now ends (check_log_end.ts sees a cut otherwise).
  const after = await stateOf(dir, segments);
  const chain = await checkRecentChain(dir, { ...after, size: state.size });
  assert.match(chain.problem ?? "", /claims seq \d+: records were removed, inserted or changed$/);

  const { dir: dir2, segments: segments2 } = await syntheticLog();
  const state2 = await stateOf(dir2, segments2);
  const garbled = await lineOf(dir2, segments2, COUNT - 5);
  garbled.lines[garbled.at] = "not a record";
  await Deno.writeTextFile(garbled.path, garbled.lines.join("\n"));
  const found = await checkRecentChain(dir2, { ...await stateOf(dir2, segments2), size: COUNT });
  assert.equal(state2.size, COUNT);
  assert.match(
    found.problem ?? "",
    new RegExp(`seq ${COUNT - 5} belongs \\(in seg-\\S+\\) is not a readable record`),
  );
});

Deno.test("checkRecentChain() leaves a change before the newest records to thoth audit verify", async () => {
  const { dir, segments } = await syntheticLog();
  const state = await stateOf(dir, segments);
  const line = await lineOf(dir, segments, 100);
  line.lines[line.at] = line.lines[line.at]!.replace('"session":"', '"session":"x');
  await Deno.writeTextFile(line.path, line.lines.join("\n"));
  assert.deepEqual(await checkRecentChain(dir, state), {
    checked: RECENT_CHAIN_RECORDS,
    limited: false,
    problem: undefined,
  });
});
