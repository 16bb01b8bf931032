// Edits that take the signatures away instead of forging them: a log or a
// bundle must not pass as intact once nothing signed vouches for it.
import assert from "node:assert/strict";
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { isAppError } from "../../src/errors.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import {
  appendUncovered,
  forgeState,
  kinds,
  readLines,
  sampleLog,
  segmentPath,
  writeLines,
} from "./_log_helpers.ts";
import {
  bundleRecords,
  exportSample,
  readManifest,
  rechainBundle,
  rewriteManifest,
} from "./_bundle_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const GENESIS = { size: 0, prev: "0".repeat(64) };

function isCheckpoint(line: string): boolean {
  return JSON.parse(line).type === "checkpoint";
}

function stripNote(line: string): string {
  const record = JSON.parse(line);
  if (record.type === "checkpoint") delete record.note;
  return JSON.stringify(record);
}

function forge(line: string): string {
  return line.replace('"tool":"write_file"', '"tool":"delete_everything"');
}

/** Removes every checkpoint file and the writer's state, as the attacks below do. */
async function removeCheckpointFiles(dir: string): Promise<void> {
  for (const entry of [...Deno.readDirSync(dir)]) await Deno.remove(`${dir}/${entry.name}`);
}

Deno.test("verify: checkpoint records stripped of their notes and rechained are modified", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = (await readLines(path)).map(stripNote).map(forge);
  await writeLines(path, await rechainBundle(lines, GENESIS));
  await removeCheckpointFiles(`${home}/audit/checkpoints`);
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
  const stripped = (await readLines(path)).flatMap((l, i) => isCheckpoint(l) ? [i] : []);
  assert.ok(stripped.length >= 3);
  assert.deepEqual(
    report.findings.filter((f) => f.kind === "modified").map((f) => f.seq),
    stripped,
  );
});

Deno.test("verify: a log whose checkpoints were all removed and renumbered is unanchored (exit 2)", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = (await readLines(path)).filter((l) => !isCheckpoint(l)).map(forge);
  await writeLines(path, await rechainBundle(lines, GENESIS));
  await removeCheckpointFiles(`${home}/audit/checkpoints`);
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.status, "warnings");
  assert.equal(report.exitCode, 2);
  assert.deepEqual(kinds(report.findings), ["unanchored"]);
  const f = report.findings.find((x) => x.kind === "unanchored")!;
  assert.deepEqual([f.seq, f.toSeq], [0, lines.length - 1]);
  assert.match(f.message, /no validly signed checkpoint covers any of the \d+ records/);
  assert.equal(report.unanchoredTail.by, "none");
  assert.match(formatVerifyReport(report), /^UNANCHORED: no signed checkpoint vouches/);
});

Deno.test("verify: a log whose newest records follow its last checkpoint stays clean", async () => {
  const home = await sampleLog();
  await appendUncovered(home, {
    type: "session_start",
    session: "s-running",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
  // Counted, as a running writer counts what it wrote (a line past the count that
  // no writer's intent vouches for is past_the_count, see past_the_count_test.ts).
  await forgeState(home, { macOf: "device" });
  const report = await verifyLocalLog(home);
  assert.deepEqual(kinds(report.findings), ["session_without_end"], "only the open session warns");
  assert.equal(report.unanchoredTail.records, 2);
});

Deno.test("verify --bundle: an untouched bundle is clean, from the start of the log or mid-log", async () => {
  const home = await sampleLog(3, 6);
  for (const since of [undefined, "2026-03-01T10:00:30Z"]) {
    const dir = await exportSample(home, since ? { since } : {});
    const report = await verifyBundle(dir);
    assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
    assert.ok(report.checkpoints.verified >= 1);
  }
});

Deno.test("verify --bundle: a bundle whose checkpoints were removed and renumbered is uncovered", async () => {
  const home = await sampleLog(3, 6);
  const dir = await exportSample(home);
  const path = bundleRecords(dir);
  const lines = (await readLines(path)).filter((l) => !isCheckpoint(l)).map(forge);
  await writeLines(path, await rechainBundle(lines, GENESIS));
  await removeCheckpointFiles(`${dir}/checkpoints`);
  await rewriteManifest(dir);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1);
  // The export statement still lists the removed records' seqs: fewer are
  // left; and the rewritten manifest is not the one it signs.
  assert.deepEqual(kinds(report.findings), ["modified", "truncated", "uncovered"]);
  const f = report.findings.find((x) => x.kind === "uncovered")!;
  assert.deepEqual([f.seq, f.toSeq], [0, lines.length - 1]);
});

Deno.test("verify --bundle: notes stripped from a mid-log bundle's checkpoint records are found", async () => {
  const home = await sampleLog(3, 6);
  const dir = await exportSample(home, { since: "2026-03-01T10:00:30Z" });
  const start = (await readManifest(dir))["start"] as { size: number; prev: string };
  assert.ok(start.size > 0);
  const path = bundleRecords(dir);
  const lines = (await readLines(path)).map(stripNote).map(forge);
  await writeLines(path, await rechainBundle(lines, start));
  await removeCheckpointFiles(`${dir}/checkpoints`);
  await rewriteManifest(dir);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1);
  assert.deepEqual(kinds(report.findings), ["modified", "uncovered"]);
});

Deno.test("verify --bundle: records added after a bundle's last checkpoint are uncovered", async () => {
  const home = await sampleLog(3, 6);
  const dir = await exportSample(home);
  const path = bundleRecords(dir);
  const lines = await readLines(path);
  const forged = JSON.parse(lines.find((l) => l.includes('"type":"decision"'))!);
  forged.tool = "delete_everything";
  const extended = await rechainBundle([...lines, JSON.stringify(forged)], GENESIS);
  assert.deepEqual(extended.slice(0, lines.length), lines, "the genuine part is unchanged");
  await writeLines(path, extended);
  await rewriteManifest(dir);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1);
  // "modified": the rewritten manifest is not the one the export statement signs.
  // The added records copy ones of the bundle: named as recorded twice too.
  assert.deepEqual(kinds(report.findings), ["modified", "recorded_twice", "uncovered"]);
  assert.equal(report.findings.find((f) => f.kind === "uncovered")?.seq, lines.length);
});

Deno.test("exportBundle() refuses records no signed checkpoint covers yet, in a period with an end", async () => {
  const home = await sampleLog(1, 2);
  await appendUncovered(home, { type: "session_end", session: "s-0", exitCode: 0, signal: null });
  const output = await tempFolder("thoth-bundle-");
  // Without an end the bundle stops at the newest checkpoint (export_open_end_test.ts).
  await assert.rejects(
    exportBundle(home, { output, now: new Date(), until: new Date("2026-03-01T12:00:00Z") }),
    (e) => isAppError(e, "audit.uncovered") && /up to seq \d+/.test(e.message),
  );
});
