/**
 * Taking back the records a session let go past the held bound, at its
 * edges: one of its own let-go files it refuses is said to be its own (and
 * not counted among the files taken in); a take-back round let go again is
 * not counted as records lost (taking the files back writes their
 * `spool_recovered` records afresh); a round the session's end overtakes
 * leaves its refused files for the next session to refuse with a record; and
 * verify does not read a session that took back its own files as one that
 * was killed. Real files under a temp THOTH_HOME; the log is the real one,
 * made to refuse writes while a switch is on.
 */
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { SpoolMac } from "../../src/audit/spool_mac.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { ClaimedElsewhere } from "../../src/proxy/claimed_elsewhere.ts";
import { HELD_MAX } from "../../src/proxy/held_spool_files.ts";
import { LetGoSpools } from "../../src/proxy/let_go_spools.ts";
import { LogBatches } from "../../src/proxy/log_batches.ts";
import type { SessionAudit } from "../../src/proxy/session_audit.ts";
import { SpoolGroupSync } from "../../src/proxy/spool_group_sync.ts";
import { UnwritableNotice } from "../../src/proxy/unwritable_audit_notes.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  gatingCounts,
  logRecords,
  newSessionAudit,
  spoolFiles,
  stepUp,
  toolCall,
} from "./_session_audit_harness.ts";

/** Calls whose decisions and outcomes are held: with the start, just under the bound. */
const HELD_CALLS = (HELD_MAX - 2) / 2;

/** Makes the real `log` refuse every write while `refusing.on`. */
function refusable(log: AuditLog): { on: boolean } {
  const refusing = { on: false };
  const append = log.appendMany.bind(log);
  const checkpoint = log.checkpoint.bind(log);
  log.appendMany = (events, mine) =>
    refusing.on ? Promise.reject(new Error("disk full")) : append(events, mine);
  log.checkpoint = () => refusing.on ? Promise.reject(new Error("disk full")) : checkpoint();
  return refusing;
}

interface LetGo {
  audit: SessionAudit;
  notes: string[];
  refusing: { on: boolean };
  log: AuditLog;
  decide: (id: string) => void;
}

/**
 * Session `session` (observe mode) under `home` whose log refuses after its
 * start: calls are held just under the bound, then three more decisions pass
 * it and the batch is let go (their outcomes stay queued after). With
 * `outcomes` false, the calls held are decisions alone: nothing but
 * decisions is let go.
 */
async function letGo(home: string, session: string, outcomes = true): Promise<LetGo> {
  const log = await openAuditLog({ thothHome: home });
  const refusing = refusable(log);
  const { audit, notes } = newSessionAudit(home, log, { session, mode: "observe" });
  await audit.start("fs-server", [], []);
  refusing.on = true;
  const call = toolCall();
  const enforcer = audit.wrapEnforcer(allowAllEnforcer);
  const events = audit.events();
  const decide = (id: string) => {
    events.decision!(call, enforcer.decide(call, () => id) as Verdict, id);
  };
  const answer = (id: string) =>
    events.outcome!(id, "write_file", false, 1, { content: [] }, undefined);
  for (let i = 0; i < HELD_CALLS * (outcomes ? 1 : 2); i++) decide(`d-${i}`);
  for (let i = 0; outcomes && i < HELD_CALLS; i++) answer(`d-${i}`);
  await Promise.resolve();
  assert.equal(await audit.flush(), false);
  for (const id of ["d-last-1", "d-last-2", "d-last-3"]) decide(id);
  assert.equal(await audit.flush(), false);
  assert.ok(notes.some((m) => /thoth stops holding them/.test(m)), notes.join("\n"));
  for (const id of ["d-last-1", "d-last-2", "d-last-3"]) if (outcomes) answer(id);
  await Promise.resolve();
  return { audit, notes, refusing, log, decide };
}

Deno.test("a session that refuses one of its own let-go spool files says it is its own, and counts only the files it takes in", async () => {
  await using dir = await tempDir("thoth-take-back-");
  const home = dir.path;
  const session = "s-tamper";
  const s = await letGo(home, session);
  const files = spoolFiles(home);
  assert.ok(files.length >= 2, `let-go files: ${files}`);
  // One of its files is changed on the disk: its line no longer verifies.
  const tampered = `${DecisionSpool.dir(home)}/${files[0]}`;
  const text = Deno.readTextFileSync(tampered);
  Deno.writeTextFileSync(tampered, text.replace('"d-1"', '"d-X"'));
  s.refusing.on = false;
  for (let i = 0; i < 4; i++) await s.audit.flush();
  await s.audit.end(0, null);

  const refusal = s.notes.find((m) => /refused .*audit spool file/.test(m));
  assert.ok(refusal !== undefined, s.notes.join("\n"));
  assert.match(refusal, new RegExp(`refused this session's own audit spool file "${files[0]}": `));
  assert.doesNotMatch(refusal, /another session left/);
  const taking = s.notes.find((m) => /taking back into the audit log/.test(m))!;
  assert.match(taking, new RegExp(`from ${files.length - 1} of its spool file\\(s\\)`), taking);
  const refused = (await logRecords(home)).filter((r) => r["type"] === "spool_refused");
  assert.deepEqual(refused.map((r) => r["file"]), [files[0]]);
});

