import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { isAppError } from "../../src/errors.ts";
import { readPublicKeys } from "../../src/audit/device_keys.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { kinds, readLines, sampleLog, segmentPath, steppingClock } from "./_log_helpers.ts";

const end = { type: "session_end", session: "s", exitCode: 0, signal: null } as const;

Deno.test("openAuditLog() creates keys 0600 and folders 0700 on first use", async () => {
  const home = await Deno.makeTempDir({ prefix: "thoth-audit-" });
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  const receipt = await log.append(end);
  await log.close();
  assert.equal(receipt.seq, 0);
  for (const f of ["audit-hmac.key", "audit-signing.key"]) {
    assert.equal((await Deno.stat(`${home}/keys/${f}`)).mode! & 0o777, 0o600, f);
  }
  assert.equal((await Deno.stat(`${home}/audit`)).mode! & 0o777, 0o700);
  assert.equal((await Deno.stat(await segmentPath(home))).mode! & 0o777, 0o600);
  assert.equal((await readPublicKeys(`${home}/keys/audit-signing-keys.json`)).length, 1);
});

Deno.test("append() numbers records without gaps, and sync always group-commits", async () => {
  const home = await Deno.makeTempDir({ prefix: "thoth-audit-" });
  const log = await openAuditLog({ thothHome: home, now: steppingClock(), sync: "always" });
  const receipts = await Promise.all(Array.from({ length: 50 }, () => log.append(end)));
  await log.close();
  const seqs = receipts.map((r) => r.seq).sort((a, b) => a - b);
  assert.equal(new Set(seqs).size, 50);
  const lines = await readLines(await segmentPath(home));
  assert.deepEqual(lines.map((l) => JSON.parse(l).seq), lines.map((_, i) => i));
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
});

Deno.test("the chain runs across segments rotated by day and by size", async () => {
  const home = await sampleLog(2, 6, {
    now: steppingClock("2026-03-01T23:59:50.000Z", 1000),
    maxSegmentBytes: 4000,
  });
  const names = [...Deno.readDirSync(`${home}/audit`)].map((e) => e.name).filter((n) =>
    n.startsWith("seg-")
  );
  assert.ok(
    names.some((n) => n.includes("2026-03-01")) && names.some((n) => n.includes("2026-03-02")),
  );
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.ok(report.segments.length >= 3);
});

Deno.test("rotateSigningKey() records an endorsed rotation and later checkpoints verify", async () => {
  const home = await sampleLog(1, 4);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-02T00:00:00Z") });
  await log.rotateSigningKey();
  await log.append(end);
  await log.close();
  const keys = await readPublicKeys(`${home}/keys/audit-signing-keys.json`);
  assert.equal(keys.length, 2);
  assert.ok(keys[0]!.retired);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.ok(report.findings.some((f) => f.kind === "key_rotation"));
});

Deno.test("openAuditLog() rejects with audit.unwritable when the folder cannot be made", async () => {
  const home = await Deno.makeTempDir({ prefix: "thoth-audit-" });
  await Deno.writeTextFile(`${home}/audit`, "not a folder");
  await assert.rejects(openAuditLog({ thothHome: home }), (e) => isAppError(e, "audit.unwritable"));
});

Deno.test("append() rejects with audit.unwritable when the disk refuses the write", async () => {
  const home = await Deno.makeTempDir({ prefix: "thoth-audit-" });
  await Deno.mkdir(`${home}/audit`, { recursive: true });
  await Deno.symlink("/dev/full", `${home}/audit/seg-000000000000-2026-03-01.jsonl`);
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  await assert.rejects(log.append(end), (e) => isAppError(e, "audit.unwritable"));
  await log.close();
  await assert.rejects(log.append(end), (e) => isAppError(e, "audit.closed"));
});

Deno.test("a lost state file is rebuilt from the log and recorded", async () => {
  const home = await sampleLog(1, 4);
  await Deno.remove(`${home}/audit/.state.json`);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-02T00:00:00Z") });
  const before = (await readLines(await segmentPath(home, -1))).length;
  const receipt = await log.append(end);
  await log.close();
  assert.equal(receipt.seq, before + 1);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.ok(report.findings.some((f) => f.kind === "state_rebuilt"));
});

Deno.test("a record another writer wrote without updating the state is kept", async () => {
  const home = await sampleLog(1, 2);
  const path = await segmentPath(home, -1);
  const state = await Deno.readTextFile(`${home}/audit/.state.json`);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T11:00:00Z") });
  await log.append(end);
  await log.close();
  const lines = await readLines(path);
  await Deno.writeTextFile(`${home}/audit/.state.json`, state);
  const again = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  const receipt = await again.append(end);
  await again.close();
  assert.equal(receipt.seq, lines.length);
  assert.deepEqual(kinds((await verifyLocalLog(home)).findings), []);
});
