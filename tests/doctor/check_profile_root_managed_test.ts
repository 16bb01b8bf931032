/**
 * The doctor's `profile` check judges a profile folder root owns for a user
 * who is not root (a fleet's `THOTH_HOME=/var/lib/thoth`, 0755, the folders
 * thoth writes made for the user, 0700) as `thoth run` reads it: managed by
 * root, so it passes, with a note that says so. The same folder writable by
 * its group, one the user cannot enter, or one owned by another user who
 * is not root, still fails. The user's own key file there (0600) passes.
 *
 * Chowning needs root: skipped (ignored, the reason in the name) otherwise.
 */
import assert from "node:assert/strict";
import { checkProfile } from "../../src/doctor/check_profile.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const NEEDS = " (needs root to chown: skipped otherwise)";
const CAN = Deno.build.os !== "windows" && Deno.uid() === 0;
/** The user the profile is for, and another user. */
const USER = 4242;
const OTHER = 4444;

/** `home` as a managed profile of `owner` (mode `mode`), its folders `USER`'s, 0700. */
async function managed(home: string, owner: number, mode: number): Promise<void> {
  await Deno.chown(home, owner, owner);
  await Deno.chmod(home, mode);
  for (const name of ["audit", "sessions", "approvals", "state", "keys"]) {
    await Deno.mkdir(`${home}/${name}`);
    await Deno.chown(`${home}/${name}`, USER, USER);
    await Deno.chmod(`${home}/${name}`, 0o700);
  }
}

Deno.test({
  name: "checkProfile() passes a profile folder root owns, 0755, as managed by root" + NEEDS,
  ignore: !CAN,
  fn: () =>
    withTempDir(async (home) => {
      await managed(home, 0, 0o755);
      await Deno.writeTextFile(`${home}/proxy_api_key.json`, '{"api_key": "x"}');
      await Deno.chown(`${home}/proxy_api_key.json`, USER, USER);
      await Deno.chmod(`${home}/proxy_api_key.json`, 0o600);
      const check = await checkProfile(testContext(home, { host: { uid: () => USER } }));
      assert.equal(check.status, "pass", check.message);
      assert.equal(
        check.message,
        `profile "${home}" is managed by root (root's folder, 0755, writable by root alone); ` +
          "the folders and secrets in it are private (0700/0600)",
      );
    }),
});

Deno.test({
  name: "checkProfile() fails a profile folder root owns that its group may write to, and one " +
    "another user owns" + NEEDS,
  ignore: !CAN,
  fn: async () => {
    await withTempDir(async (home) => {
      await managed(home, 0, 0o775);
      const check = await checkProfile(testContext(home, { host: { uid: () => USER } }));
      assert.equal(check.status, "fail");
      assert.match(
        check.message,
        new RegExp(`"${home}" is root's and 0775: any member of its group can put a file`),
      );
      assert.equal(check.hint, `chmod go-w '${home}'`);
    });
    await withTempDir(async (home) => {
      await managed(home, OTHER, 0o755);
      const check = await checkProfile(testContext(home, { host: { uid: () => USER } }));
      assert.equal(check.status, "fail");
      assert.match(check.message, new RegExp(`"${home}" is owned by uid ${OTHER}, not you`));
      assert.match(check.hint ?? "", /^set THOTH_HOME to a folder of your own/);
    });
    // Root's folder the user cannot enter: thoth could read nothing in it.
    await withTempDir(async (home) => {
      await managed(home, 0, 0o700);
      const check = await checkProfile(testContext(home, { host: { uid: () => USER } }));
      assert.equal(check.status, "fail");
      assert.match(
        check.message,
        new RegExp(`"${home}" is root's and 0700: you \\(uid ${USER}\\) cannot enter it`),
      );
      assert.equal(check.hint, `chmod 755 '${home}'`);
    });
    // The folders thoth writes in must still be the user's: root's sessions folder is not.
    await withTempDir(async (home) => {
      await managed(home, 0, 0o755);
      await Deno.chown(`${home}/sessions`, 0, 0);
      const check = await checkProfile(testContext(home, { host: { uid: () => USER } }));
      assert.equal(check.status, "fail");
      assert.match(check.message, new RegExp(`"${home}/sessions" is owned by uid 0, not you`));
    });
  },
});
