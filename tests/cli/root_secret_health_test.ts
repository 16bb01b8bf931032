/**
 * `thoth health --json`'s credentials part and the doctor's credentials check
 * judge root's API key file in a profile root manages as `thoth run` does.
 * Readable by others (0644; 0640 in root's group, which the user cannot even
 * read): run refuses it (`credentials.exposed`), and health reports no
 * usable credential but run's refusal and its remedies as the problem (it
 * reported the 0644 key as present and usable before), the doctor's check
 * failing in the same words (it said "permission denied" of the 0640 one
 * before). Private to root (0600): run starts, and both say the user cannot
 * read it with the `chown` root runs to give it to them, keeping it 0600
 * (a generic "check the file's owner and permissions" before, and nothing
 * at all in health). Run as uid 65534 with /usr/bin/setpriv: skipped
 * (ignored, the reason in the name) when this is not root.
 */
import assert from "node:assert/strict";
import { CAN_RUN_AS_NOBODY, NEEDS_ONE_USER, NOBODY, thothAsNobody } from "./_thoth_as_nobody.ts";
import { managedProfile } from "./_managed_profile.ts";

interface Check {
  id: string;
  status: string;
  message: string;
  hint: string | null;
}

interface Credentials {
  present: boolean;
  kind: string | null;
  source: string | null;
  fingerprint: string | null;
  problem: string | null;
}

/** `thoth run` of a server that ends at once, doctor's credentials check and health's part, as uid 65534. */
async function runDoctorHealth(env: Record<string, string>) {
  const run = await thothAsNobody(["run", "--agent-id", "s", "--", "true"], { env });
  const doctor = await thothAsNobody(["doctor", "--json"], { env });
  const checks = (JSON.parse(doctor.out) as { checks: Check[] }).checks;
  const check = checks.find((c) => c.id === "credentials");
  assert.ok(check !== undefined, doctor.out);
  const health = await thothAsNobody(["health", "--json"], { env });
  const credentials = (JSON.parse(health.out) as { credentials: Credentials }).credentials;
  return { run, check, credentials };
}

for (
  const [gid, mode, readers] of [[0, 0o644, "every user"], [
    0,
    0o640,
    "any member of its group",
  ]] as const
) {
  Deno.test({
    name:
      `health and doctor refuse root's key file of mode 0${
        mode.toString(8)
      } in a profile root manages, as run does` + NEEDS_ONE_USER,
    ignore: !CAN_RUN_AS_NOBODY,
    fn: async () => {
      const { env, key } = await managedProfile(gid, mode);
      const { run, check, credentials } = await runDoctorHealth(env);
      const words = `not using the secret "${key}": it is 0${
        mode.toString(8)
      } (${readers} can read it) and owned by root, so you (uid ${NOBODY.uid}) cannot make it 0600`;
      const q = `'${key}'`;
      const hints = `as root, give it to you (uid ${NOBODY.uid}): chown ${NOBODY.uid} ${q} && ` +
        `chmod 600 ${q}; or, as root, keep it root's and make it 0600: chmod 600 ${q} (thoth, ` +
        `run as uid ${NOBODY.uid}, then cannot read it)`;
      assert.equal(run.code, 1, run.err);
      assert.match(run.err, /^thoth: error: not using the secret /);
      assert.equal(check.status, "fail");
      assert.equal(check.message, words);
      assert.equal(check.hint, hints);
      assert.deepEqual(credentials, {
        present: false,
        kind: null,
        source: null,
        fingerprint: null,
        expires_at: null,
        expired: null,
        problem: `${words}: ${hints}`,
      });
    },
  });
}

Deno.test({
  name: "health and doctor name the chown that lets the user read root's private key file" +
    NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env, key } = await managedProfile(0, 0o600);
    const { run, check, credentials } = await runDoctorHealth(env);
    const message = `cannot read API key file "${key}": permission denied`;
    const hint = `as root, give it to you (uid ${NOBODY.uid}) so that thoth can read it, keeping ` +
      `it 0600: chown ${NOBODY.uid} '${key}'`;
    assert.equal(run.code, 0, run.err);
    assert.equal(check.status, "fail");
    assert.equal(check.message, message);
    assert.equal(check.hint, hint);
    assert.equal(credentials.present, false);
    assert.equal(credentials.problem, `${message}: ${hint}`);
    assert.equal(((await Deno.stat(key)).mode ?? 0) & 0o777, 0o600);
  },
});
