/**
 * Decisions held while the log could not be written keep the time they were
 * made: written once the log works again, their records carry `decidedAt`
 * (when they were spooled) beside their own `ts` (when they were written),
 * and one written on time carries no `decidedAt` (normal records do not
 * grow). A copy of the held spool files (a session killed after its late
 * batch, before it removed them) is taken in by the next session without
 * recording those decisions twice. Real files under a temp THOTH_HOME; the fault is real (a folder
 * stands where the log's next segment goes, see the harness); the session's
 * clock and the log's are fixed so that the times are exact.
 */
import assert from "node:assert/strict";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { tempDir } from "../e2e/_harness.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import {
  age,
  DAY1,
  DAY2,
  gatingCounts,
  logRecords,
  openSession,
  spoolFiles,
  toolCall,
} from "./_session_audit_harness.ts";

Deno.test("SessionAudit: decisions the log took late carry decidedAt, the time they were made; one on time does not", async () => {
  await using dir = await tempDir("thoth-decided-at-");
  // The log's clock reads noon of DAY1 (DAY2 once it fails); the session's is set here.
  let now = Date.parse(`${DAY1}T11:59:59.800Z`);
  const s = await openSession(dir.path, { session: "s-held", extra: { now: () => now } });
  await s.audit.start("fs", [], []);
  const enforcer = s.audit.wrapEnforcer(allowAllEnforcer);
  const call = toolCall();
  assert.equal((enforcer.decide(call, () => "d-on-time") as Verdict).decision, "allow");
  assert.equal(await s.audit.flush(), true);
  // The log's next batch fails: its records are held, and written once it works again.
  const blocker = await s.failAfter(0);
  now = Date.parse(`${DAY1}T12:00:00.100Z`);
  assert.equal((enforcer.decide(call, () => "d-held") as Verdict).decision, "allow");
  assert.equal(await s.audit.flush(), false);
  now = Date.parse(`${DAY1}T12:00:03.000Z`);
  const refused = enforcer.decide(call, () => "d-refused") as Verdict;
  assert.deepEqual(refused.ruleIds, ["audit.unwritable"]);
  // The held files, as a session killed after its late batch but before removing them leaves them.
  const spool = DecisionSpool.dir(dir.path);
  const held = spoolFiles(dir.path).map((name) => ({
    name,
    text: Deno.readTextFileSync(`${spool}/${name}`),
  }));
  assert.ok(held.length > 0);
  Deno.removeSync(blocker);
  assert.equal(await s.audit.flush(), true, JSON.stringify(s.notes));
  await s.audit.end(0, null);
  // The next session takes them in, and leaves out what the log holds, late records included.
  for (const { name, text } of held) {
    Deno.writeTextFileSync(`${spool}/${name}`, text);
    age(`${spool}/${name}`);
  }
  const next = await openSession(dir.path, { session: "s-next" });
  await next.audit.start("fs", [], []);
  await next.audit.end(0, null);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), {
    "decision:d-held": 1,
    "decision:d-on-time": 1,
    "decision:d-refused": 1,
  });
  const decisions = new Map(
    (await logRecords(dir.path)).filter((r) => r["type"] === "decision")
      .map((r) => [String(r["decisionId"]), r]),
  );
  const onTime = decisions.get("d-on-time")!;
  assert.equal(onTime["ts"], `${DAY1}T12:00:00.000Z`);
  assert.equal(onTime["decidedAt"], undefined, "a record written on time carries ts only");
  assert.equal(decisions.get("d-held")?.["ts"], `${DAY2}T12:00:00.000Z`);
  assert.equal(decisions.get("d-held")?.["decidedAt"], `${DAY1}T12:00:00.100Z`);
  assert.equal(decisions.get("d-refused")?.["decidedAt"], `${DAY1}T12:00:03.000Z`);
  // Right after the envelope, where a reader looking for times finds it first.
  const line = JSON.stringify(decisions.get("d-held"));
  assert.match(line, /^\{"v":1,"seq":\d+,"ts":"[^"]+","prev":"[0-9a-f]{64}","decidedAt":"/);
  assert.doesNotMatch(line, /spooledMs/, "the spool's stamp never reaches the log");
});
