// Which signing keys verify trusts: the device's first key (or the anchor's)
// and the keys key rotations endorse from it, never a key someone appended to
// the keys file.
import assert from "node:assert/strict";
import { toBase64 } from "../../src/audit/encoding.ts";
import { keyRotationMessage } from "../../src/audit/record.ts";
import { noteKeyHash, noteVerifierKey } from "../../src/audit/signed_note.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import {
  exportAnchor,
  forgeState,
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
  deviceSigner,
  exportSample,
  forgeAndResign,
  rewriteManifest,
} from "./_bundle_helpers.ts";

async function keyName(home: string): Promise<string> {
  return JSON.parse(await Deno.readTextFile(`${home}/keys/audit-signing.key`)).name;
}

/** Rotates the device's signing key and writes a few more records. */
Deno.test("verify: a key appended to the keys file does not vouch for re-signed history", async () => {
  const home = await sampleLog();
  const signer = await otherSigner(await keyName(home));
  await appendKey(`${home}/keys/audit-signing-keys.json`, signer);
  await forgeAndResign(await segmentPath(home), `${home}/audit/checkpoints`, signer);
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.ok(kinds(report.findings).includes("unknown_key"), JSON.stringify(report.findings));
  assert.equal(report.checkpoints.verified, 0);
  assert.equal(report.trust?.by, "first_key");
});

Deno.test("verify --bundle: a key appended to a bundle's keys file does not vouch for it", async () => {
  const home = await sampleLog(3, 6);
  const dir = await exportSample(home);
  const signer = await otherSigner(await keyName(home));
  await appendKey(`${dir}/keys/audit-signing-keys.json`, signer);
  await forgeAndResign(bundleRecords(dir), `${dir}/checkpoints`, signer);
  await rewriteManifest(dir);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1);
  // "modified": the rewritten manifest is not the one the export statement signs.
  assert.deepEqual(kinds(report.findings), ["modified", "uncovered", "unknown_key"]);
});

Deno.test("verify: a rotation endorsed by a key that is not trusted passes no trust on", async () => {
  const home = await sampleLog();
  const name = await keyName(home);
  const keysPath = `${home}/keys/audit-signing-keys.json`;
  const [x, y] = [await otherSigner(name), await otherSigner(name)];
  await appendKey(keysPath, x);
  await appendKey(keysPath, y);
  // X endorses Y in a rotation record, then Y re-signs the rewritten history.
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const newVerifierKey = await noteVerifierKey(name, y.publicKey);
  const endorsement = new Uint8Array(
    await crypto.subtle.sign(
      "Ed25519",
      x.privateKey,
      new TextEncoder().encode(keyRotationMessage(newVerifierKey)),
    ),
  );
  const rotation = {
    ...JSON.parse(lines[1]!),
    type: "key_rotation",
    oldKeyHash: await noteKeyHash(name, x.publicKey),
    newKeyHash: await noteKeyHash(name, y.publicKey),
    newVerifierKey,
    endorsement: toBase64(endorsement),
  };
  for (const key of ["session", "server", "commandDigest", "envKeys", "decisionId"]) {
    delete rotation[key];
  }
  lines.splice(1, 0, JSON.stringify(rotation));
  await writeLines(path, await rechain(lines, 1, { renumber: true }));
  await forgeAndResign(path, `${home}/audit/checkpoints`, y);
  await forgeState(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  const unknown = report.findings.filter((f) => f.kind === "unknown_key");
  assert.ok(unknown.some((f) => f.seq === 1 && /is not trusted/.test(f.message)));
  assert.ok(unknown.length > 1, "and Y's checkpoints are untrusted");
});

Deno.test("verify: a genuine rotation verifies alone, against an anchor before it, and one after it", async () => {
  const home = await sampleLog(2, 4);
  const before = await exportAnchor(home, "2026-03-01T12:00:00Z");
  await rotate(home, "2026-03-01T13:00:00Z");
  const after = await exportAnchor(home, "2026-03-01T14:00:00Z");
  for (const anchorPath of [undefined, before, after]) {
    const report = await verifyLocalLog(home, anchorPath ? { anchorPath } : {});
    assert.equal(report.exitCode, 0, `${anchorPath}: ${JSON.stringify(report.findings)}`);
    assert.ok(report.findings.some((f) => f.kind === "key_rotation"));
    if (anchorPath) assert.equal(report.anchor?.verified, true);
  }
  const byAnchor = await verifyLocalLog(home, { anchorPath: after });
  assert.equal(byAnchor.trust?.by, "anchor");
  assert.notEqual(
    byAnchor.trust?.key,
    (await verifyLocalLog(home)).trust?.key,
    "the anchor was signed by the rotated key",
  );
});

Deno.test("verify --bundle: a bundle that starts after a key rotation carries the endorsement", async () => {
  const home = await sampleLog(2, 4);
  await rotate(home, "2026-03-01T13:00:00Z");
  const records = (await readLines(await segmentPath(home, -1))).map((l) => JSON.parse(l));
  const at = records.findIndex((r) => r.type === "key_rotation");
  const dir = await exportSample(home, { since: records[at + 1].ts });
  const first = JSON.parse((await readLines(bundleRecords(dir)))[0]!);
  assert.equal(first.seq, records[at].seq + 1, "the rotation is just before the bundle");
  assert.ok((await readLines(`${dir}/keys/key-rotations.jsonl`)).length === 1);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  await Deno.remove(`${dir}/keys/key-rotations.jsonl`);
  await rewriteManifest(dir);
  const bare = await verifyBundle(dir);
  assert.ok(kinds(bare.findings).includes("unknown_key"), "without it the new key is unknown");
});

Deno.test("verify: the device key itself re-signing rewritten history is still caught by an anchor", async () => {
  const home = await sampleLog();
  const anchorPath = await exportAnchor(home, "2026-03-01T12:00:00Z");
  await forgeAndResign(
    await segmentPath(home),
    `${home}/audit/checkpoints`,
    await deviceSigner(home),
  );
  await forgeState(home);
  assert.equal((await verifyLocalLog(home)).exitCode, 0, "without an anchor it cannot be told");
  const report = await verifyLocalLog(home, { anchorPath });
  assert.equal(report.exitCode, 1);
  assert.deepEqual(kinds(report.findings), ["fork"]);
});
