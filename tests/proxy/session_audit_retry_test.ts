/**
 * SessionAudit: a batch the audit log refuses is not lost. Its records (the
 * ones that gate nothing too) and its spool files are kept, and the next
 * batch the log takes carries them, each record once: the ones the log took
 * before it failed are not written again. Real files under a temp THOTH_HOME;
 * the fault is real: the segment the log rotates into is a folder.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { auditPaths, segmentName } from "../../src/audit/log_paths.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import { SessionAudit } from "../../src/proxy/session_audit.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { tempDir } from "../e2e/_harness.ts";

const call: ToolCall = {
  server: "fs",
  tool: "write_file",
  arguments: { path: "/data/x" },
  annotations: undefined,
  listed: true,
  era: "initialize",
  protocolVersion: undefined,
};

const DAY1 = "2026-03-01";
const DAY2 = "2026-03-02";

/**
 * A session whose log's clock moves to the next day after `flip` more
 * readings once armed: the log then rotates into a new segment mid-batch.
 */
async function session(home: string) {
  let readings = 0;
  let flipAfter = Infinity;
  const log = await openAuditLog({
    thothHome: home,
    now: () => new Date(`${++readings > flipAfter ? DAY2 : DAY1}T12:00:00Z`),
  });
  const notes: string[] = [];
  const audit = new SessionAudit({
    log,
    thothHome: home,
    session: "s-retry",
    server: "fs",
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    safeFields: [],
    note: (m) => notes.push(m),
  });
  const arm = (flip: number) => {
    readings = 0;
    flipAfter = flip;
  };
  return { audit, notes, arm };
}

async function records(home: string) {
  return (await readLogLines(auditPaths(home).dir)).map((l) => l.record!);
}

function spoolFiles(home: string): string[] {
  return [...Deno.readDirSync(DecisionSpool.dir(home))].map((e) => e.name).sort();
}

/** Spools three decisions, an outcome and a cancellation; returns nothing until they are queued. */
async function traffic(audit: SessionAudit): Promise<void> {
  const enforcer = audit.wrapEnforcer(allowAllEnforcer);
  const events = audit.events();
  for (const id of ["d-1", "d-2", "d-3"]) {
    const verdict = enforcer.decide(call, () => id) as Verdict;
    assert.equal(verdict.decision, "allow");
    events.decision!(call, verdict, id);
  }
  events.outcome!("d-1", "write_file", false, 1, { content: [] }, undefined);
  events.cancelled!("d-2", "write_file", "the client cancelled the call");
  await Promise.resolve();
}

function counts(all: Record<string, unknown>[]) {
  const seen = new Map<string, number>();
  for (const r of all) {
    if (r["type"] === "checkpoint") continue;
    const key = `${r["type"]}:${r["decisionId"] ?? ""}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...seen].sort());
}

const EXPECTED = {
  "cancellation:d-2": 1,
  "decision:d-1": 1,
  "decision:d-2": 1,
  "decision:d-3": 1,
  "outcome:d-1": 1,
  "session_end:": 1,
  "session_start:": 1,
};

Deno.test("SessionAudit keeps a batch the log refused half-way and writes the rest once, when it can", async () => {
  await using dir = await tempDir("thoth-retry-");
  const { audit, notes, arm } = await session(dir.path);
  await audit.start("fs-server", [], []);
  const before = (await records(dir.path)).length;
  // The batch's first two records go into today's segment; the third starts
  // tomorrow's, which cannot be made: a folder stands at its path.
  const blocker = `${auditPaths(dir.path).dir}/${segmentName(before + 2, DAY2)}`;
  Deno.mkdirSync(blocker);
  arm(2);
  await traffic(audit);
  assert.equal(await audit.flush(), false, "the log refused the batch");
  assert.equal(
    (await records(dir.path)).length,
    before + 2,
    "two of its records reached the log whole before it failed",
  );
  assert.ok(notes.some((m) => /cannot write the audit log/.test(m)), notes.join("\n"));
  assert.equal(audit.recording, false, "calls are blocked meanwhile (fail closed)");
  assert.equal(spoolFiles(dir.path).length, 1, "the spool file stays while its records wait");
  Deno.removeSync(blocker);
  assert.equal(await audit.flush(), true, "the next batch carries what was refused");
  assert.deepEqual(spoolFiles(dir.path), [], "the spool file goes once its records are in");
  assert.ok(notes.some((m) => /writable again/.test(m)));
  await audit.end(0, null);
  assert.deepEqual(counts(await records(dir.path)), EXPECTED, "every record, each once");
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report));
});

Deno.test("SessionAudit tries a refused batch again by itself, without new calls", async () => {
  await using dir = await tempDir("thoth-retry-");
  const { audit, notes, arm } = await session(dir.path);
  await audit.start("fs-server", [], []);
  const before = (await records(dir.path)).length;
  // Nothing of this batch reaches the log: its first record starts the segment that cannot be made.
  const blocker = `${auditPaths(dir.path).dir}/${segmentName(before, DAY2)}`;
  Deno.mkdirSync(blocker);
  arm(0);
  await traffic(audit);
  assert.equal(await audit.flush(), false);
  Deno.removeSync(blocker);
  const deadline = Date.now() + 5000;
  while (spoolFiles(dir.path).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(spoolFiles(dir.path), [], "taken in without another call");
  assert.ok(notes.some((m) => /writable again/.test(m)), notes.join("\n"));
  await audit.end(0, null);
  assert.deepEqual(counts(await records(dir.path)), EXPECTED, "every record, each once");
});
