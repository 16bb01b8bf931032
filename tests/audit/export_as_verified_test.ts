/**
 * `thoth audit export` bundles exactly the bytes its verification judged:
 * a record edited before the verification and put back for it, then edited
 * again after it, never reaches the bundle (whose signed statement says the
 * log verified); and a key rotated between the export's read of its signing
 * key and the verification stops the export (`audit.changed_while_exported`)
 * instead of bundling keys the log was not verified with. The gate is the
 * one `thoth audit export` uses, wrapped to change the log around it.
 */
import assert from "node:assert/strict";
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { exportGate } from "../../src/audit/export_gate.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import type { VerifiedRead } from "../../src/audit/verified_read.ts";
import { isAppError } from "../../src/errors.ts";
import { bundleRecords } from "./_bundle_helpers.ts";
import { readLines, rotate, sampleLog, segmentPath, writeLines } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const now = new Date("2026-03-02T00:00:00Z");

/** Writes `path` with its first decision's tool renamed, as someone with write access would. */
async function editDecision(path: string): Promise<void> {
  const lines = await readLines(path);
  const i = lines.findIndex((line) => line.includes('"type":"decision"'));
  lines[i] = lines[i]!.replace('"tool":"read_file"', '"tool":"wipe_disk"');
  await writeLines(path, lines);
}

Deno.test("exportBundle() bundles the records its verification read, whatever the log holds before or after", async () => {
  const home = await sampleLog(2, 8);
  const path = await segmentPath(home);
  const original = await Deno.readFile(path);
  await editDecision(path);
  const output = await tempFolder("thoth-bundle-");
  const summary = await exportBundle(home, {
    output,
    now,
    gate: async () => {
      await Deno.writeFile(path, original); // put back for the verification
      const gated = await exportGate(home, { withFindings: false, now });
      await editDecision(path); // and edited again once it was verified
      return gated;
    },
  });
  assert.equal(summary.device, undefined, "the log verified: the statement states no findings");
  const bundled = await Deno.readFile(bundleRecords(output));
  assert.ok(bundled.length > 0 && summary.firstSeq === 0);
  assert.deepEqual(bundled, original.subarray(0, bundled.length), "the verified bytes, unedited");
  const report = await verifyBundle(output);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
});

Deno.test("exportBundle() refuses when the signing key rotates between its key read and its verification", async () => {
  const home = await sampleLog(2, 8);
  const output = await tempFolder("thoth-bundle-");
  await assert.rejects(
    exportBundle(home, {
      output,
      now,
      gate: async () => {
        await rotate(home, "2026-03-01T12:00:00.000Z");
        return await exportGate(home, { withFindings: false, now });
      },
    }),
    (error: unknown) => {
      assert.ok(isAppError(error, "audit.changed_while_exported"), String(error));
      assert.match(error.message, /changed while the audit log was exported/);
      assert.deepEqual(error.hints.slice(0, 1), ["export again"]);
      assert.equal(error.exitCode, 1);
      return true;
    },
  );
  assert.deepEqual([...Deno.readDirSync(output)], [], "nothing was written");
  // Exported again, as the hint says, it goes through.
  const again = await exportBundle(home, {
    output,
    now,
    gate: () => exportGate(home, { withFindings: false, now }),
  });
  assert.equal((await verifyBundle(output)).exitCode, 0);
  assert.ok(again.lastSeq > 0);
});

Deno.test("verifyLocalLog() hands over the segments and the keys file it judged, read with the log's end", async () => {
  const home = await sampleLog(1, 4);
  let read: VerifiedRead | undefined;
  const report = await verifyLocalLog(home, { keep: (verified) => read = verified });
  assert.equal(report.exitCode, 0);
  const path = await segmentPath(home);
  const name = path.slice(path.lastIndexOf("/") + 1);
  assert.deepEqual(read?.segments.get(name), await Deno.readFile(path));
  assert.deepEqual(read?.keys, { bytes: await Deno.readFile(auditPaths(home).publicKeys) });
  const notes = [...Deno.readDirSync(auditPaths(home).checkpoints)].map((e) => e.name).sort();
  assert.deepEqual(read?.checkpoints.map((n) => n.source), notes);
  assert.ok(notes.length > 0);
});
