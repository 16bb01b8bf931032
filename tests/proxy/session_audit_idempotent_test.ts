/**
 * SessionAudit: what a killed session leaves is taken in once, and a yes
 * the failing log refused does not count later. A spool file whose records
 * partly reached the log before the kill adds only the ones the log lacks;
 * a record two left files hold is taken once; temp files a kill left
 * half-written are removed; an approval given while the log cannot be
 * written is recorded as refused and leaves no session grant behind; a log
 * that keeps failing is tried again every `RETRY_MS`, not on each refused
 * call. Real files under a temp THOTH_HOME; the log's fault is real: its
 * clock moves to the next day mid-batch and a folder stands where the new
 * segment goes.
 */
import assert from "node:assert/strict";
import { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { createApprover } from "../../src/approval/create_approver.ts";
import { APPROVAL_INPUT_KEY } from "../../src/approval/input_required.ts";
import { queueChannel } from "../../src/approval/queue_channel.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { ORPHAN_AFTER_MS, RETRY_MS } from "../../src/proxy/session_audit.ts";
import { tempDir } from "../e2e/_harness.ts";
import {
  age,
  gatingCounts,
  logRecords as records,
  noClient,
  openSession,
  spoolFiles,
  STATELESS_META,
  stepUp,
  toolCall,
} from "./_session_audit_harness.ts";
import { signedLines } from "../audit/_spool_mac.ts";

const call = toolCall();

/**
 * A session whose log's clock (the real one: a spool file is dated by it
 * too) moves to the next day after `flip` more readings once armed; `later`
 * runs its wall clock (the age of orphaned spools) that many milliseconds
 * ahead. `tries` counts the writes the session asks of the log (batches and
 * probes).
 */
function session(home: string, id: string, later = 0) {
  return openSession(home, { session: id, clock: "real", aheadMs: later });
}

/**
 * A stored record's event as its spool line held it (the log adds only the
 * envelope, `decidedAt` too: a record written more than a second after its
 * decision carries it, as one spooled past midnight does while the log's clock
 * stays in the day before).
 */
function spoolLine(record: Record<string, unknown>): string {
  const { v: _v, seq: _seq, ts: _ts, prev: _prev, decidedAt: _decidedAt, ...event } = record;
  return JSON.stringify(event);
}

/** Breaks the log: its next batch starts tomorrow's segment, where a folder stands. */
async function breakLog(s: Awaited<ReturnType<typeof session>>): Promise<string> {
  const blocker = await s.failAfter(0);
  s.audit.events().cancelled!("r-probe", "write_file", "a record that finds the log failing");
  assert.equal(await s.audit.flush(), false, "the log refused the batch");
  assert.equal(s.audit.recording, false);
  return blocker;
}

Deno.test("SessionAudit takes in a killed session's spool without the records the log already holds", async () => {
  await using dir = await tempDir("thoth-idempotent-");
  // A session chains three decisions, then is killed before it removes its spool file:
  // the file (remade here as it was) holds them, and a fourth the log never took.
  const dead = await session(dir.path, "s-dead");
  await dead.audit.start("fs-server", [], []);
  const enforcer = dead.audit.wrapEnforcer(allowAllEnforcer);
  for (const id of ["d-1", "d-2", "d-3"]) {
    assert.equal((enforcer.decide(call, () => id) as Verdict).decision, "allow");
  }
  assert.equal(await dead.audit.flush(), true);
  const chained = (await records(dir.path))
    .filter((r) => r["type"] === "decision")
    .map(spoolLine);
  assert.equal(chained.length, 3);
  const unchained = chained[2]!.replace('"d-3"', '"d-4"');
  const spool = DecisionSpool.dir(dir.path);
  writeSpoolFile(
    `${spool}/s-dead-7.jsonl`,
    await signedLines(dir.path, "s-dead", [...chained, unchained]),
  );
  // And a file a rewrite made before the kill removed the one it replaced: d-4 twice.
  writeSpoolFile(`${spool}/s-dead-8.jsonl`, await signedLines(dir.path, "s-dead", [unchained]));
  age(`${spool}/s-dead-7.jsonl`);
  age(`${spool}/s-dead-8.jsonl`);
  const next = await session(dir.path, "s-next", ORPHAN_AFTER_MS + 1000);
  await next.audit.start("fs-server", [], []);
  await next.audit.end(0, null);
  const all = await records(dir.path);
  assert.deepEqual(
    gatingCounts(all),
    { "decision:d-1": 1, "decision:d-2": 1, "decision:d-3": 1, "decision:d-4": 1 },
    "each decision once",
  );
  const recovered = all.filter((r) => r["type"] === "spool_recovered");
  assert.deepEqual(
    recovered.map((r) => [r["file"], r["count"], r["skipped"]]),
    [["s-dead-7.jsonl", 1, 3], ["s-dead-8.jsonl", 0, 1]],
    "what was taken in and what was left out, per file",
  );
  assert.deepEqual(spoolFiles(dir.path), []);
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});

Deno.test("SessionAudit takes in the records a killed session's batch did not bring to the log", async () => {
  await using dir = await tempDir("thoth-idempotent-");
  // Two of three decisions reach the log; the session is killed with its spool file whole.
  const dead = await session(dir.path, "s-torn");
  await dead.audit.start("fs-server", [], []);
  const before = (await records(dir.path)).length;
  const blocker = await dead.failAfter(2);
  const spool = DecisionSpool.dir(dir.path);
  const enforcer = dead.audit.wrapEnforcer(allowAllEnforcer);
  for (const id of ["d-1", "d-2", "d-3"]) enforcer.decide(call, () => id);
  const [name] = spoolFiles(dir.path);
  const spooled = Deno.readTextFileSync(`${spool}/${name}`);
  assert.equal(await dead.audit.flush(), false);
  assert.equal((await records(dir.path)).length, before + 2, "d-1 and d-2 are in the log");
  // The kill came before the held file was rewritten: the spool still holds all three.
  for (const left of spoolFiles(dir.path)) Deno.removeSync(`${spool}/${left}`);
  Deno.writeTextFileSync(`${spool}/${name}`, spooled);
  age(`${spool}/${name}`);
  Deno.removeSync(blocker);
  const next = await session(dir.path, "s-after", ORPHAN_AFTER_MS + 1000);
  await next.audit.start("fs-server", [], []);
  await next.audit.end(0, null);
  const all = await records(dir.path);
  assert.deepEqual(
    gatingCounts(all),
    { "decision:d-1": 1, "decision:d-2": 1, "decision:d-3": 1 },
  );
  const recovered = all.find((r) => r["type"] === "spool_recovered");
  assert.equal(recovered?.["count"], 1);
  assert.equal(recovered?.["skipped"], 2);
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});

Deno.test("SessionAudit removes the temp spool files a killed session left half-written", async () => {
  await using dir = await tempDir("thoth-idempotent-");
  const spool = DecisionSpool.dir(dir.path);
  Deno.mkdirSync(spool, { recursive: true });
  Deno.writeTextFileSync(`${spool}/s-gone-3.jsonl.tmp`, '{"type":"decision","sess');
  age(`${spool}/s-gone-3.jsonl.tmp`);
  // One being written now by a live session stays.
  Deno.writeTextFileSync(`${spool}/s-live-2.jsonl.tmp`, '{"type":"decision","sess');
  const { audit } = await session(dir.path, "s-new");
  await audit.start("fs-server", [], []);
  await audit.end(0, null);
  assert.deepEqual(spoolFiles(dir.path), ["s-live-2.jsonl.tmp"]);
});

Deno.test("SessionAudit refuses a yes given while the log fails, records it so, and keeps no grant from it", async () => {
  await using dir = await tempDir("thoth-idempotent-");
  const s = await session(dir.path, "s-yes");
  await s.audit.start("fs-server", [], []);
  const queue = ApprovalQueue.forHome(dir.path);
  let blocker = "";
  let asked = 0;
  const approver = s.audit.wrapApprover(createApprover({
    thothHome: dir.path,
    env: { USER: "ana" },
    channels: [queueChannel({
      queue,
      pollMs: 10,
      onQueued: (id) => {
        asked++;
        void (async () => {
          // The log fails while the person reads the question; they allow it for the session.
          if (asked === 1) blocker = await breakLog(s);
          await queue.settle(id, { decision: asked === 1 ? "session" : "deny", by: "ana" });
        })();
      },
    })],
  }));
  const enforcer = s.audit.wrapEnforcer(stepUp);
  const request = (id: string, requestId: number): ApprovalRequest => ({
    call,
    verdict: enforcer.decide(call, () => id) as Verdict,
    requestId,
    progressToken: undefined,
    signal: new AbortController().signal,
    client: noClient,
  });
  const first = await approver(request("d-1", 1));
  assert.equal(first.approved, false, "refused: its record cannot reach the log");
  assert.match(first.why, /audit\.unwritable/);
  Deno.removeSync(blocker);
  assert.equal(await s.audit.flush(), true);
  assert.equal(s.audit.recording, true);
  // The same call again: no grant passes it; the person is asked again (and says no).
  const second = await approver(request("d-2", 2));
  assert.notEqual(second.channel, "grant", "no session grant survives a refused yes");
  assert.equal(second.approved, false);
  assert.equal(asked, 2);
  await s.audit.end(0, null);
  const all = await records(dir.path);
  const approvals = all.filter((r) => r["type"] === "approval");
  const refused = approvals.find((r) => r["decisionId"] === "d-1");
  assert.equal(refused?.["outcome"], "error", "recorded as what the client got");
  assert.equal(refused?.["scope"], undefined, "it covers nothing");
  assert.equal(refused?.["answer"], "allow_session", "what the person said");
  assert.match(String(refused?.["reason"]), /audit\.unwritable/);
  assert.match(String(refused?.["reason"]), /allow for this session/);
  assert.equal(approvals.find((r) => r["decisionId"] === "d-2")?.["outcome"], "denied");
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});

Deno.test("SessionAudit refuses a stateless 'allow for this session' the failing log could not record, and keeps no grant", async () => {
  await using dir = await tempDir("thoth-idempotent-");
  const s = await session(dir.path, "s-stateless");
  await s.audit.start("fs-server", [], []);
  const approver = s.audit.wrapApprover(createApprover({
    thothHome: dir.path,
    env: { USER: "ana" },
    channels: [],
  }));
  const enforcer = s.audit.wrapEnforcer(stepUp);
  const stateless: ToolCall = { ...call, era: "stateless", protocolVersion: "2026-07-28" };
  let n = 0;
  const request = (): ApprovalRequest => ({
    call: stateless,
    verdict: enforcer.decide(stateless, () => `d-${++n}`) as Verdict,
    requestId: n,
    progressToken: undefined,
    signal: new AbortController().signal,
    client: noClient,
  });
  const params = { arguments: call.arguments, _meta: STATELESS_META };
  const asked = await approver.stateless!(request(), params);
  assert.equal(asked.kind, "input_required");
  const { requestState } = (asked as unknown as { result: { requestState: string } }).result;
  // The retry's decision is recorded; the log fails before its answer is.
  const retry = request();
  const blocker = await breakLog(s);
  const answered = await approver.stateless!(retry, {
    ...params,
    requestState,
    inputResponses: {
      [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "session" } },
    },
  });
  assert.equal(answered.kind, "decided");
  assert.equal(answered.kind === "decided" && answered.outcome.approved, false);
  Deno.removeSync(blocker);
  assert.equal(await s.audit.flush(), true);
  // The same call again: asked again, not passed on a grant.
  const again = await approver.stateless!(request(), params);
  assert.equal(again.kind, "input_required", JSON.stringify(again));
  await s.audit.end(0, null);
  const refused = (await records(dir.path)).find((r) =>
    r["type"] === "approval" && r["retryDecisionId"] === "d-2"
  );
  assert.equal(refused?.["outcome"], "error");
  assert.equal(refused?.["answer"], "allow_session");
  assert.match(String(refused?.["reason"]), /audit\.unwritable/);
});

Deno.test("SessionAudit tries a failing log again every RETRY_MS, not on each refused call", async () => {
  await using dir = await tempDir("thoth-idempotent-");
  const s = await session(dir.path, "s-busy");
  await s.audit.start("fs-server", [], []);
  const blocker = await breakLog(s);
  // Refused calls keep coming, one every 2 ms, for two retry periods.
  const enforcer = s.audit.wrapEnforcer(allowAllEnforcer);
  const from = s.tries.count;
  const until = Date.now() + 2 * RETRY_MS;
  let n = 0;
  while (Date.now() < until) {
    const verdict = enforcer.decide(call, () => `d-${++n}`) as Verdict;
    assert.deepEqual(verdict.ruleIds, ["audit.unwritable"]);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const tries = s.tries.count - from;
  assert.ok(tries <= 4, `${tries} tries in ${2 * RETRY_MS} ms with ${n} refused calls`);
  Deno.removeSync(blocker);
  await s.audit.end(0, null);
});
