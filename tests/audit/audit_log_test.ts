import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { isAppError } from "../../src/errors.ts";
import { readPublicKeys } from "../../src/audit/device_keys.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  type DecisionEvent,
  encodeRecordLine,
  encodeRecordLineFromBody,
} from "../../src/audit/record.ts";
import { kinds, readLines, sampleLog, segmentPath, steppingClock } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const end = { type: "session_end", session: "s", exitCode: 0, signal: null } as const;

Deno.test("openAuditLog() creates keys 0600 and folders 0700 on first use", async () => {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  const receipt = await log.append(end);
  await log.close();
  assert.equal(receipt.seq, 0);
  for (const f of ["audit-hmac.key", "audit-signing.key"]) {
    assert.equal((await Deno.stat(`${home}/keys/${f}`)).mode! & 0o777, 0o600, f);
  }
  assert.equal((await Deno.stat(`${home}/audit`)).mode! & 0o777, 0o700);
  assert.equal((await Deno.stat(await segmentPath(home))).mode! & 0o777, 0o600);
  assert.equal((await readPublicKeys(`${home}/keys/audit-signing-keys.json`)).length, 1);
});

Deno.test("append() numbers records without gaps, and sync always group-commits", async () => {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock(), sync: "always" });
  const receipts = await Promise.all(Array.from({ length: 50 }, () => log.append(end)));
  await log.close();
  const seqs = receipts.map((r) => r.seq).sort((a, b) => a - b);
  assert.equal(new Set(seqs).size, 50);
  const lines = await readLines(await segmentPath(home));
  assert.deepEqual(lines.map((l) => JSON.parse(l).seq), lines.map((_, i) => i));
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
});

Deno.test("the chain runs across segments rotated by day and by size", async () => {
  const home = await sampleLog(2, 6, {
    now: steppingClock("2026-03-01T23:59:50.000Z", 1000),
    maxSegmentBytes: 4000,
  });
  const names = [...Deno.readDirSync(`${home}/audit`)].map((e) => e.name).filter((n) =>
    n.startsWith("seg-")
  );
  assert.ok(
    names.some((n) => n.includes("2026-03-01")) && names.some((n) => n.includes("2026-03-02")),
  );
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.ok(report.segments.length >= 3);
});

Deno.test("rotateSigningKey() records an endorsed rotation and later checkpoints verify", async () => {
  const home = await sampleLog(1, 4);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-02T00:00:00Z") });
  await log.rotateSigningKey();
  await log.append(end);
  await log.close();
  const keys = await readPublicKeys(`${home}/keys/audit-signing-keys.json`);
  assert.equal(keys.length, 2);
  assert.ok(keys[0]!.retired);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.ok(report.findings.some((f) => f.kind === "key_rotation"));
});

Deno.test("openAuditLog() rejects with audit.unwritable when the folder cannot be made", async () => {
  const home = await tempFolder("thoth-audit-");
  await Deno.writeTextFile(`${home}/audit`, "not a folder");
  await assert.rejects(openAuditLog({ thothHome: home }), (e) => isAppError(e, "audit.unwritable"));
});

Deno.test("append() rejects with audit.unwritable when the disk refuses the write", async () => {
  const home = await tempFolder("thoth-audit-");
  await Deno.mkdir(`${home}/audit`, { recursive: true });
  await Deno.symlink("/dev/full", `${home}/audit/seg-000000000000-2026-03-01.jsonl`);
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  await assert.rejects(log.append(end), (e) => isAppError(e, "audit.unwritable"));
  await log.close();
  await assert.rejects(log.append(end), (e) => isAppError(e, "audit.closed"));
});

Deno.test("a lost state file is rebuilt from the log, and verify warns that nothing counted the records", async () => {
  const home = await sampleLog(1, 4);
  await Deno.remove(`${home}/audit/.state.json`);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-02T00:00:00Z") });
  const before = (await readLines(await segmentPath(home, -1))).length;
  const receipt = await log.append(end);
  await log.close();
  // After the state_rebuilt record, a checkpoint saying the writer keeps a MAC on its state.
  assert.equal(receipt.seq, before + 2);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(kinds(report.findings), ["state_lost"]);
  assert.match(
    report.findings.find((f) => f.kind === "state_lost")!.message,
    /^a writer rebuilt its state at seq \d+ because the state file was missing: nothing shows how many records/,
  );
});

