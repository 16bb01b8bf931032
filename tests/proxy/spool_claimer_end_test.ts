/**
 * A session's end while other sessions hold its spool records: a resumed
 * session whose spool file another session claimed while it was stopped
 * writes its own records (outcomes, its end) at once and leaves the claimed
 * ones to the claimer; a claimer whose log fails and rewrites those into a
 * spool file of its own still holds them; a sweep still running when the
 * session ends queues what it claimed, or puts it back. Real logs and files
 * under a temp THOTH_HOME; a session is "stopped" or its log made to fail
 * through a wrapper around a real log.
 */
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { ORPHAN_AFTER_MS, type SessionAudit } from "../../src/proxy/session_audit.ts";
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
 * A real log behind a switch: while `held`, its writes and checkpoints wait
 * (the session is stopped); while `failing`, they fail without touching the
 * log (a full disk, say).
 */
function switchedLog(real: AuditLog) {
  let gate = Promise.withResolvers<void>();
  const state = {
    held: false,
    failing: false,
    release() {
      state.held = false;
      gate.resolve();
      gate = Promise.withResolvers<void>();
    },
  };
  const log = new Proxy(real, {
    get(target, name) {
      if (name === "appendMany" || name === "checkpoint") {
        return async (...args: unknown[]) => {
          if (state.held) await gate.promise;
          if (state.failing) throw new Error("no space left on device (test)");
          return await (Reflect.get(target, name, target) as (...a: unknown[]) => unknown)
            .apply(target, args);
        };
      }
      const value = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { log, state };
}

/** Waits (20 ms at a time, 3 s at most) until `ready` says true or `settled` settles. */
async function until(ready: () => Promise<boolean> | boolean, settled?: Promise<unknown>) {
  let done = false;
  settled?.then(() => done = true, () => done = true);
  for (let i = 0; i < 150 && !done && !(await ready()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The types of the records of `session` in the log under `home`. */
async function typesOf(home: string, session: string): Promise<string[]> {
  return (await logRecords(home)).filter((r) => r["session"] === session).map((r) =>
    String(r["type"])
  );
}

/**
 * Session `s-stopped` (waiting `endWaitMs` at its end for other holders)
 * made one call (d-1) and has its outcome; its spool file, a minute old (it
 * was stopped), is claimed by `s-claimer`, whose log is switched (see
 * {@link switchedLog}) as `prepare` sets it before the claim.
 */
async function claimedWhileStopped(
  home: string,
  endWaitMs: number,
  prepare: (state: ReturnType<typeof switchedLog>["state"]) => void,
) {
  const clock = sameDayClock();
  const a = newSessionAudit(home, await openAuditLog({ thothHome: home, now: clock }), {
    session: "s-stopped",
    extra: { endWaitMs },
  });
  await a.audit.start("fs", [], []);
  const enforcer = a.audit.wrapEnforcer(allowAllEnforcer);
  const verdict = { decision: "allow", decisionId: "d-1", ruleIds: [], reasons: [] } as Verdict;
  assert.equal((enforcer.decide(toolCall(), () => "d-1") as Verdict).decision, "allow");
  const events = a.audit.events();
  events.decision!(toolCall(), verdict, 1);
  events.outcome!(1, "write_file", false, 5, { content: [] }, undefined);
  const [file] = spoolFiles(home);
  age(`${DecisionSpool.dir(home)}/${file}`);
  const switched = switchedLog(await openAuditLog({ thothHome: home, now: clock }));
  prepare(switched.state);
  const b = newSessionAudit(home, switched.log, { session: "s-claimer" });
  // B claims A's file within its start's first (synchronous) steps.
  const started = b.audit.start("fs", [], []);
  assert.ok(spoolFiles(home).some((name) => name.endsWith(".claimed-s-claimer")));
  return { a, b, started, switched };
}

Deno.test("a resumed session ending while another holds its spool file keeps its outcomes and end", async () => {
  await using dir = await tempDir();
  const { a, b, started, switched } = await claimedWhileStopped(dir.path, 5_000, (state) => {
    state.held = true;
  });
  const ending = a.audit.end(0, null);
  // Its own records go to the log at once, while the claimer still holds d-1.
  await until(async () => (await typesOf(dir.path, "s-stopped")).includes("session_end"), ending);
  const early = await typesOf(dir.path, "s-stopped");
  assert.ok(early.includes("session_end"), `A's end is lost: ${JSON.stringify(a.notes)}`);
  assert.ok(early.includes("outcome"), `A's outcome is lost: ${JSON.stringify(a.notes)}`);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), {}, "d-1 is the claimer's to write");
  // The claimer goes on and takes d-1 in; A's end, waiting for it, then finds d-1 in the log.
  switched.state.release();
  await started;
  await ending;
  await b.audit.end(0, null);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), { "decision:d-1": 1 });
  assert.ok(!a.notes.some((n) => n.includes("lost")), JSON.stringify(a.notes));
  assert.deepEqual(spoolFiles(dir.path), []);
});

Deno.test("a resumed session that cannot wait for the claimer leaves it d-1, and keeps a copy", async () => {
  await using dir = await tempDir();
  const { a, b, started, switched } = await claimedWhileStopped(dir.path, 100, (state) => {
    state.held = true;
  });
  await a.audit.end(0, null);
  const mine = await typesOf(dir.path, "s-stopped");
  assert.ok(mine.includes("session_end") && mine.includes("outcome"), JSON.stringify(a.notes));
  assert.ok(
    a.notes.some((n) => n.includes("left to the session that claimed")),
    JSON.stringify(a.notes),
  );
  // What A wrote after the claim may be in A's memory only: kept in a spool file of A's too.
  assert.ok(spoolFiles(dir.path).some((name) => /^s-stopped-\d+\.jsonl$/.test(name)));
  switched.state.release();
  await started;
  await b.audit.end(0, null);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), { "decision:d-1": 1 });
  // A later session takes A's copy in, and finds d-1 in the log already.
  for (const name of spoolFiles(dir.path)) age(`${DecisionSpool.dir(dir.path)}/${name}`);
  const c = newSessionAudit(
    dir.path,
    await openAuditLog({ thothHome: dir.path, now: sameDayClock() }),
    { session: "s-later" },
  );
  await c.audit.start("fs", [], []);
  await c.audit.end(0, null);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), { "decision:d-1": 1 });
  assert.deepEqual(spoolFiles(dir.path), []);
});

