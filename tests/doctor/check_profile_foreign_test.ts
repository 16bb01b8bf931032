/**
 * A profile folder another user owns: a user who is not root cannot chown it,
 * and taking it over would adopt what its owner put in it, so the doctor's
 * hint says to choose another THOTH_HOME. Root (a management tool) may still
 * be told to chown a folder back to the profile's owner.
 */
import assert from "node:assert/strict";
import { checkProfile } from "../../src/doctor/check_profile.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const POSIX = Deno.build.os !== "windows";

Deno.test({
  name: "checkProfile() tells a user whose profile another user owns to choose another THOTH_HOME",
  ignore: !POSIX,
  fn: () =>
    withTempDir(async (home) => {
      await Deno.chmod(home, 0o700);
      const owner = (await Deno.stat(home)).uid;
      // Seen by a user other than the folder's owner, who is not root.
      const self = owner === 4242 ? 4243 : 4242;
      const check = await checkProfile(testContext(home, { host: { uid: () => self } }));
      assert.equal(check.status, "fail");
      assert.match(check.message, new RegExp(`"${home}" is owned by uid ${owner}, not you`));
      assert.match(check.hint ?? "", /^set THOTH_HOME to a folder of your own/);
      assert.match(check.hint ?? "", /do not chown this profile/);
      assert.doesNotMatch(check.hint ?? "", /\bchown \d/);
    }),
});

Deno.test({
  name: "checkProfile() run as root still gives the chown of a folder back to the profile's owner",
  ignore: !POSIX || Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (home) => {
      await Deno.chmod(home, 0o700);
      await Deno.mkdir(`${home}/sessions`, { mode: 0o700 });
      await Deno.chown(`${home}/sessions`, 4242, 4242);
      const check = await checkProfile(testContext(home, { host: { uid: () => 0 } }));
      assert.equal(check.status, "fail");
      assert.match(check.hint ?? "", new RegExp(`chown 0 '${home}/sessions'`));
    }),
});
