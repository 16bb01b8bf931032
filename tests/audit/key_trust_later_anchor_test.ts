// An honest bundle checked against an honest anchor taken later, after a key
// rotation: the anchor is past the bundle's end, so it proves nothing about
// the bundle (a warning), but its key still reaches the older key over the
// rotation the bundle's own checkpoints prove: any checkpoint signed by a key
// already trusted, whose root the records reproduce, proves the rotations
// below its size. And a rotation carried beside the records that none of the
// device's keys endorsed is a forgery, even when it passes no trust.
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { noteKeyHash } from "../../src/audit/signed_note.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import {
  exportAnchor,
  kinds,
  otherSigner,
  readLines,
  segmentPath,
  steppingClock,
  tamperKinds,
} from "./_log_helpers.ts";
import {
  appendKey,
  asOlderBundle,
  bundleRecords,
  exportSample,
  forgedRotation,
  rewriteManifest,
} from "./_bundle_helpers.ts";
import { asOlderLog, signedAnchor } from "./_older_log.ts";
import { tempFolder } from "../_temp_dirs.ts";

const now = new Date("2026-03-02T00:00:00Z");

/** A session of `calls` allowed decisions. */
async function session(log: AuditLog, name: string, calls: number): Promise<void> {
  await log.append({
    type: "session_start",
    session: name,
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
  for (let i = 0; i < calls; i++) {
    await log.append({
      type: "decision",
      session: name,
      server: "fs",
      tool: "read_file",
      decisionId: `${name}-${i}`,
      verdict: "allow",
      ruleIds: [],
      mode: "block",
      policyHash: "cd".repeat(32),
      intent: null,
      args: await log.redact({ i }),
    });
  }
  await log.append({ type: "session_end", session: name, exitCode: 0, signal: null });
}

/** Opens the log at `clock`, runs `work`, closes it. */
async function withLog(
  home: string,
  clock: string,
  work: (log: AuditLog) => Promise<void>,
): Promise<void> {
  const log = await openAuditLog({
    thothHome: home,
    now: steppingClock(clock),
    checkpointEvery: 10,
  });
  await work(log);
  await log.close();
}

/** A log signed by its first key, rotated, then signed by the second. */
async function rotatedLog(): Promise<string> {
  const home = await tempFolder("thoth-audit-");
  await withLog(home, "2026-03-01T10:00:00Z", (log) => session(log, "a", 25));
  await withLog(home, "2026-03-01T11:00:00Z", async (log) => {
    await log.rotateSigningKey();
    await session(log, "b", 25);
  });
  return home;
}

Deno.test("verify --bundle --anchor: an honest bundle and an honest later anchor after a rotation only warn that the anchor is past the end", async () => {
  const home = await rotatedLog();
  const dir = await tempFolder("thoth-bundle-");
  await exportBundle(home, { output: dir, now });
  await withLog(home, "2026-03-01T12:00:00Z", (log) => session(log, "c", 5));
  const anchorPath = await exportAnchor(home, "2026-03-01T13:00:00Z");

  const plain = await verifyBundle(dir);
  assert.equal(plain.exitCode, 0, JSON.stringify(plain.findings));
  const report = await verifyBundle(dir, { anchorPath });
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(kinds(report.findings), ["anchor_unchecked"]);
  assert.equal(report.trust?.by, "anchor");
  assert.equal(report.anchor?.outcome, "not_checkable");
  assert.ok(
    report.findings.some((f) => f.kind === "key_rotation" && /was rotated to/.test(f.message)),
    "the rotation is proven by a checkpoint the anchor's key signed inside the bundle",
  );
  assert.ok(!report.findings.some((f) => f.kind === "untrusted_key"), "both keys are trusted");
});

Deno.test("verify --bundle --anchor: a bundle exported after a later rotation reaches an anchor by the newest key", async () => {
  const home = await rotatedLog();
  await withLog(home, "2026-03-01T12:00:00Z", async (log) => {
    await session(log, "c", 5);
    await log.rotateSigningKey();
    await session(log, "d", 5);
  });
  // The period ends before the second rotation: it travels in the keys folder.
  const dir = await tempFolder("thoth-bundle-");
  await exportBundle(home, { output: dir, until: new Date("2026-03-01T11:30:00Z"), now });
  assert.equal((await readLines(`${dir}/keys/key-rotations.jsonl`)).length, 1);
  const anchorPath = await exportAnchor(home, "2026-03-01T13:00:00Z");
  const report = await verifyBundle(dir, { anchorPath });
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(kinds(report.findings), ["anchor_unchecked"]);
  assert.equal(report.trust?.by, "anchor");
});

Deno.test("verify --bundle: a forged rotation carried beside the records, endorsing the device's key with a foreign one, is tampering", async () => {
  const home = await rotatedLog();
  const dir = await exportSample(home);
  const keysPath = `${dir}/keys/audit-signing-keys.json`;
  const device = JSON.parse(await Deno.readTextFile(keysPath))[0];
  const evil = await otherSigner(device.name);
  const evilHash = await noteKeyHash(evil.name, evil.publicKey);
  const forged = await forgedRotation(evil, device);
  await Deno.writeTextFile(`${dir}/keys/key-rotations.jsonl`, JSON.stringify(forged) + "\n");
  await appendKey(keysPath, evil);
  await rewriteManifest(dir);

  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
  const rotation = report.findings.find((f) => f.seq === 0 && f.kind === "unknown_key");
  assert.equal(rotation?.severity, "tamper", JSON.stringify(report.findings));
  assert.match(rotation!.message, /key rotation at seq 0, carried beside the records/);
  assert.match(rotation!.message, new RegExp(evilHash));
  assert.ok(
    report.findings.some((f) =>
      f.kind === "untrusted_key" && f.severity === "info" && f.message.includes(evilHash)
    ),
    "the listed foreign key is named as trusted by nothing",
  );
});

Deno.test("verify --bundle --anchor: an older bundle's honest carried rotation from a key the anchor does not reach is no tampering", async () => {
  const home = await rotatedLog();
  const records = (await readLines(await segmentPath(home, -1))).map((l) => JSON.parse(l));
  const at = records.findIndex((r) => r.type === "key_rotation");
  // The records the bundle holds as an older thoth wrote them (no checkpoint
  // frontier), and the anchor signed over them without opening a writer.
  await asOlderLog(home, at + 1);
  const dir = await exportSample(home, { since: records[at + 1].ts });
  const anchorPath = await signedAnchor(home);
  assert.equal((await readLines(bundleRecords(dir)))[0]!.includes('"key_rotation"'), false);

  // Signed: the export statement vouches for the carried rotation, so the
  // first key is trusted back from the anchor's.
  const signed = await verifyBundle(dir, { anchorPath });
  assert.equal(signed.exitCode, 0, JSON.stringify(signed.findings));
  assert.ok(!signed.findings.some((f) => f.kind === "untrusted_key"));

  // As an older thoth wrote it (no export statement): the rotation passes no
  // trust back and its first key is not trusted, but nothing was forged.
  await asOlderBundle(dir);
  const unsigned = await verifyBundle(dir, { anchorPath });
  assert.deepEqual(tamperKinds(unsigned.findings), [], JSON.stringify(unsigned.findings));
  assert.equal(unsigned.exitCode, 2);
  assert.deepEqual(kinds(unsigned.findings), ["period_unproven"]);
  assert.ok(
    unsigned.findings.some((f) =>
      f.kind === "key_rotation" && f.severity === "info" && /passes no trust/.test(f.message)
    ),
  );
});
