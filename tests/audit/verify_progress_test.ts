/**
 * A verification tells how far it has got: after each segment (with the
 * records and bytes read so far) and once before the checks that need every
 * record; the words a person reads for it.
 */
import assert from "node:assert/strict";
import { type VerifyProgress, verifyProgressText } from "../../src/audit/verify_progress.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { sampleLog } from "./_log_helpers.ts";
import { exportSample } from "./_bundle_helpers.ts";

Deno.test("verifyProgressText says segments, records and bytes read, and the share", () => {
  const reading: VerifyProgress = {
    phase: "reading",
    segmentsRead: 2,
    segments: 5,
    bytesRead: 180_355_072,
    bytes: 451_936_256,
    records: 400_000,
  };
  assert.equal(
    verifyProgressText(reading),
    "2 of 5 segments read: 400,000 records, 172.0 MiB of 431.0 MiB (39%)",
  );
  assert.equal(
    verifyProgressText({
      ...reading,
      segmentsRead: 1,
      segments: 1,
      records: 1,
      bytes: 180_355_072,
    }),
    "1 of 1 segment read: 1 record, 172.0 MiB of 172.0 MiB (100%)",
  );
  assert.equal(
    verifyProgressText({ ...reading, segmentsRead: 0, bytesRead: 0, bytes: 0, records: 0 }),
    "0 of 5 segments read: 0 records, 0 B of 0 B (100%)",
  );
  assert.equal(
    verifyProgressText({ ...reading, phase: "checking", segmentsRead: 5, bytesRead: 451_936_256 }),
    "all 5 segments read (400,000 records, 431.0 MiB); checking checkpoints, signatures and the state",
  );
  assert.equal(
    verifyProgressText({ ...reading, phase: "checking", segmentsRead: 1, segments: 1 }),
    "the segment read (400,000 records, 172.0 MiB); checking checkpoints, signatures and the state",
  );
});

/** Checks the steps one verification told against what its log holds. */
function assertSteps(
  steps: VerifyProgress[],
  expected: { segments: number; bytes: number; records: number },
): void {
  assert.deepEqual(
    steps.map((s) => `${s.phase} ${s.segmentsRead}/${s.segments}`),
    [
      ...Array.from(
        { length: expected.segments },
        (_, i) => `reading ${i + 1}/${expected.segments}`,
      ),
      `checking ${expected.segments}/${expected.segments}`,
    ],
  );
  for (let i = 1; i < steps.length; i++) {
    assert.ok(steps[i]!.bytesRead > steps[i - 1]!.bytesRead || steps[i]!.phase === "checking");
    assert.ok(steps[i]!.records >= steps[i - 1]!.records);
  }
  for (const step of steps) assert.equal(step.bytes, expected.bytes);
  const last = steps.at(-1)!;
  assert.equal(last.bytesRead, expected.bytes);
  assert.equal(last.records, expected.records);
}

async function segmentsOf(dir: string): Promise<{ segments: number; bytes: number }> {
  const names = await listSegments(dir);
  let bytes = 0;
  for (const name of names) bytes += (await Deno.stat(`${dir}/${name}`)).size;
  return { segments: names.length, bytes };
}

Deno.test("verifying a device's log tells each segment, then the checks, with what was read", async () => {
  const home = await sampleLog(4, 8, { maxSegmentBytes: 4096 });
  const steps: VerifyProgress[] = [];
  const report = await verifyLocalLog(home, { progress: (step) => steps.push(step) });
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  const held = await segmentsOf(`${home}/audit`);
  assert.equal(held.segments, report.segments.length);
  assert.ok(held.segments > 2, `a log of several segments, not ${held.segments}`);
  assertSteps(steps, { ...held, records: report.records });
});

Deno.test("verifying a bundle (its records in one file) tells its progress the same way", async () => {
  const bundle = await exportSample(await sampleLog(4, 8, { maxSegmentBytes: 4096 }));
  const steps: VerifyProgress[] = [];
  const report = await verifyBundle(bundle, { progress: (step) => steps.push(step) });
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assertSteps(steps, { ...await segmentsOf(`${bundle}/records`), records: report.records });
});
