/**
 * SessionAudit says what is true of records it could not write. A gating
 * record (a decision) that neither the log nor the spool took is recorded
 * nowhere: stderr names its decision id as LOST, when it is lost and again
 * at the end, with the cause, and the end never says it stays in the spool.
 * Only records that are in a spool file are said to stay there, and a later
 * session does take those in. A log that could not be opened is named once
 * ("cannot write the audit log" not twice). A call blocked for reaching
 * thoth's own files gets its whole diagnosis on stderr (the model hears it
 * in short). The session_start record carries the OS account (`osUser`, `osUid`),
 * covered by the chain like its other fields.
 *
 * Real files under a temp THOTH_HOME; the faults are real: a folder stands
 * where the log's next segment goes (see the harness) and where the spool's
 * next file goes.
 */
import assert from "node:assert/strict";
import { DecisionSpool, readSpool } from "../../src/audit/decision_spool.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  gatingCounts,
  logRecords,
  newSessionAudit,
  openSession,
  spoolFiles,
  toolCall,
} from "./_session_audit_harness.ts";
import { spoolMacOfSync } from "../audit/_spool_mac.ts";

const call = toolCall();

/**
 * Folders where the spool's files `from` to `from + 3` of `session` go: none
 * of them can be opened (each write tries the next number). Returns their paths.
 */
function blockSpoolFiles(home: string, session: string, from: number): string[] {
  return [0, 1, 2, 3].map((n) => {
    const path = `${DecisionSpool.dir(home)}/${session}-${from + n}.jsonl`;
    Deno.mkdirSync(path, { recursive: true });
    return path;
  });
}

/** The decision ids in the spool's files (folders standing in for files are skipped). */
function spooledIds(home: string): string[] {
  return spoolFiles(home, "empty").flatMap((name) => {
    const path = `${DecisionSpool.dir(home)}/${name}`;
    if (Deno.statSync(path).isDirectory) return [];
    return readSpool(path, spoolMacOfSync(home)).map((e) =>
      (e as { decisionId?: string }).decisionId ?? e.type
    );
  });
}

Deno.test("SessionAudit names decisions neither the log nor the spool took as LOST, and never says they stay in the spool", async () => {
  await using dir = await tempDir("thoth-lost-");
  const s = await openSession(dir.path, { session: "s-full" });
  await s.audit.start("fs-server", [], []);
  // The disk is full: the log's next batch fails, and so does the spool's first file.
  await s.failAfter(0);
  // (Its first file, which held the session's start, is in the log and gone.)
  blockSpoolFiles(dir.path, "s-full", 2);
  const enforcer = s.audit.wrapEnforcer(allowAllEnforcer);
  for (const id of ["d-lost-1", "d-lost-2"]) {
    const verdict = enforcer.decide(call, () => id) as Verdict;
    assert.equal(verdict.decision, "block");
    assert.deepEqual(verdict.ruleIds, ["audit.unwritable"]);
  }
  await s.audit.end(0, null);
  const all = s.notes.join("\n");
  assert.deepEqual(spooledIds(dir.path), [], "nothing reached the spool");
  assert.doesNotMatch(all, /stay in the spool/, all);
  // Each lost record is named when it is lost (a killed thoth says no more)…
  for (const id of ["d-lost-1", "d-lost-2"]) {
    assert.ok(
      s.notes.some((m) => m.includes(`decision ${id}`) && /LOST/.test(m)),
      `${id} named as lost: ${all}`,
    );
  }
  // …and all of them again at the end, with the cause.
  const end = s.notes.find((m) => /2 decision or approval record\(s\) are LOST/.test(m));
  assert.ok(end, all);
  assert.match(end, /d-lost-1, d-lost-2/);
  assert.match(end, /cannot write the audit spool: /);
  assert.match(end, /no later session will record them/);
  // The session's start and end, which the log refused, are said to be lost too.
  assert.match(
    all,
    /could not be written to the audit log before the session ended: they are lost \(none of them is a decision or approval/,
  );
});

Deno.test("SessionAudit says only the decisions in the spool stay there, and a later session takes those in", async () => {
  await using dir = await tempDir("thoth-lost-");
  const s = await openSession(dir.path, { session: "s-half" });
  await s.audit.start("fs-server", [], []);
  const logBlocker = await s.failAfter(0);
  const enforcer = s.audit.wrapEnforcer(allowAllEnforcer);
  // The spool takes d-kept; the log then refuses the batch that holds it.
  assert.equal((enforcer.decide(call, () => "d-kept") as Verdict).decision, "allow");
  assert.equal(await s.audit.flush(), false, "the log refused the batch");
  // Then the spool's next files cannot be made: d-gone is recorded nowhere.
  const spoolBlockers = blockSpoolFiles(dir.path, "s-half", 3);
  assert.equal((enforcer.decide(call, () => "d-gone") as Verdict).decision, "block");
  await s.audit.end(0, null);
  const all = s.notes.join("\n");
  assert.match(all, /1 decision or approval record\(s\) among them stay in the spool/, all);
  const end = s.notes.find((m) => /record\(s\) are LOST/.test(m)) ?? "";
  assert.match(end, /^error: 1 decision or approval record\(s\) are LOST.*: d-gone$/, all);
  assert.deepEqual(spooledIds(dir.path), ["d-kept"]);

  // The disk has room again: the next session takes in what the spool holds, and only that.
  Deno.removeSync(logBlocker);
  for (const blocker of spoolBlockers) Deno.removeSync(blocker);
  const next = await openSession(dir.path, { session: "s-next", aheadMs: ORPHAN_AFTER_MS + 1000 });
  await next.audit.start("fs-server", [], []);
  await next.audit.end(0, null);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), { "decision:d-kept": 1 });
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report.findings));
});

