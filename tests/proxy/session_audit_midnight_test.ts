/**
 * The session harness's real clock across midnight UTC: a session opened a
 * minute before midnight whose log is made to fail after midnight still
 * fails where the harness put its folder (the flipped day is the one
 * `nextDay` names, and records before the flip stay in the open segment).
 * The wall clock is moved for real: `Date.now` reads a fixed offset ahead
 * of it for the test's length. Real files under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { tempDir } from "../e2e/_harness.ts";
import { logRecords, openSession } from "./_session_audit_harness.ts";

const DAY_MS = 86_400_000;

/**
 * Runs `work` with `Date.now` one minute before the next midnight UTC;
 * `jump` moves it two minutes on (past midnight). The real `Date.now` is
 * back afterwards.
 */
async function nearMidnight(work: (jump: () => void) => Promise<void>): Promise<void> {
  const real = Date.now;
  const start = real();
  let offset = (Math.floor(start / DAY_MS) + 1) * DAY_MS - 60_000 - start;
  Date.now = () => real() + offset;
  try {
    await work(() => offset += 120_000);
  } finally {
    Date.now = real;
  }
}

for (const n of [0, 2]) {
  Deno.test(`a real-clock session fails where its folder stands after ${n} records, across midnight`, async () => {
    await nearMidnight(async (jump) => {
      await using dir = await tempDir("thoth-midnight-");
      const s = await openSession(dir.path, { session: "s-late", clock: "real" });
      await s.audit.start("fs-server", [], []);
      const before = (await logRecords(dir.path)).length;
      jump();
      const blocker = await s.failAfter(n);
      const events = s.audit.events();
      for (let i = 0; i <= n; i++) events.cancelled!(`r-${i}`, "write_file", "after midnight");
      assert.equal(await s.audit.flush(), false, "the log refused the batch at the folder");
      assert.equal((await logRecords(dir.path)).length, before + n, "the records before the flip");
      Deno.removeSync(blocker);
      assert.equal(await s.audit.flush(), true, "mended once the folder is gone");
      await s.audit.end(0, null);
      const all = await logRecords(dir.path);
      assert.deepEqual(
        all.filter((r) => r["type"] === "cancellation").map((r) => r["requestId"]),
        Array.from({ length: n + 1 }, (_, i) => `r-${i}`),
        "each record once, in order",
      );
      const report = await verifyLocalLog(dir.path);
      assert.notEqual(report.exitCode, 1, JSON.stringify(report));
    });
  });
}
