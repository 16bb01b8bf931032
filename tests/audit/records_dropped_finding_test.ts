/**
 * `thoth audit verify` reports the records a session could not write and
 * counted: a `records_dropped` record (records let go past the held bound)
 * and a `session_end` that carries `recordsDropped` (a session whose log
 * never took its last records kept its end, with their count, in its
 * spool): a warning each (exit 2), naming the session, the count by type
 * and the time range, and saying they are missing because the log could not
 * be written, not removed; the verdict says so. Before, such a log verified
 * as intact (exit 0). Logs written by the audit library as sessions write
 * them.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { steppingClock } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";
import type { AuditEvent, SessionStartEvent } from "../../src/audit/record.ts";

/** A session's start, as a session writes it. */
function start(session: string): SessionStartEvent {
  return {
    type: "session_start",
    session,
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  };
}

Deno.test("verify warns of the records a session's records_dropped record and spooled end count as never written", async () => {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  let droppedAt: number;
  let endAt: number;
  try {
    await log.append(start("s-held"));
    droppedAt = (await log.append({
      type: "records_dropped",
      session: "s-held",
      count: 10_001,
      types: { outcome: 10_000, tools_snapshot: 1 },
      from: "2026-03-01T10:00:01.000Z",
      until: "2026-03-01T10:05:00.000Z",
    }))!.seq;
    await log.append({ type: "session_end", session: "s-held", exitCode: 0, signal: null });
    // A session whose log never opened: its start and end came from its spool.
    await log.append(start("s-never"));
    endAt = (await log.append({
      type: "session_end",
      session: "s-never",
      exitCode: 0,
      signal: null,
      recordsDropped: {
        count: 3,
        types: { handshake: 1, outcome: 1, tools_snapshot: 1 },
        from: "2026-03-01T10:06:00.000Z",
        until: "2026-03-01T10:06:30.000Z",
      },
    }))!.seq;
    // An end that counts nothing is no finding.
    await log.append(start("s-fine"));
    await log.append({ type: "session_end", session: "s-fine", exitCode: 0, signal: null });
  } finally {
    await log.close();
  }
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.equal(report.status, "warnings");
  const dropped = report.findings.filter((f) => f.kind === "records_dropped");
  assert.deepEqual(dropped.map((f) => [f.severity, f.seq]), [
    ["warning", droppedAt],
    ["warning", endAt],
  ]);
  assert.equal(
    report.findings.filter((f) => f.severity !== "info").length,
    2,
    JSON.stringify(report.findings),
  );
  assert.equal(
    dropped[0]!.message,
    "session s-held could not write 10001 of its records to the audit log (outcome 10000, " +
      "tools_snapshot 1), made between 2026-03-01T10:00:01.000Z and 2026-03-01T10:05:00.000Z: " +
      "the log could not be written while the session ran (its lock held by another process, " +
      "a full disk or an unwritable folder), so the session let go of them and counted them in " +
      `its records_dropped record at seq ${droppedAt}; they are missing from the log because it ` +
      "could not take them, not because they were removed from it; decisions and approvals are " +
      "not among them (the session's spool keeps those, and a decisions_lost record names any it " +
      "could not)",
  );
  assert.match(
    dropped[1]!.message,
    new RegExp(
      "^session s-never could not write 3 of its records to the audit log \\(handshake 1, " +
        "outcome 1, tools_snapshot 1\\), made between 2026-03-01T10:06:00.000Z and " +
        `2026-03-01T10:06:30.000Z: .* counted them in its session_end record at seq ${endAt};`,
    ),
  );
  const said = formatVerifyReport(report);
  assert.match(
    said.split("\n")[0]!,
    /^RECORDS NOT WRITTEN: sessions could not write some of their records while the audit log could not be written, and the log counts them \(see below\): they are missing from it, not removed/,
  );
  assert.match(said, /warning records_dropped seq \d+: session s-held could not write 10001/);
});

Deno.test("a records_dropped record without counts still warns; a session_end whose recordsDropped is no object is no finding", async () => {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  try {
    await log.append(start("s-odd"));
    await log.append(
      { type: "records_dropped", session: "s-odd" } as unknown as AuditEvent,
    );
    await log.append(
      {
        type: "session_end",
        session: "s-odd",
        exitCode: 0,
        signal: null,
        recordsDropped: "many",
      } as unknown as AuditEvent,
    );
  } finally {
    await log.close();
  }
  const report = await verifyLocalLog(home);
  const dropped = report.findings.filter((f) => f.kind === "records_dropped");
  assert.equal(dropped.length, 1, JSON.stringify(report.findings));
  assert.match(
    dropped[0]!.message,
    /^session s-odd could not write an unknown number of its records to the audit log: /,
  );
  assert.equal(report.exitCode, 2);
});