Deno.test("SessionAudit names a log it could not open once, and each refused decision as lost", async () => {
  await using dir = await tempDir("thoth-lost-");
  const openError = 'cannot write the audit log in "/profile/audit": No space left on device';
  const { audit, notes } = newSessionAudit(dir.path, undefined, {
    session: "s-none",
    extra: { openError },
  });
  await audit.start("fs-server", [], []);
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(call, () => "d-none") as Verdict;
  assert.deepEqual(verdict.ruleIds, ["audit.unwritable"]);
  await audit.end(0, null);
  const all = notes.join("\n");
  const failure = notes.find((m) => m.includes("tool calls are blocked")) ?? "";
  assert.equal(failure.split("cannot write the audit log").length - 1, 1, failure);
  assert.ok(failure.startsWith(`error: ${openError}; tool calls are blocked`), all);
  const end = notes.find((m) => /record\(s\) are LOST/.test(m)) ?? "";
  assert.match(end, /\(cannot write the audit log in "\/profile\/audit": No space left/, all);
  assert.match(end, /d-none$/, all);
});

Deno.test("SessionAudit puts the whole diagnosis of a call blocked for thoth's own files on stderr", async () => {
  await using dir = await tempDir("thoth-lost-");
  const s = await openSession(dir.path, { session: "s-own" });
  await s.audit.start("fs-server", [], []);
  const reason =
    `the arguments reach thoth's own profile folder "${dir.path}" (its audit log …); ` +
    "move the profile out of its reach with THOTH_HOME";
  const own: Enforcer = {
    decide: (_call, ids) => ({
      decision: "block",
      decisionId: ids(),
      ruleIds: ["thoth.own_files"],
      reasons: [reason],
    }),
  };
  const verdict = s.audit.wrapEnforcer(own).decide(call, () => "d-own") as Verdict;
  assert.equal(verdict.decision, "block");
  await s.audit.end(0, null);
  const line = s.notes.find((m) => m.includes("d-own")) ?? "";
  assert.match(
    line,
    /^blocked tool "write_file" on server "fs" \(decision d-own, rule thoth\.own_files\): /,
  );
  assert.ok(line.endsWith(`${reason}; see it with "thoth audit show --decision-id d-own"`), line);
});

Deno.test("SessionAudit records the OS account in session_start, covered by the chain", async () => {
  await using dir = await tempDir("thoth-lost-");
  const s = await openSession(dir.path, { session: "s-who" });
  await s.audit.start("fs-server", [], [], {
    userId: "ana@example.com",
    osUser: "ana",
    osUid: 1000,
  });
  await s.audit.end(0, null);
  const start = (await logRecords(dir.path)).find((r) => r["type"] === "session_start");
  assert.equal(start?.["osUser"], "ana", JSON.stringify(start));
  assert.equal(start?.["osUid"], 1000, JSON.stringify(start));
  assert.equal(start?.["userId"], "ana@example.com");
  assert.notEqual((await verifyLocalLog(dir.path)).exitCode, 1, "the log verifies");
  // Another name in its place breaks the chain: the field is covered like the others.
  const logDir = auditPaths(dir.path).dir;
  for (const entry of Deno.readDirSync(logDir)) {
    if (!entry.isFile || !entry.name.endsWith(".jsonl")) continue;
    const path = `${logDir}/${entry.name}`;
    const text = Deno.readTextFileSync(path);
    if (text.includes('"osUser":"ana"')) {
      Deno.writeTextFileSync(path, text.replace('"osUser":"ana"', '"osUser":"bob"'));
    }
  }
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 1, "a changed osUser is found");
});

