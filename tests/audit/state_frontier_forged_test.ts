// The writer's state file is writable by whoever can write the audit folder.
// Its Merkle frontier starts the tree every later checkpoint is signed over:
// a writer that did not write the state last checks it against the log
// (from the frontier its last checkpoint record carries, or its own last
// one) and rebuilds it when it is not the log's, and `verify` compares it
// with the records even when its last record is the log's. A frontier that
// matches the log is no proof that a record is as it was: only an intact
// signed checkpoint is, and a record past the last one stays unproven.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { encodeLogState, type LogState } from "../../src/audit/log_state.ts";
import { scanLogState } from "../../src/audit/scan_log_state.ts";
import { RecordFacts } from "../../src/audit/record_facts.ts";
import { GENESIS_PREV } from "../../src/audit/record.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  appendAsNextWriter,
  appendUncovered,
  readLines,
  rechain,
  sampleLog,
  segmentPath,
  steppingClock,
  tamperKinds,
  writeLines,
} from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

const STATE = ".state.json";

async function readState(home: string): Promise<LogState> {
  return JSON.parse(await Deno.readTextFile(`${home}/audit/${STATE}`)) as LogState;
}

async function writeState(home: string, state: LogState): Promise<void> {
  await Deno.writeFile(`${home}/audit/${STATE}`, encodeLogState(state));
}

/** Every frontier hash but the last (the last record's own, or its subtree's) made up. */
function poisoned(state: LogState): LogState {
  assert.ok(state.frontier.length >= 2, `a frontier of ${state.size} has one hash only`);
  return {
    ...state,
    frontier: state.frontier.map((h, i) => i === state.frontier.length - 1 ? h : "77".repeat(32)),
  };
}

/** The log's records, parsed. */
async function records(home: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const name of await listSegments(`${home}/audit`)) {
    for (const line of await readLines(`${home}/audit/${name}`)) out.push(JSON.parse(line));
  }
  return out;
}

/** The reasons of the state_rebuilt records. */
async function rebuiltReasons(home: string): Promise<string[]> {
  return (await records(home)).filter((r) => r["type"] === "state_rebuilt").map((r) =>
    String(r["reason"])
  );
}

