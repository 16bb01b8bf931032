// verify names what was done, at the seqs it was done to: an edited seq is a
// modified record (not a deletion, a reordering and an insertion), a move
// blames no untouched neighbour, a deletion's range starts where the records
// stop matching a signed root, and an anchor that does not verify is reported
// at its own size.
import assert from "node:assert/strict";
import { proveRecord } from "../../src/audit/prove_record.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { isAppError } from "../../src/errors.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { checkpointName } from "../../src/audit/log_paths.ts";
import {
  exportAnchor,
  forgeState,
  kinds,
  readLines,
  rechain,
  sampleLog,
  segmentPath,
  tamperKinds,
  writeLines,
} from "./_log_helpers.ts";
import { bundleRecords, exportSample, rewriteManifest } from "./_bundle_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Gives line `i` a second `seq` key, which JSON.parse takes: its seq edited in place. */
function editSeq(lines: string[], i: number, seq: number): void {
  lines[i] = `${lines[i]!.slice(0, -1)},"seq":${seq}}`;
}

Deno.test("verify: a record whose seq was edited in place is modified at its seq, and nothing else", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const count = (await readLines(path)).length;
  const last = count - 1;
  for (const i of [5, 11, last]) {
    const lines = await readLines(path);
    const original = [...lines];
    assert.ok(i !== 11 || JSON.parse(lines[i]!).type === "checkpoint");
    editSeq(lines, i, 7);
    await writeLines(path, lines);
    const report = await verifyLocalLog(home);
    assert.equal(report.exitCode, 1);
    assert.deepEqual(
      kinds(report.findings),
      ["modified"],
      `${i}: ${JSON.stringify(report.findings)}`,
    );
    assert.deepEqual(report.findings.filter((f) => f.kind === "modified").map((f) => f.seq), [i]);
    await writeLines(path, original);
  }
});

Deno.test("verify --bundle: a checkpoint record whose seq was edited is no renumbered deletion", async () => {
  const home = await sampleLog();
  for (const which of ["middle", "last"] as const) {
    const dir = await exportSample(home);
    const lines = await readLines(bundleRecords(dir));
    const i = which === "middle" ? 11 : lines.length - 1;
    assert.equal(JSON.parse(lines[i]!).type, "checkpoint");
    editSeq(lines, i, 7);
    await writeLines(bundleRecords(dir), lines);
    await rewriteManifest(dir);
    const report = await verifyBundle(dir);
    assert.equal(report.exitCode, 1);
    // Beside the manifest that no longer matches the signed export statement.
    const structural = report.findings.filter((f) =>
      ["modified", "deleted", "inserted", "reordered"].includes(f.kind) && f.seq !== undefined
    );
    assert.deepEqual(
      structural.map((f) => [f.kind, f.seq]),
      [["modified", i]],
      JSON.stringify(report.findings),
    );
    for (const f of report.findings) assert.ok(f.toSeq === undefined || f.toSeq >= f.seq!);
  }
});

Deno.test("verify: two records swapped and re-chained are reordered; their untouched neighbour is not blamed", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  [lines[5], lines[6]] = [lines[6]!, lines[5]!];
  await writeLines(path, await rechain(lines, 5));
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  // The state rewritten to match has no MAC, though the log's checkpoints say it has.
  assert.deepEqual(
    kinds(report.findings),
    ["reordered", "state_mac_removed"],
    JSON.stringify(report.findings),
  );
  const f = report.findings.find((x) => x.kind === "reordered")!;
  assert.deepEqual([f.seq, f.toSeq], [5, 6]);
});

Deno.test("verify: a renumbered deletion is placed after the last signed root the records still match", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  // The checkpoint record at seq 11 goes; its note beside the log stays and
  // still matches records 0..10.
  assert.equal(JSON.parse(lines[11]!).type, "checkpoint");
  assert.ok(await Deno.stat(`${home}/audit/checkpoints/${checkpointName(11)}`));
  lines.splice(11, 1);
  await writeLines(path, await rechain(lines, 11, { renumber: true }));
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.deepEqual(tamperKinds(report.findings), ["deleted"], JSON.stringify(report.findings));
  const f = report.findings.find((x) => x.kind === "deleted")!;
  assert.deepEqual([f.seq, f.toSeq], [11, 20]);
  assert.match(f.message, /^1 record\(s\) were deleted between seq 11 and 20/);
});

Deno.test("verify: two renumbered deletions each count their own records", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  lines.splice(15, 1);
  lines.splice(5, 1);
  await writeLines(path, await rechain(lines, 5, { renumber: true }));
  await forgeState(home);
  const report = await verifyLocalLog(home);
  const deleted = report.findings.filter((f) => f.kind === "deleted");
  assert.deepEqual(
    deleted.map((f) => [f.seq, f.toSeq, f.message.slice(0, 2)]),
    [[2, 10, "1 "], [12, 20, "1 "]],
    JSON.stringify(deleted),
  );
});

Deno.test("verify --anchor: an anchor from another device is reported at its own size, and the notice says it was given", async () => {
  const home = await sampleLog();
  const other = await sampleLog(4, 8);
  const anchorPath = await exportAnchor(other, "2026-03-01T12:00:00Z");
  const size = Number((await Deno.readTextFile(anchorPath)).split("\n")[1]);
  assert.ok(size > 0);
  const report = await verifyLocalLog(home, { anchorPath });
  assert.equal(report.exitCode, 1);
  assert.deepEqual(report.anchor, { size, verified: false, outcome: "unverified" });
  assert.match(formatVerifyReport(report), new RegExp(`anchor at size ${size} NOT verified`));
  assert.doesNotMatch(report.notice, /No anchor was given/);
  assert.match(report.notice, /The anchor given was not verified/);
});

Deno.test("verify: a checkpoint note that is not UTF-8 is reported at the size its file name gives", async () => {
  const home = await sampleLog();
  const path = `${home}/audit/checkpoints/${checkpointName(11)}`;
  const bytes = await Deno.readFile(path);
  bytes[bytes.indexOf(10) + 1] = 0xff; // the size line
  await Deno.writeFile(path, bytes);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  const bad = report.findings.filter((f) => f.kind === "bad_signature");
  assert.deepEqual(bad.map((f) => [f.seq, f.source]), [[11, checkpointName(11)]]);
});

Deno.test("proveRecord() on an empty log says the log is empty", async () => {
  const home = await tempFolder("thoth-audit-");
  await assert.rejects(
    proveRecord(home, 0),
    (e) =>
      isAppError(e, "audit.no_record") && e.hints.some((h) => /^the log is empty/.test(h)) &&
      !e.hints.some((h) => h.includes("0..-1")),
  );
});
