// Records cut from the end of the log: the writer's state file counted them,
// so `verify` must say they were lost, never that the log is intact, whether
// a writer ran since (and rebuilt its state over the cut) or not.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  appendUncovered,
  forgeState,
  kinds,
  readLines,
  sampleLog,
  segmentPath,
  steppingClock,
  writeLines,
} from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

/** Cuts the newest segment to `keep` lines and removes the checkpoint notes past it. */
async function cutTo(home: string, keep: number): Promise<number> {
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  await writeLines(path, lines.slice(0, keep));
  for await (const entry of Deno.readDir(`${home}/audit/checkpoints`)) {
    if (Number(entry.name.slice(3, 15)) > keep) {
      await Deno.remove(`${home}/audit/checkpoints/${entry.name}`);
    }
  }
  return lines.length;
}

Deno.test("verify: a cut the next writer rebuilt its state over is records lost, not intact", async () => {
  const home = await sampleLog(3, 8);
  const state = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`));
  const total = await cutTo(home, 35);
  assert.equal(total, state.size);
  const exported = await thothAudit(home, "checkpoint", "--export", `${home}/a.txt`);
  assert.equal(exported.code, 0, exported.err);

  const rebuilt = (await readLines(await segmentPath(home, -1)))
    .map((line) => JSON.parse(line))
    .find((r) => r.type === "state_rebuilt");
  assert.equal(rebuilt.reason, "the log was shorter than the state file");
  assert.equal(rebuilt.size, 35);
  assert.equal(rebuilt.stateSize, total, "the record keeps what the state file counted");
  assert.equal(rebuilt.stateLast, state.last);
  assert.equal(rebuilt.stateCheckpointSize, state.checkpointSize);

  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.doesNotMatch(r.out, /intact/);
  assert.match(
    r.out,
    new RegExp(
      `^RECORDS LOST: the state file counted ${total} records, the log held 35 when a writer rebuilt its state at seq 35\n`,
    ),
  );
  assert.match(
    r.out,
    new RegExp(`tamper +records_lost seq 35\\.\\.${total - 1}: records were lost`),
  );
  assert.match(r.out, /no crash explains it: they were removed/);
  // The anchor signed over the cut log vouches for what is left, and no more.
  const anchored = await thothAudit(home, "verify", "--anchor", `${home}/a.txt`);
  assert.equal(anchored.code, 1, anchored.out);
  assert.match(anchored.out, /^RECORDS LOST/);
});

Deno.test("verify: a cut no writer has seen yet is records lost, counted by the state file", async () => {
  const home = await sampleLog(3, 8);
  const total = await cutTo(home, 35);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.deepEqual(kinds(report.findings), ["records_lost", "session_without_end"]);
  const f = report.findings.find((x) => x.kind === "records_lost")!;
  assert.deepEqual([f.seq, f.toSeq, f.source], [35, total - 1, ".state.json"]);
  assert.match(
    formatVerifyReport(report),
    new RegExp(`^RECORDS LOST: the state file counts ${total} records, the log holds 35\n`),
  );
});

Deno.test("verify: records lost past the last checkpoint say a power loss can explain them, and still fail", async () => {
  const home = await sampleLog(1, 4);
  const state = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`));
  assert.equal(
    state.checkpointSize,
    state.size - 1,
    "the last record is the uncovered checkpoint record",
  );
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  await writeLines(path, lines.slice(0, -1));
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  const f = report.findings.find((x) => x.kind === "records_lost")!;
  assert.equal(f.severity, "tamper");
  assert.equal(f.seq, state.size - 1);
  assert.match(f.message, /1 lost: seq \d+ is missing/);
  assert.match(
    f.message,
    /a power loss or OS crash in the default sync mode can lose the newest records/,
  );
  assert.match(f.message, /otherwise they were removed$/);
});

