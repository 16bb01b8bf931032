/**
 * In a profile folder root manages (a fleet's `THOTH_HOME=/var/lib/thoth`,
 * root's, 0755, the folders thoth writes the user's), the API key file root
 * placed is judged alike by `thoth run` and `thoth doctor`. Private to root
 * (0600): run starts, and the doctor's profile check passes it as managed by
 * root (it said "another user wrote it" and `rm -f` before), leaving to the
 * credentials check that the user cannot read it. Readable by others (0644,
 * or 0640 in the user's group): run refuses to start with
 * `credentials.exposed`, naming the file and what root must do, and leaves
 * the file as it is (it stopped on a raw "permission denied" before); the
 * doctor's profile and credentials checks fail in the same words (the
 * credentials check passed it before). Run as uid 65534 with
 * /usr/bin/setpriv: skipped (ignored, the reason in the name) when this is
 * not root.
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

/** `thoth run` of a server that ends at once, and the doctor's checks, as uid 65534. */
async function runAndDoctor(env: Record<string, string>) {
  const run = await thothAsNobody(["run", "--agent-id", "s", "--", "true"], { env });
  const doctor = await thothAsNobody(["doctor", "--json"], { env });
  const checks = (JSON.parse(doctor.out) as { checks: Check[] }).checks;
  const check = (id: string) => {
    const found = checks.find((c) => c.id === id);
    assert.ok(found !== undefined, doctor.out);
    return found;
  };
  return { run, profile: check("profile"), credentials: check("credentials") };
}

Deno.test({
  name: "run and doctor both accept root's private key file in a profile root manages" +
    NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env, key } = await managedProfile(0, 0o600);
    const { run, profile, credentials } = await runAndDoctor(env);
    assert.equal(run.code, 0, run.err);
    assert.equal(profile.status, "pass", profile.message);
    assert.match(profile.message, /is managed by root/);
    // The user cannot read root's 0600 file: a fact the credentials check states, not a refusal.
    assert.equal(
      credentials.message,
      `cannot read API key file "${key}": permission denied`,
    );
    assert.equal(((await Deno.stat(key)).mode ?? 0) & 0o777, 0o600);
  },
});

for (
  const [gid, mode, readers] of [[0, 0o644, "every user"], [
    NOBODY.gid,
    0o640,
    "any member of its group",
  ]] as const
) {
  Deno.test({
    name:
      `run and doctor both refuse root's key file of mode 0${
        mode.toString(8)
      } in a profile root manages, in the same words` + NEEDS_ONE_USER,
    ignore: !CAN_RUN_AS_NOBODY,
    fn: async () => {
      const { env, key } = await managedProfile(gid, mode);
      const { run, profile, credentials } = await runAndDoctor(env);
      const words = `not using the secret "${key}": it is 0${
        mode.toString(8)
      } (${readers} can read it) and owned by root, so you (uid ${NOBODY.uid}) cannot make it 0600`;
      const q = `'${key}'`;
      assert.equal(run.code, 1, run.err);
      assert.equal(
        run.err,
        `thoth: error: ${words}\n` +
          `thoth: hint: as root, give it to you (uid ${NOBODY.uid}): chown ${NOBODY.uid} ${q} && ` +
          `chmod 600 ${q}\n` +
          `thoth: hint: or, as root, keep it root's and make it 0600: chmod 600 ${q} (thoth, run ` +
          `as uid ${NOBODY.uid}, then cannot read it)\n`,
      );
      // Left as root placed it: not the user's to change.
      assert.equal(((await Deno.stat(key)).mode ?? 0) & 0o777, mode);
      assert.equal(profile.status, "fail");
      assert.equal(profile.message, words, "said once, in run's words");
      assert.equal(profile.hint, `chown ${NOBODY.uid} ${q} && chmod 600 ${q}`);
      assert.equal(credentials.status, "fail");
      assert.equal(credentials.message, words);
    },
  });
}
