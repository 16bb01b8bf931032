/**
 * A SessionAudit whose log could not be opened at its start, its lock held
 * by another process (a real one, see `_hold_lock.ts`), as a log failing in
 * the session's middle: in observe mode its calls go through, their
 * decisions are spooled (digested under the device key), and once the lock
 * is let go a try opens the log, which then holds the session's start
 * first, both decisions and its end, and verifies. A session whose log
 * never opens says at its end that its decisions wait in the spool, not
 * that they are lost. Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { AuditLogReopen } from "../../src/proxy/audit_log_reopen.ts";
import { tempDir } from "../e2e/_harness.ts";
import { holdLock } from "../_hold_lock.ts";
import { logRecords, newSessionAudit, spoolFiles, toolCall } from "./_session_audit_harness.ts";
import { until } from "./_spooled_session.ts";
import { DecisionSpool, readSpool } from "../../src/audit/decision_spool.ts";
import { spoolMacOfSync } from "../audit/_spool_mac.ts";

/** Tries that wait 0.2 s for the lock (the real ones wait 10 s), on the real log of `home`. */
function shortTries(home: string): AuditLogReopen {
  return new AuditLogReopen((_patience, stop) =>
    openAuditLog({
      thothHome: home,
      lockPatience: { waitMs: 200, noteAfterMs: 200 },
      lockWaitEnd: { stop },
    })
  );
}

const openError = 'cannot write the audit log in "/profile/audit": its lock was held';

Deno.test("SessionAudit opens a log its start could not once the lock is let go, and writes what waited", async () => {
  await using dir = await tempDir("thoth-reopen-");
  await (await openAuditLog({ thothHome: dir.path })).close();
  const holder = await holdLock(auditPaths(dir.path).lock, 60_000);
  const { audit, notes } = newSessionAudit(dir.path, undefined, {
    session: "s-reopen",
    mode: "observe",
    extra: { openError, reopen: shortTries(dir.path) },
  });
  await audit.loadKey();
  await audit.start("fs-server", [], []);
  const enforcer = audit.wrapEnforcer(allowAllEnforcer);
  const first = await enforcer.decide(toolCall(), () => "d-held") as Verdict;
  assert.equal(first.decision, "allow", "observe mode forwards while the log is not open");
  // Its start (written to the spool first) and its decision wait in the spool.
  assert.equal(spoolFiles(dir.path).length, 2, "its start and decision wait in the spool");
  await holder.release();
  await until(() => notes.some((n) => /the audit log is open now/.test(n)), notes.join("\n"));
  const second = await enforcer.decide(toolCall(), () => "d-after") as Verdict;
  assert.equal(second.decision, "allow");
  await audit.end(0, null);
  const mine = (await logRecords(dir.path)).filter((r) => r["session"] === "s-reopen");
  assert.deepEqual(
    mine.map((r) => `${r["type"]}:${r["decisionId"] ?? ""}`),
    ["session_start:", "decision:d-held", "decision:d-after", "session_end:"],
  );
  const args = mine[1]!["args"] as { digest: string };
  assert.match(args.digest, /^[0-9a-f]{64}$/, "digested under the device key");
  assert.equal(spoolFiles(dir.path).length, 0);
  assert.ok(!notes.some((n) => /LOST/.test(n)), notes.join("\n"));
  const report = await verifyLocalLog(dir.path);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
});

Deno.test("SessionAudit whose log never opens says its decisions wait in the spool, not that they are lost", async () => {
  await using dir = await tempDir("thoth-reopen-");
  await (await openAuditLog({ thothHome: dir.path })).close();
  await using _holder = await holdLock(auditPaths(dir.path).lock, 60_000);
  const { audit, notes } = newSessionAudit(dir.path, undefined, {
    session: "s-never",
    extra: { openError, reopen: shortTries(dir.path) },
  });
  await audit.loadKey();
  await audit.start("fs-server", [], []);
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(toolCall(), () => "d-kept");
  assert.deepEqual((await verdict).ruleIds, ["audit.unwritable"]);
  await audit.end(0, null);
  const all = notes.join("\n");
  assert.match(all, /thoth keeps trying to open the audit log/);
  assert.match(
    all,
    /1 decision or approval record\(s\) among them stay in the spool for the next session to take in, and so do the session's start and end$/m,
  );
  assert.doesNotMatch(all, /LOST/);
  // Its start, its decision and its end, each in a file of its own, for the next session.
  const mac = spoolMacOfSync(dir.path);
  const spooled = spoolFiles(dir.path).sort().flatMap((name) =>
    readSpool(`${DecisionSpool.dir(dir.path)}/${name}`, mac).map((e) =>
      `${e.type}:${(e as { decisionId?: string }).decisionId ?? e.session}`
    )
  );
  assert.deepEqual(spooled, ["session_start:s-never", "decision:d-kept", "session_end:s-never"]);
});

Deno.test("SessionAudit that cannot load the device key stops trying to open its log, and says so", async () => {
  await using dir = await tempDir("thoth-reopen-");
  const log = await openAuditLog({ thothHome: dir.path });
  await log.append({ type: "session_end", session: "s-old", exitCode: 0, signal: null });
  await log.close();
  // The log holds records: its lost key is not made again, and cannot be loaded.
  await Deno.remove(auditPaths(dir.path).hmacKey);
  await using _holder = await holdLock(auditPaths(dir.path).lock, 60_000);
  const tries = shortTries(dir.path);
  const { audit, notes } = newSessionAudit(dir.path, undefined, {
    session: "s-nokey",
    extra: { openError, reopen: tries },
  });
  await audit.loadKey();
  assert.ok(tries.stopped, "no try is made after");
  assert.match(notes.join("\n"), /thoth stops trying to open the audit log for this session/);
  await audit.start("fs-server", [], []);
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(toolCall(), () => "d-nokey");
  assert.deepEqual((await verdict).ruleIds, ["audit.unwritable"]);
  await audit.end(0, null);
  assert.doesNotMatch(notes.join("\n"), /the audit log is open now/);
});
