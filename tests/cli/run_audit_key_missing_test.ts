/**
 * The real `thoth run` in front of the real server-memory, on a profile whose
 * log a first session wrote, with a private audit key then removed: it makes
 * no new key beside that log (a new signing key would sign checkpoints
 * `thoth audit verify` reports as signed by an unknown key; a new HMAC key
 * would leave the log's digests unmatchable). It says why on stderr with
 * `audit.key_missing` and the remedy, and acts as on any log it cannot
 * write: the call is refused in every mode but observe, which forwards it
 * and warns. A fresh profile still gets its keys with its first session.
 */
import assert from "node:assert/strict";
import { auditPaths } from "../../src/audit/log_paths.ts";
import {
  copyOfGovernedProfile,
  governedProfile,
  memorySession,
  refused,
} from "./_governed_profile.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

const KEY_MISSING =
  /audit\.key_missing\): thoth makes no new one .*; restore it from a backup of this profile/;

Deno.test("a fresh profile's first governed session makes its audit keys", async () => {
  const paths = auditPaths(await governedProfile());
  assert.ok(await exists(paths.signingKey));
  assert.ok(await exists(paths.hmacKey));
  assert.ok(await exists(paths.publicKeys));
});

for (const mode of ["block", "step_up", "progressive", "observe"]) {
  Deno.test(`thoth run in ${mode} mode makes no new signing key beside a log with records`, async () => {
    const home = await copyOfGovernedProfile();
    const paths = auditPaths(home);
    const listed = await Deno.readTextFile(paths.publicKeys);
    await Deno.remove(paths.signingKey);
    const session = await memorySession(home, mode);
    assert.match(session.stderr, /the audit signing key ".+" is missing beside an audit log/);
    assert.match(session.stderr, KEY_MISSING);
    if (mode === "observe") {
      assert.ok(!refused(session), JSON.stringify(session.response));
      assert.match(session.stderr, /calls are forwarded anyway in observe mode/);
    } else {
      assert.ok(refused(session), JSON.stringify(session.response));
      assert.match(
        JSON.stringify(session.response),
        /thoth cannot record this call in its audit log/,
      );
      assert.match(
        session.stderr,
        /tool calls are blocked until it can be written \(fail closed\), and so are the resource, prompt and completion requests thoth records/,
      );
    }
    assert.equal(await exists(paths.signingKey), false, "a new signing key was made");
    assert.equal(await Deno.readTextFile(paths.publicKeys), listed);
  });
}

for (const mode of ["block", "observe"]) {
  Deno.test(`thoth run in ${mode} mode makes no new HMAC key beside a log with records`, async () => {
    const home = await copyOfGovernedProfile();
    const paths = auditPaths(home);
    await Deno.remove(paths.hmacKey);
    const session = await memorySession(home, mode);
    assert.match(session.stderr, /the audit HMAC key ".+" is missing beside an audit log/);
    assert.match(session.stderr, KEY_MISSING);
    assert.equal(refused(session), mode !== "observe", JSON.stringify(session.response));
    assert.equal(await exists(paths.hmacKey), false, "a new HMAC key was made");
  });
}
