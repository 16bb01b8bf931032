/**
 * `thoth audit export` reads the device's signing key while it holds the
 * audit writers' lock: a key file swapped for something large, or for a
 * FIFO, is refused at once as a damaged key (`audit.bad_key`, with the
 * remedy), never read whole or waited on, and the lock is free again.
 */
import assert from "node:assert/strict";
import { readDeviceSigner } from "../../src/audit/device_keys.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { isAppError } from "../../src/errors.ts";
import { HAS_FIFO, replaceWithFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { thothAudit } from "./_audit_cli.ts";
import { sampleLog } from "./_log_helpers.ts";

/** The signing key file's limit: 64 KiB (thoth writes about 300 bytes). */
const LIMIT = 64 * 1024;

/** The signing key file, still a valid key, padded with spaces past the limit. */
async function padKey(path: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  await Deno.writeTextFile(path, text + " ".repeat(LIMIT));
}

Deno.test("readDeviceSigner() refuses a key file over its limit as a damaged key", async () => {
  const home = await sampleLog(1, 1);
  const paths = auditPaths(home);
  assert.equal((await readDeviceSigner(paths, "sign")).name.length > 0, true);
  await padKey(paths.signingKey);
  await assert.rejects(readDeviceSigner(paths, "sign the bundle"), (error) => {
    assert.ok(isAppError(error));
    assert.equal(error.code, "audit.bad_key");
    assert.match(
      error.message,
      /^cannot sign the bundle: the audit signing key ".+audit-signing\.key" is not a key file: it is \d+ bytes, over the 64 KiB \(65536-byte\) limit$/,
    );
    assert.match(error.hints[0] ?? "", /restore it from a backup/);
    return true;
  });
});

Deno.test({
  name: "readDeviceSigner() refuses a FIFO in the key's place at once, as a damaged key",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 1);
    const paths = auditPaths(home);
    await replaceWithFifo(paths.signingKey);
    const error = await settlesAtOnce(
      () => readDeviceSigner(paths, "sign").then(() => undefined, (e: unknown) => e),
      paths.signingKey,
    );
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, "audit.bad_key");
    assert.match(error.message, /is not a key file: it is not a regular file$/);
  },
});

Deno.test("thoth audit export with an oversized signing key: exit 1, the key named, the lock free", async () => {
  const home = await sampleLog(1, 2);
  await padKey(auditPaths(home).signingKey);
  const refused = await thothAudit(home, "export", "--output", `${home}/bundle`);
  assert.equal(refused.code, 1, refused.out);
  assert.match(
    refused.err,
    /audit-signing\.key" is not a key file: it is \d+ bytes, over the 64 KiB/,
  );
  assert.match(refused.err, /hint: restore it from a backup/);
  // The writers' lock was let go: a checkpoint, which takes it, goes through.
  const checkpoint = await thothAudit(home, "checkpoint");
  assert.equal(checkpoint.code, 0, checkpoint.err);
});