Deno.test("verify: a last record replaced after the last checkpoint differs from the state file's leaf hash", async () => {
  const replaceLast = async (home: string): Promise<number> => {
    const path = await segmentPath(home, -1);
    const lines = await readLines(path);
    const last = JSON.parse(lines.pop()!);
    await writeLines(path, lines);
    await appendUncovered(home, { type: "session_end", session: "s-0", exitCode: 1, signal: null });
    return last.seq;
  };
  const home = await sampleLog(1, 4);
  const seq = await replaceLast(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.deepEqual(kinds(report.findings), ["modified"]);
  const f = report.findings.find((x) => x.kind === "modified")!;
  assert.deepEqual([f.seq, f.source], [seq, ".state.json"]);
  assert.match(f.message, /is not the one the state file counted as its last/);

  // An attacker who also rewrites the state file leaves nothing to tell of the record,
  // but cannot give the state the MAC the log's newest checkpoint says it carries.
  const forged = await sampleLog(1, 4);
  await replaceLast(forged);
  await forgeState(forged);
  assert.deepEqual(kinds((await verifyLocalLog(forged)).findings), ["state_mac_removed"]);
});

Deno.test("verify: state_rebuilt records written before counts were kept are still reported", async () => {
  const cases = [
    { reason: "the log was shorter than the state file", kind: "records_lost", exit: 1 },
    { reason: "the state file was missing", kind: "state_lost", exit: 2 },
    { reason: "the state file was damaged", kind: "state_lost", exit: 2 },
    { reason: "the state file was behind the log", kind: "state_rebuilt", exit: 0 },
  ];
  for (const c of cases) {
    const home = await sampleLog(1, 2);
    const lines = await appendUncovered(home, { type: "state_rebuilt", reason: c.reason, size: 9 });
    // The state the writer that wrote the record wrote after it.
    await forgeState(home, { macOf: "device" });
    const report = await verifyLocalLog(home);
    assert.equal(report.exitCode, c.exit, `${c.reason}: ${JSON.stringify(report.findings)}`);
    const f = report.findings.find((x) => x.kind === c.kind)!;
    assert.equal(f.seq, lines.length, c.reason);
  }
  const home = await sampleLog(1, 2);
  await appendUncovered(home, {
    type: "state_rebuilt",
    reason: "the log was shorter than the state file",
    size: 9,
  });
  await forgeState(home);
  assert.match(
    formatVerifyReport(await verifyLocalLog(home)),
    /^RECORDS LOST: a writer found the log shorter than its state file and rebuilt the state at seq \d+\n/,
  );
});

Deno.test("verify: a state_rebuilt record whose kept last leaf hash is not the log's is a change", async () => {
  const home = await sampleLog(1, 2);
  const held = (await readLines(await segmentPath(home, -1))).length;
  const lines = await appendUncovered(home, {
    type: "state_rebuilt",
    reason: "the state file was damaged",
    size: held,
    stateSize: 3,
    stateLast: "ab".repeat(32),
    stateCheckpointSize: 0,
  });
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  // A signed checkpoint covers record 2 as the log holds it, but none covers
  // the state_rebuilt record: it may be made up, so it is no writer's word.
  assert.ok(!report.findings.some((x) => x.kind === "state_forged"));
  const f = report.findings.find((x) => x.kind === "modified")!;
  assert.equal(f.severity, "tamper");
  assert.equal(f.seq, lines.length);
  assert.equal(f.source, `log seq ${lines.length}`);
  assert.match(
    f.message,
    /the signed checkpoint of size \d+ covers that record as the log holds it: a writer found a forged state file there, or the state_rebuilt record was made up; no signed checkpoint covers the state_rebuilt record/,
  );
});

Deno.test("a writer that rebuilds over a state it can read keeps the count; an equal count is only a fact", async () => {
  const home = await sampleLog(1, 3);
  const path = `${home}/audit/.state.json`;
  const state = JSON.parse(await Deno.readTextFile(path));
  await Deno.writeTextFile(path, JSON.stringify({ ...state, frontier: [] }));
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-02T00:00:00Z") });
  await log.append({ type: "session_end", session: "s-0", exitCode: 0, signal: null });
  await log.close();
  const rebuilt = (await readLines(await segmentPath(home, -1)))
    .map((line) => JSON.parse(line))
    .find((r) => r.type === "state_rebuilt");
  assert.equal(rebuilt.reason, "the state file was damaged");
  assert.equal(rebuilt.stateSize, state.size);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.equal(report.findings.find((f) => f.kind === "state_rebuilt")?.severity, "info");
});

Deno.test("the state file keeps a loss a writer found, across later writes and rebuilds", async () => {
  const home = await sampleLog(3, 8);
  const total = await cutTo(home, 35);
  const write = async (clock: string) => {
    const log = await openAuditLog({ thothHome: home, now: steppingClock(clock) });
    await log.append({ type: "session_end", session: "s-2", exitCode: 0, signal: null });
    await log.close();
  };
  const lostOf = async () => JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`)).lost;
  await write("2026-03-01T12:00:00Z");
  assert.deepEqual(await lostOf(), { seq: 35, counted: total, held: 35 });
  await write("2026-03-01T13:00:00Z");
  assert.deepEqual(await lostOf(), { seq: 35, counted: total, held: 35 });
  const path = `${home}/audit/.state.json`;
  const state = JSON.parse(await Deno.readTextFile(path));
  await Deno.writeTextFile(path, JSON.stringify({ ...state, frontier: [] }));
  await write("2026-03-01T14:00:00Z");
  assert.deepEqual(await lostOf(), { seq: 35, counted: total, held: 35 }, "kept by a rebuild");
});

Deno.test("verify: a forged state_rebuilt record cannot vouch for a cut log", async () => {
  const home = await sampleLog(3, 8);
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  const state = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`));
  // Cut back to the first checkpoint record, drop the notes of later checkpoints.
  const cut = lines.findIndex((line) => JSON.parse(line).type === "checkpoint");
  await writeLines(path, lines.slice(0, cut + 1));
  for await (const note of Deno.readDir(`${home}/audit/checkpoints`)) {
    if (Number(note.name.slice(3, 15)) > cut + 1) {
      await Deno.remove(`${home}/audit/checkpoints/${note.name}`);
    }
  }
  await appendUncovered(home, {
    type: "state_rebuilt",
    reason: "the log was shorter than the state file",
    size: state.size,
    stateSize: state.size,
    stateLast: state.last,
    stateCheckpointSize: state.checkpointSize,
  });
  const r = await thothAudit(home, "verify", "--json");
  assert.equal(r.code, 1, r.out);
  const report = JSON.parse(r.out);
  assert.ok(
    report.findings.some((f: { kind: string; message: string }) =>
      f.kind === "modified" && /no writer wrote it/.test(f.message)
    ),
    r.out,
  );
  assert.ok(kinds(report.findings).includes("records_lost"), r.out);
});
