/**
 * SessionAudit recovery and refused approvals, bounded and exact: the log is
 * read back to the dead sessions' starts, not to a time (a clock steps back),
 * a refused stateless "allow for this session" withdraws the grant it made
 * (not an older one), and a refused yes records no answer the person did not
 * give. Real files under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  age,
  deadDecision,
  logRecords,
  newSessionAudit,
  openSession,
  toolCall,
} from "./_session_audit_harness.ts";
import { signedLines } from "../audit/_spool_mac.ts";

const T0 = Date.parse("2026-03-01T12:00:00Z");
/** The read-back margin for clock steps (`CLOCK_STEP_MARGIN_MS`), as the release sets it. */
const CLOCK_STEP_MARGIN_MS = 5 * 60_000;

function audit(home: string, log: AuditLog, id: string, now: number) {
  return newSessionAudit(home, log, { session: id, extra: { now: () => now } });
}

const decision = (id: string) => deadDecision(id);

Deno.test("recovery reads the log back past records older than the spool file (a clock step)", async () => {
  await using dir = await tempDir();
  // An old record of the dead session (no session_start): long before its spool file was opened.
  const old = await openAuditLog({ thothHome: dir.path, now: () => new Date(T0) });
  await old.appendMany([decision("d-old") as unknown as AuditEvent]);
  await old.close();
  const opened = T0 + CLOCK_STEP_MARGIN_MS + 3_600_000;
  const spool = DecisionSpool.dir(dir.path);
  Deno.mkdirSync(spool, { recursive: true });
  writeSpoolFile(
    `${spool}/s-dead-1.jsonl`,
    await signedLines(dir.path, "s-dead", [decision("d-old")]),
    opened,
  );
  age(`${spool}/s-dead-1.jsonl`);
  const later = opened + 60_000;
  const log = await openAuditLog({ thothHome: dir.path, now: () => new Date(later) });
  const next = audit(dir.path, log, "s-next", Date.now());
  await next.audit.start("fs", [], []);
  await next.audit.end(0, null);
  const records = await logRecords(dir.path);
  const recovered = records.find((r) => r["type"] === "spool_recovered");
  // The log's d-old is dated before the file was opened (a clock stepped back): the read-back
  // is bounded by the session's start (none here: the whole log), not by time, so it is found.
  assert.equal(recovered?.["count"], 0, JSON.stringify(recovered));
  assert.equal(recovered?.["skipped"], 1);
});

Deno.test("a refused yes that no person gave records no answer", async () => {
  await using dir = await tempDir();
  const now = Date.now();
  const s = await openSession(dir.path, { session: "s-f", extra: { now: () => now } });
  const a = s.audit;
  await a.start("fs", [], []);
  const approver = a.wrapApprover(() =>
    Promise.resolve({
      approved: true,
      kind: "approved" as const,
      scope: "once" as const,
      channel: "follow-up",
      approver: "ana via A",
      latencyMs: 0,
      why: "follow-up",
    })
  );
  const blocker = await s.failAfter(0);
  a.events().cancelled!("r-probe", "t", "probe");
  assert.equal(await a.flush(), false);
  const call: ToolCall = { ...toolCall(), tool: "t", arguments: {} };
  const verdict: Verdict = { decision: "step_up", decisionId: "d-1", ruleIds: [], reasons: [] };
  const outcome = await approver({
    call,
    verdict,
    requestId: 1,
    progressToken: undefined,
    signal: new AbortController().signal,
  } as unknown as ApprovalRequest);
  assert.equal(outcome.approved, false);
  Deno.removeSync(blocker);
  await a.end(0, null);
  const approval = (await logRecords(dir.path)).find((r) => r["type"] === "approval");
  assert.equal(approval?.["outcome"], "error");
  assert.equal(approval?.["answer"], undefined, JSON.stringify(approval));
});
