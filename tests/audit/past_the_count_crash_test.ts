// A real `thoth run` against server-everything, killed with kill -9 in the
// middle of a burst of calls (wherever the kill lands, and once with the
// batches' lines written but not counted in the state file, their intent
// left in .pending), never leaves a log that verifies as tampered or with
// records past the count unvouched, and neither does the log after the next
// session; an approval appended past the count by someone who holds no key
// is tampering all the same.
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  appendForgedApproval,
  assertNoFalseAlarms,
  counts,
  killedMidBurst,
  killedWithBatchesUncounted,
  nextSession,
} from "./_killed_sessions.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("thoth run killed with kill -9 with its last batches written but not counted (their intent in .pending) does not verify as tampered; an approval appended after them does", async () => {
  const home = `${await tempFolder("thoth-killed-uncounted-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  let left: { counted: number; held: number } | undefined;
  await killedWithBatchesUncounted(home, 700, async () => {
    left = await counts(home);
  });
  assert.ok(
    left !== undefined && left.counted < left.held,
    `uncounted records: ${JSON.stringify(left)}`,
  );
  await assertNoFalseAlarms(home);

  await appendForgedApproval(home);
  const forged = await verifyLocalLog(home);
  assert.equal(forged.exitCode, 1, JSON.stringify(forged.findings));
  const found = forged.findings.find((f) => f.kind === "past_the_count");
  assert.equal(found?.severity, "tamper", JSON.stringify(forged.findings));
  assert.deepEqual([found.seq, found.toSeq], [left.counted, left.held]);
});

Deno.test("thoth run killed with kill -9 mid-burst never verifies as tampered (before or after the next session); an approval appended past the count does", async () => {
  const home = `${await tempFolder("thoth-killed-burst-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  for (const afterMs of [0, 40, 150, 400]) {
    await killedMidBurst(home, 120, afterMs);
    await assertNoFalseAlarms(home, `killed ${afterMs} ms after the first answer: `);
  }

  // The next session, closed cleanly, goes on from the killed sessions' log.
  await nextSession(home);
  await assertNoFalseAlarms(home);

  // Someone who can write audit/ but holds no key appends an approval with the right seq and prev.
  await appendForgedApproval(home);
  const forged = await verifyLocalLog(home);
  assert.equal(forged.exitCode, 1, JSON.stringify(forged.findings));
  assert.ok(
    forged.findings.some((f) => f.kind === "past_the_count" && f.severity === "tamper"),
    JSON.stringify(forged.findings),
  );
});
