/**
 * SessionAudit: records the log refused are handed on whole and once. After
 * a batch the log took in part, the spool holds only the gating records still
 * waiting (a later session takes those in, not the ones already in the log);
 * a file claimed by a session that died is taken in by the next one; a log
 * that failed after taking a whole batch is found writable again; a call
 * refused for a failing log is recorded as refused. Real files under a temp
 * THOTH_HOME; the fault is real: the log's clock moves to the next day
 * mid-batch and a folder stands where the new segment goes.
 */
import assert from "node:assert/strict";
import { DecisionSpool, readSpool } from "../../src/audit/decision_spool.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  blockSegment,
  gatingCounts as decisionCounts,
  logRecords as records,
  openSession,
  spoolFiles,
  toolCall,
  traffic,
} from "./_session_audit_harness.ts";
import { spoolMacOf, spoolMacOfSync } from "../audit/_spool_mac.ts";

const call = toolCall();

/**
 * A session whose log's clock moves to the next day after `flip` more
 * readings once armed; `later` runs its wall clock (the age of orphaned
 * spools) that many milliseconds ahead.
 */
function session(home: string, id: string, later = 0) {
  return openSession(home, { session: id, aheadMs: later });
}

function spooledIds(home: string): string[] {
  return spoolFiles(home).flatMap((name) =>
    readSpool(`${DecisionSpool.dir(home)}/${name}`, spoolMacOfSync(home)).map((e) =>
      (e as { decisionId?: string }).decisionId ?? e.type
    )
  );
}

Deno.test("SessionAudit hands on only the decisions the log has not taken when a batch failed half-way", async () => {
  await using dir = await tempDir("thoth-handoff-");
  const first = await session(dir.path, "s-first");
  await first.audit.start("fs-server", [], []);
  const before = (await records(dir.path)).length;
  // Two records of the batch reach today's segment; the third starts tomorrow's, which cannot be made.
  const blocker = await first.failAfter(2);
  await traffic(first.audit);
  assert.equal(await first.audit.flush(), false, "the log refused the batch");
  assert.equal((await records(dir.path)).length, before + 2, "d-1 and d-2 are in the log");
  assert.deepEqual(
    spooledIds(dir.path),
    ["d-3"],
    "the spool holds only the decision still waiting",
  );
  // The session ends while the log still fails: its spool is handed on.
  await first.audit.end(0, null);
  assert.ok(first.notes.some((m) => /stay in the spool/.test(m)), first.notes.join("\n"));
  Deno.removeSync(blocker);
  const next = await session(dir.path, "s-next", ORPHAN_AFTER_MS + 1000);
  await next.audit.start("fs-server", [], []);
  await next.audit.end(0, null);
  assert.deepEqual(spoolFiles(dir.path), []);
  assert.deepEqual(
    decisionCounts(await records(dir.path)),
    { "decision:d-1": 1, "decision:d-2": 1, "decision:d-3": 1 },
    "each decision once",
  );
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});

Deno.test("SessionAudit replaces a claimed spool the log refused with its own file of what still waits", async () => {
  await using dir = await tempDir("thoth-handoff-");
  // A session that died left one decision in its spool.
  const dead = DecisionSpool.open(dir.path, "s-dead", Date.now, await spoolMacOf(dir.path));
  dead.write({
    type: "decision",
    session: "s-dead",
    server: "fs",
    tool: "write_file",
    decisionId: "d-dead",
    verdict: "allow",
    ruleIds: [],
    reasons: [],
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    effect: "forwarded",
    args: { digest: "", shape: { t: "null" } },
  });
  dead.close();
  const taker = await session(dir.path, "s-taker", ORPHAN_AFTER_MS + 1000);
  // The taker's first batch (spool_recovered, d-dead, session_start) is refused after its first
  // record: the recovery's checkpoint (which writes nothing here) reads the clock first, then
  // the first record, and the second turns to the next day, whose segment a folder blocks.
  const blocker = blockSegment(dir.path, 1, taker.nextDay);
  taker.arm(2);
  await taker.audit.start("fs-server", [], []);
  assert.equal(taker.audit.recording, false);
  const held = spoolFiles(dir.path);
  assert.equal(held.some((n) => n.includes(".claimed-")), false, `no claimed file left: ${held}`);
  assert.deepEqual(held.length, 1, `${held}`);
  assert.match(held[0] ?? "", /^s-taker-\d+\.jsonl$/, "a file of the taker's own spool");
  // With the taker's own start, which its spool holds too.
  assert.deepEqual(spooledIds(dir.path), ["d-dead", "session_start"]);
  // The taker ends while the log still fails: a later session takes the decision in, once.
  await taker.audit.end(0, null);
  assert.deepEqual(
    spooledIds(dir.path),
    ["d-dead", "session_start", "session_end"],
    "handed on as it was held, with the taker's end",
  );
  Deno.removeSync(blocker);
  const later = await session(dir.path, "s-later", ORPHAN_AFTER_MS + 1000);
  await later.audit.start("fs-server", [], []);
  await later.audit.end(0, null);
  assert.deepEqual(decisionCounts(await records(dir.path)), { "decision:d-dead": 1 });
  assert.deepEqual(spoolFiles(dir.path), []);
});

