// A writer leaves a MAC'd intent (audit/.pending) before it writes a batch's
// lines: a thoth killed after its lines reached the segment, before it
// counted them, no longer leaves a permanent tail_taken_in warning; a
// forged line past the state, or an old intent put back, still gives one.
// And a writer that has written records and finds an older genuine state
// file put back (the log cut to match it) records what it counted, so
// verify reports the records as lost instead of an intact log.
import assert from "node:assert/strict";
import { NO_INTENT } from "../../src/audit/past_the_count.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { appendUncovered, readLines, steppingClock } from "./_log_helpers.ts";
import {
  allRecords,
  killedMidBatch,
  nextWriterSession,
  stateSize,
  tails,
} from "./_killed_mid_batch.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("a writer killed after its batch's lines reached the log, before it counted them, leaves its intent: the next writer takes them in with no tail_taken_in, and verify is clean", async () => {
  const home = await tempFolder("thoth-audit-");
  await killedMidBatch(home, 3, 4);
  const counted = await stateSize(home);
  assert.equal((await allRecords(home)).length, counted + 4, "the batch reached the log uncounted");
  await nextWriterSession(home, "after");
  const records = await allRecords(home);
  assert.deepEqual(records.map((r) => r["seq"]), records.map((_, i) => i), "one gapless chain");
  const ids = records.filter((r) => r["type"] === "cancellation").map((r) => r["requestId"]);
  assert.deepEqual(ids, [0, 1, 2, 1000, 1001, 1002, 1003], "nothing was lost or doubled");
  assert.deepEqual(tails(records), []);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
});

Deno.test("a batch cut short by a kill mid-write (a prefix of the lines its intent names) is vouched for too", async () => {
  const home = await tempFolder("thoth-audit-");
  await killedMidBatch(home, 2, 5);
  const [name] = (await listSegments(`${home}/audit`)).slice(-1);
  const path = `${home}/audit/${name}`;
  const lines = await readLines(path);
  await Deno.writeTextFile(path, lines.slice(0, -2).join("\n") + "\n");
  await nextWriterSession(home, "after");
  const records = await allRecords(home);
  const ids = records.filter((r) => r["type"] === "cancellation").map((r) => r["requestId"]);
  assert.deepEqual(ids, [0, 1, 1000, 1001, 1002]);
  assert.deepEqual(tails(records), []);
});

Deno.test("a forged line appended after a killed writer's batch is still taken in under a tail_taken_in record", async () => {
  const home = await tempFolder("thoth-audit-");
  await killedMidBatch(home, 3, 4);
  const counted = await stateSize(home);
  await appendUncovered(home, { type: "cancellation", session: "forged", requestId: 7 });
  await nextWriterSession(home, "after");
  const found = tails(await allRecords(home));
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.deepEqual(
    [found[0]!["firstSeq"], found[0]!["lastSeq"], found[0]!["reason"]],
    [counted, counted + 4, NO_INTENT],
  );
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
});

Deno.test("an old intent put back vouches for nothing new: a line appended past a later state still gives tail_taken_in", async () => {
  const home = await tempFolder("thoth-audit-");
  await killedMidBatch(home, 3, 4);
  const old = await Deno.readFile(`${home}/audit/.pending`);
  const oldState = await Deno.readFile(`${home}/audit/.state.json`);
  const [name] = (await listSegments(`${home}/audit`)).slice(-1);
  const cut = (await Deno.stat(`${home}/audit/${name}`)).size;
  await nextWriterSession(home, "after");
  assert.deepEqual(tails(await allRecords(home)), []);

  // The intent put back beside the newer state, and a line appended.
  const seq = (await allRecords(home)).length;
  await appendUncovered(home, { type: "cancellation", session: "forged", requestId: 8 });
  await Deno.writeFile(`${home}/audit/.pending`, old);
  await nextWriterSession(home, "again");
  let found = tails(await allRecords(home));
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.deepEqual([found[0]!["firstSeq"], found[0]!["lastSeq"]], [seq, seq]);

  // The intent and the very state it was built on put back, the log cut to
  // where the intent ends and a line appended there: named past its end, not vouched.
  await Deno.truncate(`${home}/audit/${name}`, cut);
  await Deno.writeFile(`${home}/audit/.state.json`, oldState);
  await Deno.writeFile(`${home}/audit/.pending`, old);
  const at = (await allRecords(home)).length;
  await appendUncovered(home, { type: "cancellation", session: "forged", requestId: 9 });
  await nextWriterSession(home, "third");
  // (The cut took the earlier sessions' records with it: no writer was running to see that.)
  found = tails(await allRecords(home));
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0]!["lastSeq"], at, "the appended line is named");
});