Deno.test("a take-back round let go again is not counted as records lost: its files are taken back with fresh spool_recovered records", async () => {
  await using dir = await tempDir("thoth-take-back-");
  const home = dir.path;
  const session = "s-twice";
  const s = await letGo(home, session);
  s.refusing.on = false;
  assert.equal(await s.audit.flush(), true, "the outcomes, what was let go, and the start");
  assert.equal(await s.audit.flush(), true, "the take-back round is queued");
  s.refusing.on = true;
  // The round and more decisions pass the bound while the log refuses again.
  for (let i = 0; i < HELD_CALLS; i++) s.decide(`e-${i}`);
  assert.equal(await s.audit.flush(), false);
  for (let i = 0; i < 10; i++) s.decide(`f-${i}`);
  assert.equal(await s.audit.flush(), false);
  s.refusing.on = false;
  for (let i = 0; i < 6; i++) await s.audit.flush();
  await s.audit.end(0, null);

  assert.deepEqual(spoolFiles(home, "empty"), [], "everything let go was taken back");
  const records = await logRecords(home);
  const counts = gatingCounts(records);
  assert.equal(Object.keys(counts).length, HELD_CALLS + 3 + HELD_CALLS + 10);
  assert.ok(Object.values(counts).every((n) => n === 1), "each decision once");
  // Only the first let-go batch lost records (its outcomes); the second held decisions only.
  const dropped = records.filter((r) => r["type"] === "records_dropped");
  assert.deepEqual(dropped.map((r) => r["types"]), [{ outcome: HELD_CALLS }]);
  const report = await verifyLocalLog(home);
  assert.ok(!report.findings.some((f) => f.kind === "decision_missing"));
});

Deno.test("a session still open after it took back its own let-go files is not read as killed", async () => {
  await using dir = await tempDir("thoth-take-back-");
  const home = dir.path;
  const session = "s-open";
  // Decisions alone are let go: the session loses nothing else.
  const s = await letGo(home, session, false);
  s.refusing.on = false;
  for (let i = 0; i < 3; i++) await s.audit.flush();
  assert.deepEqual(spoolFiles(home), [], "taken back");
  assert.ok(!(await logRecords(home)).some((r) => r["type"] === "records_dropped"));
  const recovered = (await logRecords(home)).filter((r) => r["type"] === "spool_recovered");
  assert.ok(recovered.length > 0 && recovered.every((r) => r["session"] === session));
  // A step-up waits for a person while the bundle is exported.
  const call = toolCall();
  const enforcer = s.audit.wrapEnforcer(stepUp);
  s.audit.events().decision!(call, enforcer.decide(call, () => "su-1") as Verdict, "su-1");
  await Promise.resolve();
  await s.audit.flush();
  await s.log.checkpoint();
  try {
    const out = `${home}/bundle`;
    await exportBundle(home, { output: out, now: new Date() });
    const bundle = await verifyBundle(out);
    // Its README says a spool_recovered record may be the session's own taking back.
    const readme = Deno.readTextFileSync(`${out}/README.md`);
    assert.match(readme, /spool_recovered:[^|]*the session's own[^|]*took back in itself/);
    const open = bundle.findings.filter((f) => f.kind === "session_without_end");
    assert.equal(open.length, 1, JSON.stringify(open));
    assert.equal(open[0]!.severity, "info", open[0]!.message);
    assert.match(open[0]!.message, /still open at the end of this bundle/);
    for (const finding of bundle.findings) {
      if (finding.kind === "step_up_without_approval") assert.equal(finding.severity, "info");
    }
    // The device's own log: no later session took in its spool.
    const local = await verifyLocalLog(home);
    const unended = local.findings.find((f) => f.kind === "session_without_end")!;
    assert.doesNotMatch(unended.message, /a later session took in its spool/);
  } finally {
    await s.audit.end(0, null);
  }
});

Deno.test("a take-back round the session's end overtakes leaves a refused file for the next session, not set aside unrecorded", async () => {
  await using dir = await tempDir("thoth-take-back-");
  const home = dir.path;
  const session = "s-ending";
  const notes: string[] = [];
  const note = (m: string) => notes.push(m);
  const log = await openAuditLog({ thothHome: home });
  const refusing = refusable(log);
  const mac = new SpoolMac((await loadDeviceKeys(home, new Date())).hmacRaw);
  // A let-go file of this session that it did not write as it stands.
  const spoolDir = DecisionSpool.dir(home);
  Deno.mkdirSync(spoolDir, { recursive: true });
  const name = `${session}-1.jsonl`;
  Deno.writeTextFileSync(`${spoolDir}/${name}`, '{"not":"a spool line"}\n');
  const letGo = new LetGoSpools({ thothHome: home, session, now: Date.now, note, mac: () => mac });
  letGo.add([{ path: `${spoolDir}/${name}`, openedAt: undefined, ino: null }]);
  const notice = new UnwritableNotice({ mode: "observe", note });
  const elsewhere = new ClaimedElsewhere({
    thothHome: home,
    session,
    now: Date.now,
    note,
    mac: () => mac,
  });
  const batches: LogBatches = new LogBatches(
    { log, session, note },
    () => undefined,
    new SpoolGroupSync(() => undefined, notice),
    notice,
    elsewhere,
    letGo,
  );
  try {
    // The log refuses a batch, then takes it: a take-back round follows the next batch.
    refusing.on = true;
    batches.later({ type: "session_end", session, exitCode: 0, signal: null });
    assert.equal(await batches.flush(), false);
    refusing.on = false;
    assert.equal(await batches.flush(), true);
    // The session's end comes while the round's checkpoint is written.
    const checkpoint = log.checkpoint.bind(log);
    log.checkpoint = async () => {
      const written = await checkpoint();
      batches.stop();
      return written;
    };
    await batches.flush();
    assert.ok(batches.ended);
    assert.deepEqual(spoolFiles(home), [name], "left under its name for the next session");
  } finally {
    batches.stop();
    await log.close();
  }
});
