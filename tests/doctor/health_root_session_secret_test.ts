/**
 * `thoth health`'s credentials part judges the session file root placed in a
 * profile root manages as `thoth run` and the doctor's credentials check do
 * (`secretModeVerdict`, for the profile's owner): readable by others (0644)
 * it is refused (`credentials.exposed`), never reported as the credential
 * present (it was before), the problem in run's words with root's remedies;
 * private to root (0400) it is used as it is.
 *
 * Chowning needs root: skipped (ignored, the reason in the name) otherwise.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkCredentials } from "../../src/doctor/check_credentials.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const NEEDS = " (needs root to chown: skipped otherwise)";
const CAN = Deno.build.os !== "windows" && Deno.uid() === 0;
/** The user the profile is for. */
const USER = 4242;
const ENV = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@example.com",
  THOTH_APEX_DOMAIN: "example.com",
};

/** `home` as root manages it for `USER`, holding root's session file of mode `mode`. */
async function managedSession(home: string, mode: number): Promise<string> {
  await Deno.chown(home, 0, 0);
  await Deno.chmod(home, 0o755);
  await Deno.mkdir(`${home}/sessions`, { mode: 0o755 });
  const path = `${home}/sessions/acme--acme.example.com--admin-token.jwt`;
  await Deno.writeTextFile(path, "t-1");
  await Deno.chown(path, 0, 0);
  await Deno.chmod(path, mode);
  return path;
}

const asUser = (home: string) => testContext(home, { env: ENV, host: { uid: () => USER } });

Deno.test({
  name:
    "health reports root's session file others can read as refused, in doctor's words; private, as used" +
    NEEDS,
  ignore: !CAN,
  fn: () =>
    withTempDir(async (home) => {
      const path = await managedSession(home, 0o644);
      const check = await checkCredentials(asUser(home));
      const { credentials } = await buildHealthReport(asUser(home), { probe: false });
      assert.equal(check.status, "fail");
      assert.match(check.message, /^not using the secret "[^"]+": it is 0644 \(every user can/);
      assert.equal(credentials.present, false);
      assert.equal(credentials.source, null);
      assert.equal(credentials.fingerprint, null);
      assert.equal(credentials.problem, `${check.message}: ${check.hint}`);
      assert.ok(credentials.problem?.includes(`chown ${USER} '${path}'`));
      assert.equal(((await Deno.stat(path)).mode ?? 0) & 0o777, 0o644, "left as it is");
      // Made private by root, it is used as it is, by health as by run.
      await Deno.chmod(path, 0o400);
      const fixed = (await buildHealthReport(asUser(home), { probe: false })).credentials;
      assert.equal(fixed.present, true);
      assert.equal(fixed.source, "session_file");
      assert.equal(fixed.problem, null);
    }),
});