Deno.test("a state file whose Merkle frontier is damaged is rebuilt from the log", async () => {
  for (
    const damage of [
      (frontier: string[]) => frontier.map((h, i) => i === 0 ? h.slice(2) : h), // a short hash
      (frontier: string[]) => frontier.slice(1), // a missing subtree root
      (frontier: string[]) => [...frontier, "zz".repeat(32)], // not hex, and one too many
    ]
  ) {
    const home = await sampleLog(1, 3);
    const path = `${home}/audit/.state.json`;
    const state = JSON.parse(await Deno.readTextFile(path)) as { frontier: string[] };
    assert.ok(state.frontier.length > 0, "the sample log should have a frontier to damage");
    await Deno.writeTextFile(path, JSON.stringify({ ...state, frontier: damage(state.frontier) }));
    const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-02T00:00:00Z") });
    await log.append(end);
    await log.close();
    const report = await verifyLocalLog(home);
    assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
    assert.ok(report.findings.some((f) => f.kind === "state_rebuilt"));
  }
});

Deno.test("a record another writer wrote without updating the state is kept", async () => {
  const home = await sampleLog(1, 2);
  const path = await segmentPath(home, -1);
  const state = await Deno.readTextFile(`${home}/audit/.state.json`);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T11:00:00Z") });
  await log.append(end);
  await log.close();
  const lines = await readLines(path);
  await Deno.writeTextFile(`${home}/audit/.state.json`, state);
  const again = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  const receipt = await again.append(end);
  await again.close();
  assert.equal(receipt.seq, lines.length);
  assert.deepEqual(kinds((await verifyLocalLog(home)).findings), []);
});

Deno.test("appendMany() stores an event and its JSON text as the same bytes, in order", async () => {
  const decision: DecisionEvent = {
    type: "decision",
    session: "s-1",
    server: "fs",
    tool: "write_file",
    decisionId: "d-1",
    verdict: "block",
    ruleIds: ["fs-outside-data"],
    reasons: ["outside /data — «ü»"],
    mode: "block",
    policyHash: "ab".repeat(32),
    intent: null,
    effect: "blocked",
    args: { digest: "cd".repeat(32), shape: { t: "object", keys: {} } },
  };
  const asEvent = await tempFolder("thoth-audit-");
  const asText = await tempFolder("thoth-audit-");
  for (
    const [home, items] of [[asEvent, [decision, end]], [asText, [
      JSON.stringify(decision),
      end,
    ]]] as const
  ) {
    const log = await openAuditLog({ thothHome: home, now: steppingClock() });
    await log.appendMany(items);
    await log.close();
  }
  const a = await readLines(await segmentPath(asEvent));
  const b = await readLines(await segmentPath(asText));
  assert.deepEqual(b.slice(0, 2).map((line) => JSON.parse(line).type), ["decision", "session_end"]);
  assert.deepEqual(b.slice(0, 2), a.slice(0, 2)); // the checkpoints differ: each home has its own key
  // The decision's session has no session_start in this log: only that warns.
  assert.deepEqual(kinds((await verifyLocalLog(asText)).findings), ["session_never_started"]);
});

Deno.test("appendMany() refuses a text that would smuggle a second line into the log", async () => {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  for (const bad of ['{"type":"x"}\n{"type":"forged"}', "{}", "[1]", '{"type":"x"'] as const) {
    await assert.rejects(
      log.appendMany([bad]),
      (e) => isAppError(e) && e.code === "audit.bad_record",
    );
  }
  await log.close();
  const report = await verifyLocalLog(home);
  assert.equal(report.records, 0);
  assert.deepEqual(kinds(report.findings), ["no_log"], "nothing was written, so there is no log");
});

Deno.test("encodeRecordLineFromBody() builds the line encodeRecordLine() builds, or refuses", () => {
  const envelope = {
    v: 1,
    seq: 41,
    ts: "2026-03-01T10:00:00.000Z",
    prev: "0f".repeat(32),
  } as const;
  const events = [
    end,
    { type: "cancellation", session: "s", requestId: 'r"1', reason: "the client cancelled" },
    { type: "approval", session: "s", decisionId: "d", channel: "dialog", outcome: "approved" },
  ] as const;
  for (const event of events) {
    assert.equal(
      encodeRecordLineFromBody(envelope, JSON.stringify(event)),
      encodeRecordLine(envelope, event),
    );
  }
  assert.throws(() => encodeRecordLineFromBody(envelope, "{}"), TypeError);
  assert.throws(() => encodeRecordLineFromBody(envelope, "[]"), TypeError);
});