/** A decision record (the one a rollback would erase). */
const decision = (id: string) => ({
  type: "decision" as const,
  session: "s-1",
  server: "fs",
  tool: "wire_money",
  decisionId: id,
  verdict: "block" as const,
  ruleIds: ["no-money"],
  mode: "block" as const,
  policyHash: "cd".repeat(32),
  intent: null,
  args: { digest: "ab".repeat(32), shape: { t: "null" as const } },
});

Deno.test("an older genuine state file put back under a live writer, the log cut to match it: the writer records what it counted, and verify reports the records lost", async () => {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  try {
    await log.append({
      type: "session_start",
      session: "s-1",
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.append({ type: "cancellation", session: "s-1", requestId: 1 });
    // Call 1 done: the attacker keeps the state file and the segment's length.
    const s1 = await Deno.readFile(`${home}/audit/.state.json`);
    const [name] = await listSegments(`${home}/audit`);
    const path = `${home}/audit/${name}`;
    const l1 = (await Deno.stat(path)).size;
    const held = (await allRecords(home)).length;
    // Call 2: a decision and its outcome, no checkpoint yet.
    await log.appendMany([decision("d-erased"), {
      type: "cancellation",
      session: "s-1",
      requestId: 2,
    }]);
    await Deno.truncate(path, l1);
    await Deno.writeFile(`${home}/audit/.state.json`, s1);
    // Call 3.
    await log.append({ type: "cancellation", session: "s-1", requestId: 3 });
    const records = await allRecords(home);
    const rebuilt = records.find((r) => r["type"] === "state_rebuilt");
    assert.ok(rebuilt !== undefined, "the writer records what it counted");
    assert.deepEqual([rebuilt["size"], rebuilt["stateSize"]], [held, held + 2]);
  } finally {
    await log.close();
  }
  const report = await verifyLocalLog(home);
  assert.notEqual(report.exitCode, 0);
  const lost = report.findings.find((f) => f.kind === "records_lost");
  assert.ok(lost !== undefined, JSON.stringify(report.findings));
});

Deno.test("an older genuine state file put back and the log written on by another writer: the live writer records that its last record is gone", async () => {
  const home = await tempFolder("thoth-audit-");
  const a = await openAuditLog({ thothHome: home, now: steppingClock() });
  try {
    await a.append({ type: "cancellation", session: "a", requestId: 1 });
    const s1 = await Deno.readFile(`${home}/audit/.state.json`);
    const [name] = await listSegments(`${home}/audit`);
    const path = `${home}/audit/${name}`;
    const l1 = (await Deno.stat(path)).size;
    await a.append(decision("d-erased"));
    await Deno.truncate(path, l1);
    await Deno.writeFile(`${home}/audit/.state.json`, s1);
    const b = await openAuditLog({ thothHome: home, now: steppingClock() });
    try {
      for (let i = 0; i < 3; i++) {
        await b.append({ type: "cancellation", session: "b", requestId: i });
      }
    } finally {
      await b.close();
    }
    await a.append({ type: "cancellation", session: "a", requestId: 2 });
  } finally {
    await a.close();
  }
  const records = await allRecords(home);
  assert.ok(
    records.some((r) =>
      r["type"] === "state_rebuilt" && /no longer in the log/.test(String(r["reason"]))
    ),
    JSON.stringify(records.map((r) => r["type"])),
  );
  const report = await verifyLocalLog(home);
  assert.notEqual(report.exitCode, 0, JSON.stringify(report.findings));
});
