// An anchor passes trust back from its key to an older key only over a
// key_rotation record it proves: one whose bytes lie inside the prefix whose
// root the anchor signed. A rotation carried beside a bundle's records
// (keys/key-rotations.jsonl) is covered by nothing, so it passes trust forward
// only, never back.
import assert from "node:assert/strict";
import { checkpointName } from "../../src/audit/log_paths.ts";
import { noteKeyHash } from "../../src/audit/signed_note.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import {
  exportAnchor,
  kinds,
  otherSigner,
  readLines,
  rechain,
  rotate,
  sampleLog,
  segmentPath,
  writeLines,
} from "./_log_helpers.ts";
import {
  appendKey,
  bundleRecords,
  exportSample,
  forgedRotation,
  rewriteManifest,
} from "./_bundle_helpers.ts";

/** Rotates the device's signing key and writes a session after it. */
Deno.test("verify --bundle --anchor: a forged rotation carried beside the records passes no trust back to a foreign key", async () => {
  const home = await sampleLog();
  const dir = await exportSample(home);
  const anchorPath = `${home}/audit/checkpoints/${checkpointName(21)}`;
  const keysPath = `${dir}/keys/audit-signing-keys.json`;
  const device = JSON.parse(await Deno.readTextFile(keysPath))[0];
  const evil = await otherSigner(device.name);
  const evilHash = await noteKeyHash(evil.name, evil.publicKey);

  // Record 24 blocked instead of allowed, the chain recomputed and every later
  // checkpoint re-signed with a key of the attacker's own.
  const path = bundleRecords(dir);
  const lines = await readLines(path);
  const at = lines.findIndex((l, i) => i >= 22 && l.includes('"verdict":"allow"'));
  lines[at] = lines[at]!.replace('"verdict":"allow"', '"verdict":"block"');
  const forged = await rechain(lines, at, { resign: evil });
  await writeLines(path, forged);
  for (const line of forged.slice(at)) {
    const record = JSON.parse(line);
    if (record.type === "checkpoint") {
      await Deno.writeTextFile(`${dir}/checkpoints/${checkpointName(record.size)}`, record.note);
    }
  }
  // The attacker's key listed, and a rotation "at seq 0" in which it endorses the device key.
  await appendKey(keysPath, evil);
  const rotation = await forgedRotation(evil, device);
  await Deno.writeTextFile(`${dir}/keys/key-rotations.jsonl`, JSON.stringify(rotation) + "\n");
  await rewriteManifest(dir);

  const report = await verifyBundle(dir, { anchorPath });
  assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
  assert.equal(report.status, "tampered");
  assert.ok(kinds(report.findings).includes("unknown_key"), JSON.stringify(report.findings));
  assert.ok(
    report.findings.some((f) => f.kind === "unknown_key" && f.message.includes(evilHash)),
    "the re-signed checkpoints are signed by an untrusted key",
  );
});

Deno.test("verify --bundle --anchor: a bundle holding a genuine rotation verifies against anchors before and after it", async () => {
  const home = await sampleLog(2, 4);
  const before = await exportAnchor(home, "2026-03-01T12:00:00Z");
  await rotate(home, "2026-03-01T13:00:00Z");
  const after = await exportAnchor(home, "2026-03-01T14:00:00Z");
  const dir = await exportSample(home);
  const records = (await readLines(bundleRecords(dir))).map((l) => JSON.parse(l));
  assert.ok(records.some((r) => r.type === "key_rotation"), "the bundle holds the rotation");
  for (const anchorPath of [undefined, before, after]) {
    const report = await verifyBundle(dir, anchorPath ? { anchorPath } : {});
    assert.equal(report.exitCode, 0, `${anchorPath}: ${JSON.stringify(report.findings)}`);
    if (anchorPath) assert.equal(report.anchor?.verified, true);
  }
  assert.equal((await verifyBundle(dir, { anchorPath: after })).trust?.by, "anchor");
});

Deno.test("verify --bundle --anchor: a bundle that starts after a rotation verifies against an anchor after it", async () => {
  const home = await sampleLog(2, 4);
  await rotate(home, "2026-03-01T13:00:00Z");
  const after = await exportAnchor(home, "2026-03-01T14:00:00Z");
  const records = (await readLines(await segmentPath(home, -1))).map((l) => JSON.parse(l));
  const at = records.findIndex((r) => r.type === "key_rotation");
  const dir = await exportSample(home, { since: records[at + 1].ts });
  const report = await verifyBundle(dir, { anchorPath: after });
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.equal(report.anchor?.verified, true);
});