Deno.test("count-triggered checkpoints are at least checkpointMinIntervalMs apart", async () => {
  const count = async (minIntervalMs: number) => {
    const home = await tempFolder("thoth-audit-");
    let t = Date.parse("2026-03-01T10:00:00.000Z");
    // 100 ms per reading of the clock.
    const log = await openAuditLog({
      thothHome: home,
      now: () => new Date(t += 100),
      checkpointEvery: 5,
      checkpointMinIntervalMs: minIntervalMs,
    });
    for (let i = 0; i < 60; i++) await log.append(end);
    await log.close();
    assert.equal((await verifyLocalLog(home)).exitCode, 0);
    return (await readLines(await segmentPath(home))).filter((l) =>
      JSON.parse(l).type === "checkpoint"
    ).length;
  };
  const everyFive = await count(0);
  const throttled = await count(2000);
  assert.ok(everyFive >= 12, `every 5 records: ${everyFive}`);
  assert.ok(throttled < everyFive / 2 && throttled >= 1, `throttled: ${throttled}`);
});

Deno.test("each record carries the time it was written, one millisecond apart too", async () => {
  const home = await tempFolder("thoth-audit-");
  let current = "2026-03-01T10:00:00.000Z";
  const log = await openAuditLog({ thothHome: home, now: () => new Date(current) });
  await log.appendMany([end, end, end]);
  current = "2026-03-01T10:00:00.001Z";
  await log.appendMany([JSON.stringify(end), end]);
  current = "2026-03-01T10:00:02.500Z";
  await log.append(end);
  await log.close();
  const lines = await readLines(await segmentPath(home));
  const ends = lines.map((line) => JSON.parse(line)).filter((r) => r.type === "session_end");
  assert.deepEqual(ends.map((r) => r.ts), [
    "2026-03-01T10:00:00.000Z",
    "2026-03-01T10:00:00.000Z",
    "2026-03-01T10:00:00.000Z",
    "2026-03-01T10:00:00.001Z",
    "2026-03-01T10:00:00.001Z",
    "2026-03-01T10:00:02.500Z",
  ]);
  await Deno.remove(home, { recursive: true });
});

Deno.test("a writer that died after starting a new segment, before its state, loses no record to the next", async () => {
  for (const torn of [false, true]) {
    const home = await sampleLog(1, 4);
    const statePath = `${home}/audit/.state.json`;
    const before = await Deno.readFile(statePath);
    // The next day's first writer starts a segment, writes records, and dies before its state.
    const dying = await openAuditLog({
      thothHome: home,
      now: steppingClock("2026-03-02T09:00:00.000Z"),
    });
    for (let i = 0; i < 3; i++) {
      await dying.append({ type: "session_end", session: `dead-${i}`, exitCode: 0, signal: null });
    }
    await dying.close();
    await Deno.writeFile(statePath, before);
    const newest = await segmentPath(home, -1);
    assert.match(newest, /2026-03-02/);
    if (torn) await Deno.writeTextFile(newest, '{"v":1,"seq":', { append: true });
    // The next writer must see that segment, not rotate into it again.
    const next = await openAuditLog({
      thothHome: home,
      now: steppingClock("2026-03-02T10:00:00.000Z"),
    });
    for (let i = 0; i < 2; i++) {
      await next.append({ type: "session_end", session: `next-${i}`, exitCode: 0, signal: null });
    }
    await next.close();
    const report = await verifyLocalLog(home);
    assert.notEqual(report.status, "tampered", JSON.stringify(report.findings));
    const lines = (await readLines(newest)).filter((line) => line !== "");
    const sessions = lines.map((line) => JSON.parse(line).session).filter(Boolean);
    for (const session of ["dead-0", "dead-1", "dead-2", "next-0", "next-1"]) {
      assert.ok(sessions.includes(session), `${session} is in the log (torn: ${torn})`);
    }
    assert.deepEqual(kinds(report.findings), []);
    const types = lines.map((line) => JSON.parse(line).type);
    assert.equal(types.includes("recovered_torn_tail"), torn, "a torn tail is cut and recorded");
  }
});
