/**
 * SessionAudit: a batch the audit log refuses is not lost. Its records (the
 * ones that gate nothing too) and its spool files are kept, and the next
 * batch the log takes carries them, each record once: the ones the log took
 * before it failed are not written again. Real files under a temp THOTH_HOME;
 * the fault is real: the segment the log rotates into is a folder.
 */
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  logRecords as records,
  openSession,
  spoolFiles,
  traffic,
} from "./_session_audit_harness.ts";

/**
 * A session whose log's clock moves to the next day after `flip` more
 * readings once armed: the log then rotates into a new segment mid-batch.
 */
function session(home: string) {
  return openSession(home, { session: "s-retry" });
}

function counts(all: Record<string, unknown>[]) {
  const seen = new Map<string, number>();
  for (const r of all) {
    if (r["type"] === "checkpoint") continue;
    const key = `${r["type"]}:${r["decisionId"] ?? ""}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...seen].sort());
}

const EXPECTED = {
  "cancellation:d-2": 1,
  "decision:d-1": 1,
  "decision:d-2": 1,
  "decision:d-3": 1,
  "outcome:d-1": 1,
  "session_end:": 1,
  "session_start:": 1,
};

Deno.test("SessionAudit keeps a batch the log refused half-way and writes the rest once, when it can", async () => {
  await using dir = await tempDir("thoth-retry-");
  const { audit, notes, failAfter } = await session(dir.path);
  await audit.start("fs-server", [], []);
  const before = (await records(dir.path)).length;
  // The batch's first two records go into today's segment; the third starts
  // tomorrow's, which cannot be made: a folder stands at its path.
  const blocker = await failAfter(2);
  await traffic(audit);
  assert.equal(await audit.flush(), false, "the log refused the batch");
  assert.equal(
    (await records(dir.path)).length,
    before + 2,
    "two of its records reached the log whole before it failed",
  );
  assert.ok(notes.some((m) => /cannot write the audit log/.test(m)), notes.join("\n"));
  assert.equal(audit.recording, false, "calls are blocked meanwhile (fail closed)");
  assert.equal(spoolFiles(dir.path).length, 1, "the spool file stays while its records wait");
  Deno.removeSync(blocker);
  assert.equal(await audit.flush(), true, "the next batch carries what was refused");
  assert.deepEqual(spoolFiles(dir.path), [], "the spool file goes once its records are in");
  assert.ok(notes.some((m) => /writable again/.test(m)));
  await audit.end(0, null);
  assert.deepEqual(counts(await records(dir.path)), EXPECTED, "every record, each once");
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});

Deno.test("SessionAudit tries a refused batch again by itself, without new calls", async () => {
  await using dir = await tempDir("thoth-retry-");
  const { audit, notes, failAfter } = await session(dir.path);
  await audit.start("fs-server", [], []);
  // Nothing of this batch reaches the log: its first record starts the segment that cannot be made.
  const blocker = await failAfter(0);
  await traffic(audit);
  assert.equal(await audit.flush(), false);
  Deno.removeSync(blocker);
  const deadline = Date.now() + 5000;
  while (spoolFiles(dir.path).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(spoolFiles(dir.path), [], "taken in without another call");
  assert.ok(notes.some((m) => /writable again/.test(m)), notes.join("\n"));
  await audit.end(0, null);
  assert.deepEqual(counts(await records(dir.path)), EXPECTED, "every record, each once");
});