Deno.test("a claimer whose log fails still holds the records it rewrote into its own spool file", async () => {
  await using dir = await tempDir();
  const { a, b, started, switched } = await claimedWhileStopped(dir.path, 5_000, (state) => {
    state.failing = true;
  });
  // B's log refuses the batch: B puts d-1 in a spool file of its own and removes the claimed copy.
  await started;
  assert.ok(spoolFiles(dir.path).some((name) => name.startsWith("s-claimer-")));
  assert.ok(!spoolFiles(dir.path).some((name) => name.includes(".claimed-")));
  const ending = a.audit.end(0, null);
  await until(async () => (await typesOf(dir.path, "s-stopped")).includes("session_end"), ending);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), {}, JSON.stringify(a.notes));
  // B's log works again: B writes d-1, and A, waiting, finds it there.
  switched.state.failing = false;
  await b.audit.flush();
  await ending;
  await b.audit.end(0, null);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), { "decision:d-1": 1 });
  assert.deepEqual(spoolFiles(dir.path), []);
});

/** Session `s-live` over a log behind a switch; beside it, a dead session's spool file holding d-dead. */
async function liveBesideDead(home: string, now: () => number, endWaitMs: number) {
  const switched = switchedLog(await openAuditLog({ thothHome: home, now: sameDayClock() }));
  const live = newSessionAudit(home, switched.log, {
    session: "s-live",
    extra: { now, sweepMs: 3_600_000, endWaitMs },
  });
  await live.audit.start("fs", [], []);
  writeSpoolFile(
    `${DecisionSpool.dir(home)}/s-dead-1.jsonl`,
    await signedLines(home, "s-dead", [deadDecision("d-dead")]),
    now(),
  );
  return { live, switched };
}

/** Ends `audit` while its sweep, started just before, is still reading the log back. */
async function endDuringSweep(audit: SessionAudit): Promise<number> {
  const sweeping = audit.sweep();
  await audit.end(0, null);
  return await sweeping;
}

Deno.test("a sweep in flight when its session ends has its files' records written", async () => {
  await using dir = await tempDir();
  let now = Date.now();
  const { live } = await liveBesideDead(dir.path, () => now, 5_000);
  now += ORPHAN_AFTER_MS + 1_000;
  assert.equal(await endDuringSweep(live.audit), 1);
  const records = await logRecords(dir.path);
  assert.deepEqual(gatingCounts(records), { "decision:d-dead": 1 }, JSON.stringify(live.notes));
  assert.ok(records.some((r) => r["type"] === "session_end" && r["session"] === "s-live"));
  assert.deepEqual(spoolFiles(dir.path), []);
});

Deno.test("a sweep slower than the end's wait puts back the files it claimed, and says so", async () => {
  await using dir = await tempDir();
  let now = Date.now();
  const { live, switched } = await liveBesideDead(dir.path, () => now, 50);
  now += ORPHAN_AFTER_MS + 1_000;
  // The sweep's read-back starts with a checkpoint, which waits here past the end's wait.
  switched.state.held = true;
  const sweeping = live.audit.sweep();
  const ending = live.audit.end(0, null);
  await new Promise((resolve) => setTimeout(resolve, 150));
  switched.state.release();
  await ending;
  await sweeping;
  assert.deepEqual(spoolFiles(dir.path), ["s-dead-1.jsonl"], JSON.stringify(live.notes));
  assert.ok(live.notes.some((n) => n.includes("put back")), JSON.stringify(live.notes));
  // The next session takes it in.
  age(`${DecisionSpool.dir(dir.path)}/s-dead-1.jsonl`);
  const next = newSessionAudit(
    dir.path,
    await openAuditLog({ thothHome: dir.path, now: sameDayClock() }),
    { session: "s-next" },
  );
  await next.audit.start("fs", [], []);
  await next.audit.end(0, null);
  assert.deepEqual(gatingCounts(await logRecords(dir.path)), { "decision:d-dead": 1 });
  assert.deepEqual(spoolFiles(dir.path), []);
});