Deno.test("SessionAudit records a uid without a name, and no uid that is not one", async () => {
  await using dir = await tempDir("thoth-lost-");
  const s = await openSession(dir.path, { session: "s-uid" });
  await s.audit.start("fs-server", [], [], { osUid: 54321 });
  await s.audit.end(0, null);
  const start = (await logRecords(dir.path)).find((r) => r["type"] === "session_start");
  assert.equal(start?.["osUid"], 54321, JSON.stringify(start));
  assert.ok(!("osUser" in (start ?? {})), JSON.stringify(start));
  await using other = await tempDir("thoth-lost-");
  const t = await openSession(other.path, { session: "s-bad-uid" });
  await t.audit.start("fs-server", [], [], { osUid: -1 });
  await t.audit.end(0, null);
  const bad = (await logRecords(other.path)).find((r) => r["type"] === "session_start");
  assert.ok(!("osUid" in (bad ?? {})), JSON.stringify(bad));
});

Deno.test("SessionAudit blames the spool, not the log, for decisions a broken spool lost", async () => {
  await using dir = await tempDir("thoth-lost-");
  // A plain file stands where the spool's folder goes: the log itself is fine.
  const spoolDir = DecisionSpool.dir(dir.path);
  Deno.mkdirSync(auditPaths(dir.path).dir, { recursive: true });
  Deno.writeTextFileSync(spoolDir, "not a folder\n");
  const s = await openSession(dir.path, { session: "s-nospool" });
  await s.audit.start("fs-server", [], []);
  const verdict = s.audit.wrapEnforcer(allowAllEnforcer).decide(call, () => "d-nospool") as Verdict;
  assert.deepEqual(verdict.ruleIds, ["audit.unwritable"]);
  await s.audit.end(0, null);
  const all = s.notes.join("\n");
  // The session's own records did reach the log.
  const types = (await logRecords(dir.path)).map((r) => r["type"]);
  assert.ok(types.includes("session_start"), JSON.stringify(types));
  assert.doesNotMatch(all, /neither the audit log nor its spool/, all);
  assert.doesNotMatch(all, /cannot write the audit log: cannot open the audit spool/, all);
  const lost = s.notes.find((m) => m.includes("decision d-nospool") && /LOST/.test(m)) ?? "";
  assert.ok(
    lost.includes(`is LOST: the audit spool ${JSON.stringify(spoolDir)} cannot take it (`),
    all,
  );
  assert.match(
    lost,
    /cannot open the audit spool: .*\), and decisions and approvals reach the audit log only through the spool$/,
  );
  const end = s.notes.find((m) => /1 decision or approval record\(s\) are LOST/.test(m)) ?? "";
  assert.ok(
    end.includes(`LOST: the audit spool ${JSON.stringify(spoolDir)} cannot take them`),
    all,
  );
  assert.match(end, /no later session will record them; their decision ids: d-nospool$/, all);
  const failure = s.notes.find((m) => m.includes("tool calls are blocked")) ?? "";
  assert.match(
    failure,
    /^error: cannot write the audit log's decision and approval records, which reach it only through its spool: cannot open the audit spool: .*; tool calls are blocked/,
    all,
  );
});
