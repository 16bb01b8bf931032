// When a writer writes a tail_taken_in record, and when it must not: a
// writer killed between writing a batch's records and counting them, whose
// intent is gone, leaves records nothing vouched for (taken in, not lost,
// and named); writers that
// share the log in turn, and the upgrade from a state file without a MAC
// after a clean close, leave none; an earlier release's state that counted
// records past the last checkpoint leaves one, once.
import assert from "node:assert/strict";
import { NO_INTENT } from "../../src/audit/past_the_count.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { encodeLogState } from "../../src/audit/log_state.ts";
import { scanLogState } from "../../src/audit/scan_log_state.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { appendUncovered, sampleLog, steppingClock } from "./_log_helpers.ts";
import { allRecords, killedMidBatch, nextWriterSession, tails } from "./_killed_mid_batch.ts";
import { tempFolder } from "../_temp_dirs.ts";

let hour = 12;

/** Opens the log as the next writer (an hour after the last) and writes one short session. */
function nextSession(home: string, name: string): Promise<void> {
  const clock = steppingClock(`2026-03-01T${String(hour++).padStart(2, "0")}:00:00Z`);
  return nextWriterSession(home, name, clock);
}

/** Removes the state file's MAC, as an earlier release wrote it. */
async function stripMac(home: string): Promise<void> {
  const path = `${home}/audit/.state.json`;
  const { mac, ...state } = JSON.parse(await Deno.readTextFile(path));
  assert.match(String(mac), /^[0-9a-f]{64}$/);
  await Deno.writeFile(path, encodeLogState(state));
}

Deno.test("a writer killed between writing a batch's records and counting them, its intent gone, loses none: the next writer takes them in under one tail_taken_in record, and verify names them", async () => {
  const home = await tempFolder("thoth-audit-");
  await killedMidBatch(home, 3, 4);
  // Without the intent it left (see tail_taken_in_intent_test.ts), nothing vouches for the batch.
  await Deno.remove(`${home}/audit/.pending`);
  const state = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`));
  const before = await allRecords(home);
  const counted = state.size as number;
  assert.equal(before.length, counted + 4, "the batch's records reached the log uncounted");

  await nextSession(home, "after");
  const records = await allRecords(home);
  assert.deepEqual(records.map((r) => r["seq"]), records.map((_, i) => i), "one gapless chain");
  const ids = records.filter((r) => r["type"] === "cancellation").map((r) => r["requestId"]);
  assert.deepEqual(ids, [0, 1, 2, 1000, 1001, 1002, 1003], "nothing was lost or doubled");
  const found = tails(records);
  assert.equal(found.length, 1);
  assert.deepEqual(
    [found[0]!["seq"], found[0]!["firstSeq"], found[0]!["lastSeq"], found[0]!["count"]],
    [counted + 4, counted, counted + 3, 4],
  );
  assert.equal(found[0]!["reason"], NO_INTENT);

  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(report.findings.filter((f) => f.severity === "tamper"), []);
  const finding = report.findings.find((f) => f.kind === "tail_taken_in");
  assert.deepEqual([finding?.seq, finding?.toSeq], [counted, counted + 3]);
  assert.match(
    finding?.message ?? "",
    new RegExp(
      `^records ${counted}\\.\\.${counted + 3} were found past the writer's count and taken in: ` +
        `written by a thoth that was killed before counting them, or added by someone else; ` +
        `no thoth vouched for them before seq ${counted + 4}$`,
    ),
  );
});

Deno.test("writers sharing the log in turn, each reading the others' state files, write no tail_taken_in record", async () => {
  const home = await tempFolder("thoth-audit-");
  const a = await openAuditLog({ thothHome: home, checkpointEvery: 5, checkpointMinIntervalMs: 0 });
  const b = await openAuditLog({ thothHome: home, checkpointEvery: 7, checkpointMinIntervalMs: 0 });
  try {
    for (let i = 0; i < 30; i++) {
      const log = i % 3 === 0 ? b : a;
      await log.append({ type: "cancellation", session: `s-${i % 3}`, requestId: i });
    }
  } finally {
    await a.close();
    await b.close();
  }
  for (const name of ["one", "two", "three"]) await nextSession(home, name);
  const records = await allRecords(home);
  assert.deepEqual(tails(records), []);
  const state = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`));
  assert.match(String(state.mac), /^[0-9a-f]{64}$/, "the state file carries its MAC");
  const report = await verifyLocalLog(home);
  assert.ok(!report.findings.some((f) => f.kind === "tail_taken_in"));
});

Deno.test("the upgrade from a state file without a MAC after a clean close writes no tail_taken_in record", async () => {
  const home = await sampleLog(2, 3);
  await stripMac(home);
  await nextSession(home, "upgraded");
  await nextSession(home, "again");
  assert.deepEqual(tails(await allRecords(home)), []);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
});

Deno.test("an earlier release's state file counting records past the last checkpoint: one tail_taken_in record, once", async () => {
  const home = await sampleLog(1, 2);
  const first = (await allRecords(home)).length;
  // An earlier thoth killed after counting two records, before its next checkpoint.
  await appendUncovered(home, { type: "session_start", session: "old", server: "fs" });
  await appendUncovered(home, { type: "session_end", session: "old", exitCode: 0, signal: null });
  const dir = `${home}/audit`;
  const old = JSON.parse(await Deno.readTextFile(`${dir}/.state.json`));
  const { state } = await scanLogState(dir, await listSegments(dir));
  const { mac: _, ...earlier } = {
    ...old,
    ...state,
    checkpointSize: old.checkpointSize,
    checkpointAt: old.checkpointAt,
    checkpointRecord: old.checkpointRecord,
  };
  await Deno.writeFile(`${dir}/.state.json`, encodeLogState(earlier));
  await nextSession(home, "upgraded");
  await nextSession(home, "again");
  const found = tails(await allRecords(home));
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.deepEqual(
    [found[0]!["firstSeq"], found[0]!["lastSeq"], found[0]!["reason"]],
    [first, first + 1, "the state file had no MAC (written by an earlier release, or replaced)"],
  );
});
