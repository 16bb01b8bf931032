/**
 * `audit verify` names decisions and approvals recorded twice (a warning,
 * exit 2), and says of a session without an end that a later session took
 * in its spool (the spool_recovered record's seq). Real logs under a temp
 * THOTH_HOME.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { exitCodeFor } from "../../src/audit/finding.ts";
import { tempDir } from "../e2e/_harness.ts";
import { deadDecision } from "../proxy/_session_audit_harness.ts";

const start = (session: string) =>
  ({
    type: "session_start",
    session,
    server: "fs",
    commandDigest: "0".repeat(64),
    envKeys: [],
    mode: "block",
  }) as unknown as AuditEvent;

Deno.test("verify names a decision recorded twice, with both seqs, and counts past ten", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({ thothHome: dir.path });
  const events: AuditEvent[] = [start("s-a")];
  for (let i = 0; i < 12; i++) events.push(deadDecision(`d-${i}`, "s-a"));
  for (let i = 0; i < 12; i++) events.push(deadDecision(`d-${i}`, "s-a"));
  events.push({ type: "session_end", session: "s-a", exitCode: 0, signal: null } as AuditEvent);
  await log.appendMany(events);
  await log.close();
  const report = await verifyLocalLog(dir.path);
  const twice = report.findings.filter((f) => f.kind === "recorded_twice");
  assert.equal(twice.length, 1, JSON.stringify(report.findings));
  assert.equal(twice[0]!.severity, "warning");
  assert.match(twice[0]!.message, /^12 decision or approval record\(s\)/);
  assert.match(twice[0]!.message, /decision d-0 \(seqs 1 and 13\)/);
  assert.match(twice[0]!.message, /and 2 more/);
  assert.equal(exitCodeFor(report.findings), 2);
});

Deno.test("verify finds no repeat in a log of distinct decisions", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({ thothHome: dir.path });
  const events: AuditEvent[] = [start("s-a")];
  for (let i = 0; i < 3000; i++) events.push(deadDecision(`d-${i}`, "s-a"));
  events.push({ type: "session_end", session: "s-a", exitCode: 0, signal: null } as AuditEvent);
  await log.appendMany(events);
  await log.close();
  const report = await verifyLocalLog(dir.path);
  assert.deepEqual(report.findings.filter((f) => f.kind === "recorded_twice"), []);
});

Deno.test("a session without an end whose spool a later one took in is said to be killed", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({ thothHome: dir.path });
  await log.appendMany([
    start("s-dead"),
    start("s-next"),
    {
      type: "spool_recovered",
      session: "s-next",
      file: "s-dead-1.jsonl",
      count: 0,
    } as unknown as AuditEvent,
    { type: "session_end", session: "s-next", exitCode: 0, signal: null } as AuditEvent,
  ]);
  await log.close();
  const report = await verifyLocalLog(dir.path);
  const open = report.findings.find((f) => f.kind === "session_without_end");
  assert.match(open?.message ?? "", /s-dead .*killed .*spool_recovered at seq 2/, open?.message);
});
