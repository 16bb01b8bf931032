// An anchor given with a bundle, signed by a key the bundle does not list
// (the device rotated to it after the export, say): nothing in the bundle
// can be checked against it. That is its own outcome, not "tampered": the
// finding names the key and how to supply it. It never reads as verified.
import assert from "node:assert/strict";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { noteKeyHash, signNote } from "../../src/audit/signed_note.ts";
import { formatExportStatement, parseExportStatement } from "../../src/audit/export_statement.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { exportAnchor, otherSigner, rotate, sampleLog, tamperKinds } from "./_log_helpers.ts";
import { exportSample, forgeAndResign, rewriteManifest } from "./_bundle_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

/** A bundle exported before a key rotation, and an anchor signed after it by the new key. */
async function laterKeyAnchor(): Promise<{ home: string; dir: string; anchorPath: string }> {
  const home = await sampleLog(2, 4);
  const dir = await exportSample(home);
  await rotate(home, "2026-03-01T13:00:00Z");
  const anchorPath = await exportAnchor(home, "2026-03-01T14:00:00Z");
  return { home, dir, anchorPath };
}

/** `<name>+<hash>` of the device's signing key now. */
async function deviceKey(home: string): Promise<string> {
  const key = JSON.parse(await Deno.readTextFile(`${home}/keys/audit-signing.key`));
  const publicKey = Uint8Array.from(atob(key.publicKey), (c) => c.charCodeAt(0));
  return `${key.name}+${await noteKeyHash(key.name, publicKey)}`;
}

Deno.test("verify --bundle --anchor: an anchor signed by a key the bundle does not list is anchor_key_unknown, naming the key and the remedy, not tampered", async () => {
  const { home, dir, anchorPath } = await laterKeyAnchor();
  const key = await deviceKey(home);
  const report = await verifyBundle(dir, { anchorPath });
  assert.equal(report.status, "anchor_key_unknown", JSON.stringify(report.findings));
  assert.equal(report.exitCode, 1, "never verified");
  assert.deepEqual(tamperKinds(report.findings), [], JSON.stringify(report.findings));
  assert.equal(report.anchor?.verified, false);
  assert.equal(report.anchor?.outcome, "unknown_key");
  const finding = report.findings.find((f) => f.kind === "anchor_key_unknown");
  assert.equal(finding?.severity, "unverified");
  assert.ok(finding!.message.includes(`signed by key ${key}`), finding!.message);
  assert.match(finding!.message, /which this bundle does not list/);
  assert.match(finding!.message, /no proof of a change/);
  assert.match(finding!.message, /export the bundle again on that device \(thoth audit export\)/);

  const text = formatVerifyReport(report);
  assert.match(text, /^NOT VERIFIED: the anchor is signed by a key this bundle does not list/);
  assert.doesNotMatch(text, /^OK|TAMPERED/m);
  assert.match(
    text,
    /anchor at size \d+ NOT verified: it is signed by a key this bundle does not list/,
  );
  assert.match(
    report.notice,
    /not verified against these records \(it is signed by a key this bundle does not list\)/,
  );
});

/**
 * A sample bundle and a genuine anchor within it; then the bundle's records
 * and checkpoints forged and re-signed by a key of the forger's, which the
 * keys file lists alone. Returns the forger's signer too.
 */
async function forgedUnderAnchor() {
  const home = await sampleLog();
  const dir = await exportSample(home);
  const anchorPath = await exportAnchor(home, "2026-03-01T12:00:00Z");
  const keysPath = `${dir}/keys/audit-signing-keys.json`;
  const device = JSON.parse(await Deno.readTextFile(keysPath))[0];
  const evil = await otherSigner(device.name);
  const records = [...Deno.readDirSync(`${dir}/records`)][0]!.name;
  await forgeAndResign(`${dir}/records/${records}`, `${dir}/checkpoints`, evil);
  await Deno.writeTextFile(
    keysPath,
    JSON.stringify([{
      ...device,
      keyHash: await noteKeyHash(evil.name, evil.publicKey),
      publicKey: btoa(String.fromCharCode(...evil.publicKey)),
      verifierKey: undefined,
    }]),
  );
  return { dir, anchorPath, evil };
}

Deno.test("verify --bundle --anchor: a bundle re-signed with keys of its own against a genuine anchor is never verified", async () => {
  const { dir, anchorPath } = await forgedUnderAnchor();
  // The export statement is gone.
  await Deno.remove(`${dir}/export.note`);
  await rewriteManifest(dir);
  const report = await verifyBundle(dir, { anchorPath });
  assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
  assert.notEqual(report.anchor?.verified, true);
  // The anchor lies within the bundle's records, whose keys must name its key: tampering.
  assert.equal(report.status, "tampered");
  assert.ok(report.findings.some((f) => f.kind === "unknown_key" && f.severity === "tamper"));
});

Deno.test("thoth audit verify --bundle --anchor with an anchor by a key the bundle does not list exits 1 and says NOT VERIFIED", async () => {
  const { home, dir, anchorPath } = await laterKeyAnchor();
  const run = await thothAudit(home, "verify", "--bundle", dir, "--anchor", anchorPath);
  assert.equal(run.code, 1, run.err);
  assert.match(run.out, /^NOT VERIFIED: /);
  const json = await thothAudit(home, "verify", "--bundle", dir, "--anchor", anchorPath, "--json");
  assert.equal(JSON.parse(json.out).status, "anchor_key_unknown");
});

Deno.test("verify --bundle --anchor: a bundle forged whole (records, checkpoints, keys, export statement) against a genuine anchor within it is tampered", async () => {
  const { dir, anchorPath, evil } = await forgedUnderAnchor();
  // The export statement re-signed by the forger over the new manifest.
  const noteText = await Deno.readTextFile(`${dir}/export.note`);
  const statement = parseExportStatement(noteText.slice(0, noteText.lastIndexOf("\n\n") + 1))!;
  await rewriteManifest(dir);
  const manifest = await sha256Hex(await Deno.readFile(`${dir}/manifest.json`));
  await Deno.writeTextFile(
    `${dir}/export.note`,
    await signNote(formatExportStatement({ ...statement, manifest }), evil),
  );
  const report = await verifyBundle(dir, { anchorPath });
  assert.equal(report.status, "tampered", JSON.stringify(report.findings));
  assert.equal(report.exitCode, 1);
  assert.ok(
    report.findings.some((f) => f.kind === "unknown_key" && f.severity === "tamper"),
    JSON.stringify(report.findings),
  );
  assert.ok(!report.findings.some((f) => f.kind === "anchor_key_unknown"));
  assert.match(formatVerifyReport(report), /^TAMPERED/m);
});
