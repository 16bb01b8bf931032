/**
 * `THOTH_HOME=/` (as `THOTH_HOME="$DIR/"` gives with an empty `$DIR`), or a
 * link to `/`, is refused as a profile (`io.profile_is_root`): the doctor's
 * profile check (and the health report's `profile`, which is that check)
 * says so with the set-up's hint alone, never a remedy that changes `/`
 * itself (`chmod 700 '/'`), and the policy and intent map checks (the health
 * report's `intent_map` too) are not run, so none of them tells root to
 * write `/intent_map.json`. Nothing here writes: the checks only read `/`.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { checkProfile } from "../../src/doctor/check_profile.ts";
import { checkPolicy } from "../../src/doctor/check_policy.ts";
import { readIntentMapReport } from "../../src/doctor/check_intent_map.ts";
import type { DoctorContext } from "../../src/doctor/doctor_context.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const POSIX = Deno.build.os !== "windows";

/** The doctor's context for the profile `home`, as `thoth doctor` makes it (set-up refused). */
async function refusedContext(home: string, uid: number): Promise<DoctorContext> {
  const refusal = await bootstrapProfile(home, Deno.build.os).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(isAppError(refusal, "io.profile_is_root"), String(refusal));
  return {
    ...testContext(home, { host: { uid: () => uid } }),
    profileSetupProblem: { message: refusal.message, hint: refusal.hints[0] ?? null },
  };
}

Deno.test({
  name: "a profile that is the root of the file system gets the set-up's hint alone, and what " +
    "would be in it is not checked (POSIX)",
  ignore: !POSIX,
  fn: () =>
    withTempDir(async (dir) => {
      const link = `${dir}/to-root`;
      await Deno.symlink("/", link);
      for (const home of ["/", "//", link]) {
        // Root, and a user who is not root: neither is told to change "/".
        for (const uid of [0, 65534]) {
          const context = await refusedContext(home, uid);
          const setup = context.profileSetupProblem!;
          const profile = await checkProfile(context);
          assert.equal(profile.status, "fail", `${home} as ${uid}`);
          assert.equal(profile.message, setup.message);
          assert.equal(profile.hint, setup.hint);
          assert.match(profile.hint ?? "", /set THOTH_HOME to a folder of its own/);

          const policy = await checkPolicy(context);
          const map = await readIntentMapReport(context);
          for (const check of [policy, map.check]) {
            assert.equal(check.status, "warn", check.message);
            assert.match(check.message, /^not checked: the profile is the root of the file system/);
            assert.equal(check.hint, 'fix the "profile" check first');
          }
          assert.equal(map.present, false);
          assert.equal(map.servers, null);
        }
      }
    }),
});

Deno.test({
  name: "a profile that is not the root keeps its own remedies (the check can fail)",
  ignore: !POSIX,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/profile`;
      await Deno.mkdir(home);
      await Deno.chmod(home, 0o755);
      const context = testContext(home);
      const profile = await checkProfile(context);
      assert.equal(profile.status, "fail", profile.message);
      assert.equal(profile.hint, `chmod 700 '${home}'`);
      const map = await readIntentMapReport(context);
      assert.equal(map.check.hint, `create it with: echo '{}' > '${home}/intent_map.json'`);
    }),
});
