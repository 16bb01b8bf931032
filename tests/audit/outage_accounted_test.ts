/**
 * After a disk-full outage, `verify`'s explanations name what the log says:
 * a session whose `decisions_lost` or `records_dropped` record says the log
 * could not take its records, and that has no end record, could not write
 * its end (a fact, not "still running, or thoth was killed"), and a step-up
 * whose approval a `decisions_lost` record names is accounted for. Before,
 * both were warnings that blamed a kill. The records a `records_dropped`
 * record counts are a warning of their own (exit 2): they are missing from
 * the log. Logs written by the audit library as sessions write them.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import type { AuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { steppingClock } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

async function start(log: AuditLog, session: string): Promise<void> {
  await log.append({
    type: "session_start",
    session,
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
}

async function stepUp(log: AuditLog, session: string, decisionId: string): Promise<number> {
  const receipt = await log.append({
    type: "decision",
    session,
    server: "fs",
    tool: "write_file",
    decisionId,
    verdict: "step_up",
    effect: "approval_requested",
    ruleIds: ["ask"],
    mode: "block",
    policyHash: "cd".repeat(32),
    intent: null,
    args: await log.redact({ path: "/data/a.txt" }),
  });
  return receipt!.seq;
}

/** Two sessions that exited 0 during an outage: their ends never reached the log. */
async function outageLog(): Promise<{ home: string; lostAt: number; droppedAt: number }> {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  try {
    await start(log, "s-lost");
    await stepUp(log, "s-lost", "d-1");
    const lost = await log.append({
      type: "decisions_lost",
      session: "s-lost",
      count: 1,
      decisionIds: ["d-1"],
      from: "2026-03-01T10:00:05.000Z",
      until: "2026-03-01T10:00:05.000Z",
      reason: "No space left on device (os error 28)",
    });
    await start(log, "s-dropped");
    const dropped = await log.append({
      type: "records_dropped",
      session: "s-dropped",
      count: 3,
      types: { outcome: 3 },
      from: "2026-03-01T10:00:09.000Z",
      until: "2026-03-01T10:00:10.000Z",
    });
    return { home, lostAt: lost!.seq, droppedAt: dropped!.seq };
  } finally {
    await log.close();
  }
}

Deno.test("verify counts what decisions_lost and records_dropped records name: no warning blames a kill", async () => {
  const { home, lostAt, droppedAt } = await outageLog();
  const report = await verifyLocalLog(home);
  // The records let go are a warning of their own (see records_dropped_finding_test.ts); the
  // missing end and the unanswered step-up they explain are facts.
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(
    report.findings.filter((f) => f.severity === "warning").map((f) => [f.kind, f.seq]),
    [["records_dropped", droppedAt]],
  );
  const ends = report.findings.filter((f) => f.kind === "session_without_end");
  assert.deepEqual(ends.map((f) => [f.severity, f.message]), [
    [
      "info",
      `session s-lost has no session end record: its end could not be written (decisions_lost at seq ${lostAt}), unless thoth was killed`,
    ],
    [
      "info",
      `session s-dropped has no session end record: its end could not be written (records_dropped at seq ${droppedAt}), unless thoth was killed`,
    ],
  ]);
  const stepUps = report.findings.filter((f) => f.kind === "step_up_without_approval");
  assert.equal(stepUps.length, 1);
  assert.equal(stepUps[0]!.severity, "info");
  assert.match(
    stepUps[0]!.message,
    new RegExp(`decisions_lost record at seq ${lostAt} accounts for it`),
  );
});

Deno.test("a session without an end and no outage record still warns, saying its end may not have been written", async () => {
  const { home } = await outageLog();
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T11:00:00Z") });
  try {
    await start(log, "s-quiet");
    await stepUp(log, "s-quiet", "d-2");
  } finally {
    await log.close();
  }
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2);
  const quiet = report.findings.find((f) =>
    f.kind === "session_without_end" && f.message.includes("s-quiet")
  )!;
  assert.equal(quiet.severity, "warning");
  assert.match(
    quiet.message,
    /\(still running, thoth was killed, or its end could not be written\)$/,
  );
  const unanswered = report.findings.find((f) =>
    f.kind === "step_up_without_approval" && f.message.includes("d-2")
  )!;
  assert.equal(unanswered.severity, "warning");
});
