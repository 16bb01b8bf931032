/**
 * Gaps in taking killed (or stopped) sessions' spools into the log: a
 * running session sweeps for orphans again (not only at its start), a
 * session whose spool file another session took in while it was stopped
 * does not record those decisions again, and a spool that could not be
 * written says so when it can be again. Real logs and files under a temp
 * THOTH_HOME; the clock that dates orphans is injected.
 */
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  age,
  deadDecision,
  gatingCounts,
  logRecords,
  newSessionAudit,
  sameDayClock,
  spoolFiles,
  toolCall,
} from "./_session_audit_harness.ts";
import { signedLines } from "../audit/_spool_mac.ts";

/**
 * Session `s-live` over a new log in `home`, on the clock `now`, sweeping
 * every `sweepMs`; beside it, the spool file of a session killed just now,
 * holding one decision (`d-dead`).
 */
async function liveBesideDeadSpool(home: string, now: () => number, sweepMs: number) {
  const log = await openAuditLog({ thothHome: home, now: sameDayClock() });
  const { audit } = newSessionAudit(home, log, { session: "s-live", extra: { now, sweepMs } });
  const spool = DecisionSpool.dir(home);
  Deno.mkdirSync(spool, { recursive: true });
  writeSpoolFile(
    `${spool}/s-dead-1.jsonl`,
    await signedLines(home, "s-dead", [deadDecision("d-dead")]),
    now(),
  );
  return audit;
}

Deno.test("a running session takes in a spool file that came of age after its start", async () => {
  await using dir = await tempDir();
  let now = Date.now();
  // Left by a session killed just before this one started: too young for start() to take.
  const audit = await liveBesideDeadSpool(dir.path, () => now, 3_600_000);
  await audit.start("fs", [], []);
  assert.deepEqual(spoolFiles(dir.path), ["s-dead-1.jsonl"]);
  assert.equal(await audit.sweep(), 0, "still younger than a minute");
  now += ORPHAN_AFTER_MS + 1_000;
  assert.equal(await audit.sweep(), 1);
  assert.deepEqual(spoolFiles(dir.path), []);
  await audit.end(0, null);
  const records = await logRecords(dir.path);
  const recovered = records.filter((r) => r["type"] === "spool_recovered");
  assert.equal(recovered.length, 1);
  assert.equal(recovered[0]?.["session"], "s-live");
  assert.deepEqual(gatingCounts(records), { "decision:d-dead": 1 });
});

Deno.test("the sweep runs from the session's own timer", async () => {
  await using dir = await tempDir();
  let now = Date.now();
  const audit = await liveBesideDeadSpool(dir.path, () => now, 20);
  await audit.start("fs", [], []);
  now += ORPHAN_AFTER_MS + 1_000;
  // The timer never holds the process open: a pending timeout keeps the loop running.
  for (let i = 0; i < 100 && spoolFiles(dir.path).length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(spoolFiles(dir.path), []);
  await audit.end(0, null);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), { "decision:d-dead": 1 });
});

Deno.test("a stopped session whose spool another took in records its decisions once", async () => {
  await using dir = await tempDir();
  const clock = sameDayClock();
  const realA = await openAuditLog({ thothHome: dir.path, now: clock });
  // A is "stopped" before its batches reach the log until the gate opens.
  const gate = Promise.withResolvers<void>();
  let stopped = false;
  const logA = new Proxy(realA, {
    get(target, name) {
      if (name === "appendMany") {
        return async (...args: Parameters<AuditLog["appendMany"]>) => {
          if (stopped) await gate.promise;
          return await target.appendMany(...args);
        };
      }
      const value = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const a = newSessionAudit(dir.path, logA, { session: "s-stopped" });
  await a.audit.start("fs", [], []);
  stopped = true;
  const enforcer = a.audit.wrapEnforcer(allowAllEnforcer);
  const call = toolCall();
  // Spooled, and (synchronously, before A's next batch) its file looks a minute old: A "stopped".
  assert.equal((enforcer.decide(call, () => "d-1") as Verdict).decision, "allow");
  assert.equal((enforcer.decide(call, () => "d-2") as Verdict).decision, "allow");
  const [file] = spoolFiles(dir.path);
  age(`${DecisionSpool.dir(dir.path)}/${file}`);
  const logB = await openAuditLog({ thothHome: dir.path, now: clock });
  const b = newSessionAudit(dir.path, logB, { session: "s-claimer" });
  // B claims A's file within its start's first (synchronous) steps.
  const started = b.audit.start("fs", [], []);
  assert.ok(spoolFiles(dir.path).some((name) => name.endsWith(".claimed-s-claimer")));
  // A resumes: one more call, written to the file B has claimed (and read) already.
  assert.equal((enforcer.decide(call, () => "d-3") as Verdict).decision, "allow");
  await started;
  await b.audit.end(0, null);
  gate.resolve();
  await a.audit.end(0, null);
  const records = await logRecords(dir.path);
  assert.deepEqual(gatingCounts(records), {
    "decision:d-1": 1,
    "decision:d-2": 1,
    "decision:d-3": 1,
  }, JSON.stringify(a.notes));
  assert.ok(
    a.notes.some((n) => n.includes("another session took in this session's audit spool file")),
    JSON.stringify(a.notes),
  );
  assert.deepEqual(spoolFiles(dir.path), []);
});

Deno.test("a spool that could be written again says so, and a second failure is said too", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({ thothHome: dir.path, now: sameDayClock() });
  const { audit, notes } = newSessionAudit(dir.path, log, { session: "s-full" });
  await audit.start("fs", [], []);
  const enforcer = audit.wrapEnforcer(allowAllEnforcer);
  const call = toolCall();
  const spool = DecisionSpool.dir(dir.path);
  // The session's next spool file cannot be made (a folder stands at its name; its
  // first file, which held its start, is in the log and gone).
  const fail = (generation: number) => Deno.mkdirSync(`${spool}/s-full-${generation}.jsonl`);
  fail(2);
  assert.equal((enforcer.decide(call, () => "d-1") as Verdict).decision, "block");
  assert.equal((enforcer.decide(call, () => "d-2") as Verdict).decision, "allow");
  assert.equal(
    notes.filter((n) => n.includes("spool is writable again")).length,
    1,
    JSON.stringify(notes),
  );
  await audit.flush();
  const failuresBefore = notes.filter((n) => n.startsWith("error: cannot write")).length;
  fail(4);
  assert.equal((enforcer.decide(call, () => "d-3") as Verdict).decision, "block");
  assert.equal(
    notes.filter((n) => n.startsWith("error: cannot write")).length,
    failuresBefore + 1,
    JSON.stringify(notes),
  );
  assert.equal((enforcer.decide(call, () => "d-4") as Verdict).decision, "allow");
  assert.equal(notes.filter((n) => n.includes("spool is writable again")).length, 2);
  for (const g of [2, 4]) Deno.removeSync(`${spool}/s-full-${g}.jsonl`);
  await audit.end(0, null);
});
