// A bundle's manifest says which seqs it holds, and its export statement
// (export.note) signs that range and the manifest: a bundle whose records no
// longer hold that range was cut (or added to) after export, and verify says
// so, even when the manifest was rewritten to match.
import assert from "node:assert/strict";
import { bundleRangeFindings } from "../../src/audit/bundle_range.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { checkpointName } from "../../src/audit/log_paths.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { isAppError } from "../../src/errors.ts";
import { readLines, sampleLog, tamperKinds, writeLines } from "./_log_helpers.ts";
import { bundleRecords, exportSample, readManifest, rewriteManifest } from "./_bundle_helpers.ts";

/** Keeps the first `keep` records of a bundle and the checkpoint files they reach, as a forger would. */
async function cutBundle(dir: string, keep: number): Promise<void> {
  const path = bundleRecords(dir);
  await writeLines(path, (await readLines(path)).slice(0, keep));
  for (const entry of [...Deno.readDirSync(`${dir}/checkpoints`)]) {
    if (Number(entry.name.slice(3, 15)) > keep) {
      await Deno.remove(`${dir}/checkpoints/${entry.name}`);
    }
  }
  await rewriteManifest(dir);
}

Deno.test("verify --bundle: a bundle cut back to an earlier checkpoint is truncated (exit 1)", async () => {
  const home = await sampleLog();
  const dir = await exportSample(home);
  const included = (await readManifest(dir))["included"] as { firstSeq: number; lastSeq: number };
  const lines = await readLines(bundleRecords(dir));
  assert.equal(JSON.parse(lines[11]!).type, "checkpoint");
  await cutBundle(dir, 12);
  assert.ok(await Deno.stat(`${dir}/checkpoints/${checkpointName(11)}`));

  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
  // "modified": the rewritten manifest is not the one the export statement signs.
  assert.deepEqual(tamperKinds(report.findings), ["modified", "truncated"]);
  const f = report.findings.find((x) => x.kind === "truncated")!;
  assert.deepEqual([f.seq, f.toSeq], [12, included.lastSeq]);
  assert.equal(f.source, "export.note", "named from the range the export signed");
  assert.match(f.message, /^the signed export statement lists seq 0\.\.\d+, but its records hold/);
  const { statement, ...held } = report.bundle!;
  assert.deepEqual(held, {
    firstSeq: 0,
    lastSeq: 11,
    from: JSON.parse(lines[0]!).ts,
    to: JSON.parse(lines[11]!).ts,
    claimed: included,
  });
  assert.deepEqual(statement?.included, included, "the signed range");
  const text = formatVerifyReport(report);
  assert.match(text, /^TAMPERED/);
  assert.match(
    text,
    /\nbundle records: seq 0\.\.11 \(\S+ to \S+\); exported for the log's start to the export as seq 0\.\.\d+ on \S+ \(export statement signed by \S+\)\n/,
  );
  assert.match(
    report.notice,
    /records cut from its start or its end, or a rewritten manifest, show/,
  );
});

Deno.test("verify --bundle: an untouched bundle reports the range it covers, and what its signed export statement and an anchor prove", async () => {
  const home = await sampleLog();
  const dir = await exportSample(home, { since: "2026-03-01T10:00:30Z" });
  const manifest = await readManifest(dir);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.deepEqual(
    [report.bundle?.firstSeq, report.bundle?.lastSeq],
    [(manifest["start"] as { size: number }).size, report.logSize - 1],
  );
  assert.deepEqual(report.bundle?.claimed, manifest["included"]);
  assert.match(formatVerifyReport(report), /\nbundle records: seq \d+\.\.\d+ \(/);
  assert.match(report.notice, /proves the period this bundle was exported for/);
  assert.match(report.notice, /only a checkpoint kept off the device proves the records up to/i);
});

Deno.test("verify --bundle: a file whose length differs from the manifest's is modified", async () => {
  const home = await sampleLog(2, 4);
  const dir = await exportSample(home);
  await rewriteManifest(dir, (m) => {
    const files = m["files"] as { path: string; bytes: number }[];
    files.find((f) => f.path.startsWith("records/"))!.bytes += 1;
  });
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1);
  assert.deepEqual(tamperKinds(report.findings), ["modified"]);
  assert.match(report.findings[0]!.message, /holds \d+ bytes, but the manifest lists \d+/);
});

Deno.test("verify --bundle: a manifest whose included range is not one cannot run (exit 3)", async () => {
  const home = await sampleLog(2, 4);
  for (const included of [{ firstSeq: 5, lastSeq: 2 }, { firstSeq: -1, lastSeq: 2 }, "0..9"]) {
    const dir = await exportSample(home);
    await rewriteManifest(dir, (m) => {
      m["included"] = included;
    });
    await assert.rejects(
      verifyBundle(dir),
      (e) => isAppError(e, "audit.bad_bundle") && /invalid included/.test(e.message),
    );
  }
});

Deno.test("bundleRangeFindings() names records missing at either end and records outside the range", () => {
  const held = { firstSeq: 5, lastSeq: 20 };
  assert.deepEqual(bundleRangeFindings({ firstSeq: 5, lastSeq: 20 }, held), []);
  const short = bundleRangeFindings({ firstSeq: 0, lastSeq: 35 }, held);
  assert.deepEqual(short.map((f) => [f.kind, f.seq, f.toSeq]), [
    ["deleted", 0, 4],
    ["truncated", 21, 35],
  ]);
  const long = bundleRangeFindings({ firstSeq: 6, lastSeq: 19 }, held);
  assert.deepEqual(long.map((f) => [f.kind, f.seq, f.toSeq]), [
    ["inserted", 5, undefined],
    ["inserted", 20, undefined],
  ]);
  const empty = bundleRangeFindings({ firstSeq: 5, lastSeq: 9 }, { firstSeq: 5, lastSeq: 4 });
  assert.deepEqual(empty.map((f) => [f.kind, f.seq, f.toSeq]), [["truncated", 5, 9]]);
  assert.match(empty[0]!.message, /the bundle holds no records/);
});
