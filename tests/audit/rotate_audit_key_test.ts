/**
 * `rotateAuditKey()` (what `thoth audit rotate-key` runs) when it cannot
 * finish: the record of a rotation reaches the log before the new key
 * replaces the old one, so a failure at either step leaves a log that
 * verifies clean (never a key in use that no record endorses, which verify
 * reads as tampering); a lock another process keeps ends the wait with
 * `audit.locked` and rotates nothing.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { rotateAuditKey } from "../../src/audit/rotate_audit_key.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { isAppError } from "../../src/errors.ts";
import { holdLock } from "../_hold_lock.ts";
import { sampleLog } from "./_log_helpers.ts";

/** One more record by another writer (a session), whose close signs a checkpoint. */
async function oneMoreSession(home: string): Promise<void> {
  const log = await openAuditLog({ thothHome: home });
  await log.append({ type: "session_end", session: "s-later", exitCode: 0, signal: null });
  await log.close();
}

async function settled<T>(run: () => Promise<T>): Promise<T | unknown> {
  return await run().then((value) => value, (error: unknown) => error);
}

Deno.test("rotateAuditKey() keeps the old key when the rotation record cannot be written, and the log verifies clean", async () => {
  const home = await sampleLog(1, 4);
  const paths = auditPaths(home);
  const key = await Deno.readTextFile(paths.signingKey);
  // No batch is written without its intent file (see pending_batch.ts).
  await Deno.remove(paths.pending).catch(() => {});
  await Deno.mkdir(paths.pending);
  const error = await settled(() => rotateAuditKey(home, { note: () => {} }));
  assert.ok(isAppError(error, "audit.unwritable"), String(error));
  assert.match(
    error.message,
    /^cannot rotate the audit signing key: cannot write the audit log in /,
  );
  assert.match(error.hints.join("\n"), /"thoth audit rotate-key" again/);
  assert.equal(await Deno.readTextFile(paths.signingKey), key, "the key was replaced all the same");
  await Deno.remove(paths.pending);
  await oneMoreSession(home);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
});

Deno.test("a rotation whose new key cannot be written stays recorded, the old key signs on, and a second rotation verifies clean", async () => {
  const home = await sampleLog(1, 4);
  const paths = auditPaths(home);
  const key = await Deno.readTextFile(paths.signingKey);
  // A link in place of the keys file: thoth writes no secret through one.
  await Deno.rename(paths.publicKeys, `${home}/keys-kept.json`);
  await Deno.symlink(`${home}/keys-kept.json`, paths.publicKeys);
  const error = await settled(() => rotateAuditKey(home, { note: () => {} }));
  assert.ok(isAppError(error), String(error));
  assert.equal(await Deno.readTextFile(paths.signingKey), key);
  await Deno.remove(paths.publicKeys);
  await Deno.rename(`${home}/keys-kept.json`, paths.publicKeys);
  await oneMoreSession(home);
  let report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.equal(report.findings.filter((f) => f.kind === "key_rotation").length, 1);
  const rotated = await rotateAuditKey(home, { note: () => {} });
  assert.notEqual(await Deno.readTextFile(paths.signingKey), key);
  await oneMoreSession(home);
  report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.ok(report.findings.some((f) => f.kind === "key_rotation" && f.seq === rotated.seq));
});

Deno.test("rotateAuditKey() gives up on a lock another process keeps with audit.locked, and rotates nothing", async () => {
  const home = await sampleLog(1, 2);
  const paths = auditPaths(home);
  const key = await Deno.readTextFile(paths.signingKey);
  const holder = await holdLock(paths.lock, 3_000);
  const notes: string[] = [];
  let error: unknown;
  try {
    error = await settled(() =>
      rotateAuditKey(home, {
        note: (m) => notes.push(m),
        lockPatience: { waitMs: 400, noteAfterMs: 50 },
      })
    );
  } finally {
    await holder.release();
  }
  assert.ok(isAppError(error, "audit.locked"), String(error));
  assert.match(error.hints.join("\n"), /to see which process holds it, run: /);
  assert.equal(notes.length, 1, notes.join("\n"));
  assert.equal(await Deno.readTextFile(paths.signingKey), key);
});
