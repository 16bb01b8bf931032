/**
 * `loadDeviceKeys` makes the device's keys on first use, but never a new
 * private key beside a log that holds records: a missing signing key or HMAC
 * key there is `audit.key_missing`, and nothing is written.
 */
import assert from "node:assert/strict";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { isAppError } from "../../src/errors.ts";
import { sampleLog, segmentPath } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

for (const kind of ["signing", "hmac"] as const) {
  Deno.test(`loadDeviceKeys() refuses to make a new ${kind} key beside a log with records`, async () => {
    const home = await sampleLog(1, 2);
    const paths = auditPaths(home);
    const path = kind === "signing" ? paths.signingKey : paths.hmacKey;
    const listed = await Deno.readTextFile(paths.publicKeys);
    await Deno.remove(path);
    await assert.rejects(
      () => loadDeviceKeys(home, NOW),
      (error: unknown) => {
        assert.ok(isAppError(error, "audit.key_missing"), String(error));
        assert.match(error.message, new RegExp(`"${path}" is missing beside an audit log`));
        assert.match(error.hints[0] ?? "", /^restore '.+' from a backup of this profile/);
        return true;
      },
    );
    assert.equal(await exists(path), false, "a new key was made");
    assert.equal(await Deno.readTextFile(paths.publicKeys), listed);
  });
}

Deno.test("loadDeviceKeys() makes both keys in a fresh profile", async () => {
  const home = await tempFolder("thoth-keys-fresh-");
  const keys = await loadDeviceKeys(home, NOW);
  const paths = auditPaths(home);
  assert.ok(await exists(paths.signingKey));
  assert.ok(await exists(paths.hmacKey));
  assert.equal(keys.publicKeys.length, 1);
});

Deno.test("loadDeviceKeys() makes the keys beside a segment that holds no complete record", async () => {
  const home = await sampleLog(1, 2);
  const paths = auditPaths(home);
  // A writer killed before its first record leaves at most a partial line.
  await Deno.writeTextFile(await segmentPath(home, 0), '{"v":1,"seq":0');
  await Deno.remove(paths.keysDir, { recursive: true });
  await loadDeviceKeys(home, NOW);
  assert.ok(await exists(paths.signingKey));
  assert.ok(await exists(paths.hmacKey));
});