Deno.test("SessionAudit takes in a spool file claimed by a session that died before taking it in", async () => {
  await using dir = await tempDir("thoth-handoff-");
  const spool = DecisionSpool.open(dir.path, "s-gone", Date.now, await spoolMacOf(dir.path));
  spool.write({
    type: "approval",
    session: "s-gone",
    decisionId: "d-asked",
    channel: "elicitation",
    outcome: "denied",
  });
  spool.close();
  const path = `${DecisionSpool.dir(dir.path)}/s-gone-1.jsonl`;
  // Claimed by a session killed a while ago (a claim keeps the file's time).
  Deno.renameSync(path, `${path}.claimed-s-killed`);
  const { audit } = await session(dir.path, "s-new", ORPHAN_AFTER_MS + 1000);
  await audit.start("fs-server", [], []);
  await audit.end(0, null);
  const all = await records(dir.path);
  assert.deepEqual(decisionCounts(all), { "approval:d-asked": 1 });
  assert.ok(all.some((r) => r["type"] === "spool_recovered"));
  assert.deepEqual(spoolFiles(dir.path), []);
});

Deno.test("SessionAudit finds the log writable again after a batch it refused once all of it was in", async () => {
  await using dir = await tempDir("thoth-handoff-");
  const { audit, notes, failAfter } = await session(dir.path, "s-probe");
  await audit.start("fs-server", [], []);
  const before = (await records(dir.path)).length;
  // The five records reach today's segment; the checkpoint then due starts tomorrow's, which cannot be made.
  const blocker = await failAfter(5);
  await traffic(audit);
  assert.equal(await audit.flush(), false, "the log refused the batch");
  assert.equal((await records(dir.path)).length, before + 5, "every record of it is in");
  assert.equal(audit.recording, false, "calls are blocked meanwhile");
  assert.equal(await audit.flush(), false, "still failing: the probe does not pretend");
  assert.equal(audit.recording, false);
  Deno.removeSync(blocker);
  const deadline = Date.now() + 5000;
  while (!audit.recording && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(audit.recording, true, "found writable again without new calls");
  assert.ok(notes.some((m) => /writable again/.test(m)), notes.join("\n"));
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(call, () => "d-4") as Verdict;
  assert.equal(verdict.decision, "allow", "calls proceed again");
  await audit.end(0, null);
  assert.deepEqual(
    decisionCounts(await records(dir.path)),
    { "decision:d-1": 1, "decision:d-2": 1, "decision:d-3": 1, "decision:d-4": 1 },
  );
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});

Deno.test("SessionAudit records a call refused for a failing log as blocked by audit.unwritable", async () => {
  await using dir = await tempDir("thoth-handoff-");
  const { audit, failAfter } = await session(dir.path, "s-refused");
  await audit.start("fs-server", [], []);
  const blocker = await failAfter(0);
  await traffic(audit);
  assert.equal(await audit.flush(), false);
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(call, () => "d-refused") as Verdict;
  assert.equal(verdict.decision, "block");
  assert.deepEqual(verdict.ruleIds, ["audit.unwritable"]);
  Deno.removeSync(blocker);
  assert.equal(await audit.flush(), true);
  await audit.end(0, null);
  const all = await records(dir.path);
  const refused = all.filter((r) => r["decisionId"] === "d-refused" && r["type"] === "decision");
  assert.equal(refused.length, 1);
  const record = refused[0]!;
  assert.equal(record["effect"], "blocked", "recorded as what the client got");
  assert.deepEqual(record["ruleIds"], ["audit.unwritable"]);
  assert.equal(record["verdict"], "allow", "the policy's own verdict stays visible");
  assert.ok(
    (record["reasons"] as string[]).some((r) => /enforcer decided: allow/.test(r)),
    JSON.stringify(record),
  );
  const forwarded = all.filter((r) => r["decisionId"] === "d-1" && r["type"] === "decision");
  assert.equal(forwarded[0]?.["effect"], "forwarded", "calls forwarded before the failure stay so");
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});