Deno.test("a writer rebuilds a state whose Merkle frontier was forged (its last record kept), so later checkpoints verify and no record is blamed", async () => {
  const home = await sampleLog(1, 4);
  await writeState(home, poisoned(await readState(home)));
  await appendAsNextWriter(home);
  await appendAsNextWriter(home);

  const reasons = await rebuiltReasons(home);
  assert.equal(reasons.length, 1, JSON.stringify(reasons));
  assert.match(reasons[0]!, /Merkle frontier of \d+ records is not the one the log's records give/);
  assert.match(reasons[0]!, /read from the signed checkpoint of size \d+/);

  const report = await verifyLocalLog(home);
  assert.equal(report.checkpoints.unverified, 0, JSON.stringify(report.findings));
  assert.ok(!report.findings.some((f) => f.kind === "modified"), JSON.stringify(report.findings));
  // The forgery the writer found stays on the record: tampering, of the state file.
  assert.deepEqual(tamperKinds(report.findings), ["state_forged"], JSON.stringify(report.findings));
  assert.equal(report.exitCode, 1);
});

Deno.test("a writer with no checkpoint record to start from reads the log to check a forged frontier", async () => {
  const home = await sampleLog(1, 4);
  const { checkpointRecord: _, ...state } = poisoned(await readState(home));
  await writeState(home, state as LogState);
  await appendAsNextWriter(home);
  const reasons = await rebuiltReasons(home);
  assert.equal(reasons.length, 1, JSON.stringify(reasons));
  assert.match(reasons[0]!, /Merkle frontier .* \(read from the log's start\)/);
  const report = await verifyLocalLog(home);
  assert.equal(report.checkpoints.unverified, 0, JSON.stringify(report.findings));
  assert.ok(!report.findings.some((f) => f.kind === "modified"), JSON.stringify(report.findings));
});

Deno.test("a running writer checks a frontier forged between its batches even when count and last are its own", async () => {
  const home = await sampleLog(1, 4);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  try {
    const event = {
      type: "session_start" as const,
      session: "long",
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    };
    await log.append(event);
    await log.append({ ...event, session: "long-2" });
    await writeState(home, poisoned(await readState(home)));
    await log.append({ ...event, session: "long-3" });
    await log.checkpoint();
  } finally {
    await log.close();
  }
  const reasons = await rebuiltReasons(home);
  assert.equal(reasons.length, 1, JSON.stringify(reasons));
  assert.match(reasons[0]!, /read from the \d+ records this writer last counted/);
  const report = await verifyLocalLog(home);
  assert.equal(report.checkpoints.unverified, 0, JSON.stringify(report.findings));
  assert.ok(!report.findings.some((f) => f.kind === "modified"), JSON.stringify(report.findings));
});

Deno.test("two writers of one process: a forged frontier past a rotation is checked from the older checkpoint the writer verified before taking the lock", async () => {
  const home = await sampleLog(1, 4);
  const event = {
    type: "session_start" as const,
    session: "x",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  };
  let checked = -1;
  const a = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  try {
    // a's first batch checks the sample's last checkpoint record, and signs
    // one (the clock moved on), which it checks before its next batch, outside the lock.
    await a.append({ ...event, session: "a-1" });
    checked = (await readState(home)).checkpointSize;
    // Another writer of the same process (the same lock file, held in turn)
    // rotates into a new segment and checkpoints there on close.
    const b = await openAuditLog({
      thothHome: home,
      now: steppingClock("2026-03-02T12:00:00Z"),
      maxSegmentBytes: 1,
    });
    try {
      await b.append({ ...event, session: "b-1" });
    } finally {
      await b.close();
    }
    assert.ok((await listSegments(`${home}/audit`)).length >= 2);
    const forged = poisoned(await readState(home));
    assert.ok(forged.checkpointSize > checked);
    await writeState(home, forged);
    // a's own last state is in the old segment: it starts from the older
    // checkpoint it verified (the log is append-only), reading both segments.
    await a.append({ ...event, session: "a-2" });
  } finally {
    await a.close();
  }
  const reasons = await rebuiltReasons(home);
  assert.equal(reasons.length, 1, JSON.stringify(reasons));
  assert.match(reasons[0]!, /Merkle frontier of \d+ records is not the one the log's records give/);
  assert.match(reasons[0]!, new RegExp(`read from the signed checkpoint of size ${checked}\\)`));
  const report = await verifyLocalLog(home);
  assert.equal(report.checkpoints.unverified, 0, JSON.stringify(report.findings));
  assert.ok(!report.findings.some((f) => f.kind === "modified"), JSON.stringify(report.findings));
  assert.deepEqual(tamperKinds(report.findings), ["state_forged"], JSON.stringify(report.findings));
});

Deno.test("a writer's own state and another writer's are not rebuilt: a checkpoint record carries the frontier its root folds from", async () => {
  const home = await sampleLog(2, 4);
  const a = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  const b = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  const event = {
    type: "session_start" as const,
    session: "x",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  };
  for (let i = 0; i < 5; i++) {
    await a.append({ ...event, session: `a-${i}` });
    await b.append({ ...event, session: `b-${i}` });
  }
  await a.close();
  await b.close();
  await appendAsNextWriter(home);
  assert.deepEqual(await rebuiltReasons(home), []);
  const checkpoints = (await records(home)).filter((r) => r["type"] === "checkpoint");
  assert.ok(checkpoints.length > 0);
  for (const c of checkpoints) {
    assert.ok(Array.isArray(c["frontier"]), JSON.stringify(c));
  }
  const report = await verifyLocalLog(home);
  assert.ok(!report.findings.some((f) => f.severity === "tamper"), JSON.stringify(report.findings));
});

Deno.test("verify: a state file whose frontier was forged but whose last record is the log's is state_forged, not modified records", async () => {
  const home = await sampleLog(1, 4);
  const real = await readState(home);
  await writeState(home, poisoned(real));
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.equal(report.status, "tampered");
  assert.deepEqual(tamperKinds(report.findings), ["state_forged"], JSON.stringify(report.findings));
  const forged = report.findings.find((f) => f.kind === "state_forged")!;
  assert.deepEqual([forged.seq, forged.source], [real.size - 1, STATE]);
  assert.match(forged.message, /its Merkle frontier of \d+ records is not the one/);
  assert.match(forged.message, /the signed checkpoint of size \d+ covers the records/);
});

Deno.test("verify: a frontier that commits to records past the last checkpoint other than those held is modified, unproven", async () => {
  // An attacker replaces a record past the last checkpoint, chains the next
  // one to it, and writes the new last record into the state, keeping the
  // old frontier: the frontier disagrees, and no checkpoint says which is right.
  const home = await sampleLog(1, 4);
  await appendUncovered(home, { type: "session_end", session: "s-x", exitCode: 0, signal: null });
  await appendUncovered(home, { type: "session_end", session: "s-y", exitCode: 0, signal: null });
  const dir = `${home}/audit`;
  const genuine = (await scanLogState(dir, await listSegments(dir))).state;
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  const replaced = JSON.parse(lines.at(-2)!);
  replaced.exitCode = 1;
  lines[lines.length - 2] = JSON.stringify(replaced);
  await writeLines(path, await rechain(lines, lines.length - 1));
  const changed = (await scanLogState(dir, await listSegments(dir))).state;
  assert.equal(changed.size, genuine.size);
  await writeState(home, { ...changed, frontier: genuine.frontier });

  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  const text = formatVerifyReport(report);
  assert.match(text.split("\n")[0]!, /^TAMPERED: the audit log was changed$/);
  const modified = report.findings.filter((f) => f.kind === "modified" && f.source === STATE);
  assert.equal(modified.length, 1, text);
  assert.match(modified[0]!.message, /no signed checkpoint covers them, so nothing shows which/);
});

Deno.test("verify: a record past the last checkpoint replaced, with the changed log's frontier in the state file, is not called unmodified", async () => {
  for (const nextWriter of [false, true]) {
    const home = await sampleLog(1, 4);
    await appendUncovered(home, {
      type: "decision",
      session: "s-x",
      server: "fs",
      tool: "delete_all",
      decisionId: "d-x",
      verdict: "block",
      ruleIds: ["r"],
      mode: "enforce",
      policyHash: "cd".repeat(32),
      intent: null,
    });
    const dir = `${home}/audit`;
    const genuine = (await scanLogState(dir, await listSegments(dir))).state;
    const path = await segmentPath(home, -1);
    const lines = await readLines(path);
    const record = JSON.parse(lines.at(-1)!);
    record.verdict = "allow";
    lines[lines.length - 1] = JSON.stringify(record);
    await writeLines(path, lines);
    const changed = (await scanLogState(dir, await listSegments(dir))).state;
    const old = await readState(home);
    await writeState(home, {
      ...genuine,
      frontier: changed.frontier,
      checkpointSize: old.checkpointSize,
    });
    if (nextWriter) await appendAsNextWriter(home);

    const text = await thothAudit(home, "verify");
    assert.equal(text.code, 1, text.out);
    assert.equal(text.out.split("\n")[0], "TAMPERED: the audit log was changed", text.out);
    assert.doesNotMatch(text.out, /verify as unmodified/);
    assert.match(
      text.out,
      new RegExp(
        `tamper +modified seq ${record.seq}: .*it was replaced, or the state file was forged; no signed checkpoint (from before seq \\d+ )?covers that record`,
      ),
    );
    const json = await thothAudit(home, "verify", "--json");
    const report = JSON.parse(json.out);
    assert.equal(json.code, 1);
    assert.equal(report.status, "tampered");
    assert.ok(
      !report.findings.some((f: { kind: string }) => f.kind === "state_forged"),
      json.out,
    );
  }
});

Deno.test("verify: a state_rebuilt record no checkpoint covers is not taken as a writer's word", async () => {
  const home = await sampleLog(1, 4);
  const state = await readState(home);
  // Record 4 is covered by the last checkpoint; the made-up record after it is not.
  await appendUncovered(home, {
    type: "state_rebuilt",
    reason: "the state file did not match the log",
    size: state.size,
    stateSize: 5,
    stateLast: "00".repeat(32),
    stateCheckpointSize: 0,
  });
  const text = await thothAudit(home, "verify");
  assert.equal(text.code, 1, text.out);
  assert.equal(text.out.split("\n")[0], "TAMPERED: the audit log was changed", text.out);
  assert.doesNotMatch(text.out, /verify as unmodified/);
  assert.doesNotMatch(text.out, /the writer rebuilt its state from the log there/);
  assert.match(
    text.out,
    new RegExp(
      `tamper +modified seq ${state.size}: the state_rebuilt record at seq ${state.size} .*or the state_rebuilt record was made up; no signed checkpoint covers the state_rebuilt record`,
    ),
  );
});

Deno.test("a state_rebuilt record's stateFrontier of the wrong length or not hex is not kept", () => {
  const facts = new RecordFacts();
  const record = (seq: number, stateFrontier: unknown) => ({
    v: 1,
    seq,
    ts: "2026-03-01T10:00:00.000Z",
    prev: new Uint8Array(32),
    type: "state_rebuilt",
    reason: "x",
    size: 9,
    stateSize: 5,
    stateLast: GENESIS_PREV,
    stateFrontier,
  });
  facts.reserve(4);
  facts.addRecord("seg", record(9, Array.from({ length: 1000 }, () => "ab".repeat(32))));
  facts.addRecord("seg", record(10, ["zz".repeat(32), "ab".repeat(32)]));
  facts.addRecord("seg", record(11, ["ab".repeat(32), "cd"]));
  facts.addRecord("seg", record(12, ["ab".repeat(32), "cd".repeat(32)]));
  assert.deepEqual(
    facts.stateWitnesses.map((w) => w.frontier === undefined),
    [true, true, true, false],
  );
});
