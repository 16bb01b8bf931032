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
      // Another user who is not root (root's folder is a profile managed by root).
      if (Deno.uid() === 0) await Deno.chown(home, 4444, 4444);
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

Deno.test({
  name:
    "checkProfile() run as root on a user's profile never tells root to copy what a link there leads to",
  ignore: !POSIX || Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (home) => {
      await Deno.chmod(home, 0o700);
      await Deno.chown(home, 4242, 4242);
      // A root-only file the user points a link at: root's copy would hand it to the user.
      const secret = await Deno.makeTempFile({ prefix: "thoth-root-only-" });
      try {
        await Deno.chmod(secret, 0o600);
        await Deno.symlink(secret, `${home}/proxy_api_key.json`);
        await Deno.mkdir(`${home}/target-folder`, { mode: 0o700 });
        await Deno.chown(`${home}/target-folder`, 4242, 4242);
        await Deno.symlink(`${home}/target-folder`, `${home}/sessions`);
        const check = await checkProfile(testContext(home, { host: { uid: () => 0 } }));
        assert.equal(check.status, "fail");
        const hint = check.hint ?? "";
        assert.match(check.message, /proxy_api_key\.json" is a symbolic link/);
        assert.doesNotMatch(hint, /\bcp\b/, hint);
        assert.match(hint, new RegExp(`rm '${home}/proxy_api_key\\.json'`), hint);
        assert.match(hint, new RegExp(`rm '${home}/sessions'`), hint);
      } finally {
        await Deno.remove(secret);
      }
    }),
});

Deno.test({
  name: "checkProfile() tells a user to replace their own linked file with a copy of it",
  ignore: !POSIX,
  fn: () =>
    withTempDir(async (home) => {
      await Deno.chmod(home, 0o700);
      const self = (await Deno.stat(home)).uid ?? 0;
      await Deno.writeTextFile(`${home}/elsewhere.json`, "{}");
      await Deno.symlink(`${home}/elsewhere.json`, `${home}/proxy_api_key.json`);
      const check = await checkProfile(testContext(home, { host: { uid: () => self } }));
      assert.equal(check.status, "fail");
      assert.match(check.hint ?? "", /cp -L '[^']*proxy_api_key\.json'/);
    }),
});
