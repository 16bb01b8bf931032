/**
 * A batch whose spool files are no longer where the session left them, when
 * the session cannot settle that at once: a file another session claimed
 * while this one was stopped, whose claimer died, is claimed first by a third
 * session just before this one claims it back; and a claimer that takes one
 * more file of the batch at every try outlasts the tries (`RECLAIM_TRIES`).
 * Either way the batch goes back in front of the queue and the session's own
 * timer tries it again, without another call: each record reaches the log
 * once. Real logs and spool files under a temp THOTH_HOME; the race is the
 * third session's real claim, run inside this session's claim (between its
 * look at the folder and its rename), and the tireless claimer renames the
 * files as a claim does.
 */
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { RECLAIM_TRIES } from "../../src/proxy/claimed_elsewhere.ts";
import type { SessionAudit } from "../../src/proxy/session_audit.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  age,
  allowedDecisions,
  gatingCounts,
  logRecords,
  newSessionAudit,
  sameDayClock,
  spoolFiles,
} from "./_session_audit_harness.ts";

/** The sweep of the sessions here never runs on its own during a test. */
const NO_SWEEP = { sweepMs: 3_600_000 };

/** `log` with its `appendMany` run through `before`, which may wait or change the disk first. */
function beforeAppend(
  log: AuditLog,
  before: () => Promise<void> | void,
): AuditLog {
  return new Proxy(log, {
    get(target, name) {
      if (name === "appendMany") {
        return async (...args: Parameters<AuditLog["appendMany"]>) => {
          await before();
          return await target.appendMany(...args);
        };
      }
      const value = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Allowed decisions `ids` of `audit`, each with its outcome; resolves once they are queued. */
async function calls(audit: SessionAudit, ids: readonly string[]): Promise<void> {
  const events = allowedDecisions(audit, ids);
  for (const id of ids) events.outcome!(id, "write_file", false, 1, { content: [] }, undefined);
  await Promise.resolve();
}

/** How many times each record of `session` of `type` (by decision id) is in the log under `home`. */
async function counted(home: string, session: string, type: string) {
  const seen: Record<string, number> = {};
  for (const r of await logRecords(home)) {
    if (r["session"] !== session || r["type"] !== type) continue;
    const id = String(r["decisionId"]);
    seen[id] = (seen[id] ?? 0) + 1;
  }
  return seen;
}

/** Waits (up to 5 s, asking nothing of the session) until `done` holds; whether it does. */
async function until(done: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (!await done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

Deno.test("a batch whose file a third session claims just before this one claims it back is put back and written on the session's own retry", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  const clock = sameDayClock();
  // A is "stopped" before its batch reaches the log, until the gate opens.
  const gate = Promise.withResolvers<void>();
  let stopped = false;
  let waiting = false;
  const logA = beforeAppend(await openAuditLog({ thothHome: home, now: clock }), async () => {
    if (!stopped) return;
    stopped = false;
    waiting = true;
    await gate.promise;
  });
  const a = newSessionAudit(home, logA, { session: "s-stopped", extra: NO_SWEEP });
  const b = newSessionAudit(home, await openAuditLog({ thothHome: home, now: clock }), {
    session: "s-third",
    extra: NO_SWEEP,
  });
  await a.audit.start("fs", [], []);
  stopped = true;
  await calls(a.audit, ["d-1", "d-2"]);
  // The session's timers keep no process alive: the wait polls.
  assert.ok(await until(() => Promise.resolve(waiting)), "A's batch reached its log");
  // Meanwhile a session claimed A's file as a dead session's, and died before taking it in.
  const [file] = spoolFiles(home);
  assert.match(file ?? "", /^s-stopped-\d+\.jsonl$/);
  const copy = `${DecisionSpool.dir(home)}/${file}.claimed-s-dead`;
  Deno.renameSync(`${DecisionSpool.dir(home)}/${file}`, copy);
  age(copy);
  // The third session starts just as A claims the dead claimer's copy back: it claims it first.
  let third: Promise<void> | undefined;
  let raced = false;
  const utime = Deno.utimeSync;
  Deno.utimeSync = (path, atime, mtime) => {
    if (!raced && path === copy) {
      raced = true;
      third = b.audit.start("fs", [], []);
    }
    utime(path, atime, mtime);
  };
  try {
    gate.resolve();
    assert.ok(await until(() => Promise.resolve(third !== undefined)), "A tried to claim it back");
  } finally {
    Deno.utimeSync = utime;
  }
  await third;
  await b.audit.end(0, null);
  // A's batch is written on A's own retry: no call arrives, nothing flushes it.
  const outcomes = () => counted(home, "s-stopped", "outcome");
  assert.ok(
    await until(async () => Object.keys(await outcomes()).length === 2),
    `A's outcomes reach the log: ${(await logRecords(home)).map((r) => r["type"])}`,
  );
  assert.deepEqual(await outcomes(), { "d-1": 1, "d-2": 1 });
  // The decisions are the third session's to write (it took the file in), and are not written twice.
  assert.deepEqual(gatingCounts(await logRecords(home)), { "decision:d-1": 1, "decision:d-2": 1 });
  assert.ok(
    a.notes.some((n) => n.includes("another session took in this session's audit spool file")),
    a.notes.join("\n"),
  );
  await a.audit.end(0, null);
  assert.deepEqual(spoolFiles(home), []);
  const records = await logRecords(home);
  assert.deepEqual(
    records.filter((r) => r["session"] === "s-stopped" && r["type"] !== "decision")
      .map((r) => `${r["type"]}:${r["decisionId"] ?? ""}`),
    ["session_start:", "outcome:d-1", "outcome:d-2", "session_end:"],
    "A's own records, each once and in order",
  );
  const report = await verifyLocalLog(home);
  assert.ok(!report.findings.some((f) => f.kind === "decision_missing"), JSON.stringify(report));
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});

Deno.test("a batch a claimer takes a file of at every try is put back after RECLAIM_TRIES, and written on the session's own retries", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  const spool = DecisionSpool.dir(home);
  let refusing = false;
  /** The files the claimer takes, one at each write A tries while it is on. */
  let prey: string[] = [];
  let tries = 0;
  const log = beforeAppend(await openAuditLog({ thothHome: home, now: sameDayClock() }), () => {
    if (refusing) throw new Error("disk full");
    const next = prey.shift();
    if (next === undefined) return;
    tries++;
    Deno.renameSync(`${spool}/${next}`, `${spool}/${next}.claimed-s-live`);
  });
  const a = newSessionAudit(home, log, { session: "s-prey", mode: "observe", extra: NO_SWEEP });
  await a.audit.start("fs", [], []);
  // The log refuses a batch at a time: each leaves one spool file held, with its decision.
  refusing = true;
  const ids = ["d-1", "d-2", "d-3", "d-4", "d-5"];
  for (const id of ids) {
    await calls(a.audit, [id]);
    assert.equal(await a.audit.flush(), false);
  }
  const held = spoolFiles(home);
  assert.equal(held.length, ids.length, `${held}`);
  // The log works again; a living claimer takes one more of the batch's files at every try.
  refusing = false;
  prey = held.slice(0, RECLAIM_TRIES + 1);
  assert.equal(await a.audit.flush(), false, "put back after the last try, not tried on");
  assert.equal(tries, RECLAIM_TRIES + 1);
  assert.deepEqual(gatingCounts(await logRecords(home)), {}, "nothing of the batch in yet");
  // The rest of the batch goes in on A's own retry.
  const last = ids[RECLAIM_TRIES + 1]!;
  assert.ok(
    await until(async () => (await counted(home, "s-prey", "outcome"))[last] === 1),
    a.notes.join("\n"),
  );
  // The claimer dies holding the files it took: A claims them back and writes what they hold.
  for (const name of spoolFiles(home)) {
    if (name.endsWith(".claimed-s-live")) age(`${spool}/${name}`);
  }
  assert.ok(
    await until(async () => Object.keys(gatingCounts(await logRecords(home))).length === 5),
    a.notes.join("\n"),
  );
  await a.audit.end(0, null);
  const records = await logRecords(home);
  assert.deepEqual(
    gatingCounts(records),
    Object.fromEntries(ids.map((id) => [`decision:${id}`, 1])),
    "each decision once",
  );
  assert.deepEqual(
    await counted(home, "s-prey", "outcome"),
    Object.fromEntries(ids.map((id) => [id, 1])),
    "each outcome once",
  );
  assert.deepEqual(spoolFiles(home), []);
  const report = await verifyLocalLog(home);
  assert.ok(!report.findings.some((f) => f.kind === "decision_missing"), JSON.stringify(report));
});
