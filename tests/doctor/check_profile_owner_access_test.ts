/**
 * A profile folder its owner cannot list, enter or write, or a secret file
 * its owner cannot read or write, fails the profile check with the chmod
 * that gives access back: a mode that is too narrow breaks thoth as surely
 * as one too broad leaks.
 */
import assert from "node:assert/strict";
import { checkProfile } from "../../src/doctor/check_profile.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const POSIX = Deno.build.os !== "windows";

async function privateProfile(home: string): Promise<void> {
  await Deno.chmod(home, 0o700);
  for (const dir of ["sessions", "audit", "approvals", "state", "keys"]) {
    await Deno.mkdir(`${home}/${dir}`, { mode: 0o700 });
  }
  await Deno.writeTextFile(`${home}/keys/audit-signing-keys.json`, "[]\n", { mode: 0o600 });
}

Deno.test({
  name: "checkProfile() passes a profile of 0700 folders and 0600 files",
  ignore: !POSIX,
  fn: () =>
    withTempDir(async (home) => {
      await privateProfile(home);
      const check = await checkProfile(testContext(home));
      assert.equal(check.status, "pass", check.message);
    }),
});

Deno.test({
  name: "checkProfile() fails a keys file its owner cannot read or write, with chmod 600",
  ignore: !POSIX,
  fn: () =>
    withTempDir(async (home) => {
      await privateProfile(home);
      const file = `${home}/keys/audit-signing-keys.json`;
      for (const mode of [0o000, 0o400, 0o200]) {
        await Deno.chmod(file, mode);
        const check = await checkProfile(testContext(home));
        assert.equal(check.status, "fail", `mode ${mode.toString(8)}`);
        assert.match(
          check.message,
          new RegExp(
            `"${file}" is 0${mode.toString(8).padStart(3, "0")}; it must be 0600: ` +
              "its owner cannot read or write it",
          ),
        );
        assert.equal(check.hint, `chmod 600 '${file}'`);
      }
    }),
});

Deno.test({
  name:
    "checkProfile() fails a profile folder its owner cannot list, enter or write, with chmod 700",
  ignore: !POSIX,
  fn: () =>
    withTempDir(async (home) => {
      await privateProfile(home);
      for (const mode of [0o000, 0o500, 0o600]) {
        await Deno.chmod(`${home}/keys`, mode);
        const check = await checkProfile(testContext(home));
        assert.equal(check.status, "fail", `mode ${mode.toString(8)}`);
        assert.match(
          check.message,
          new RegExp(
            `"${home}/keys" is 0${mode.toString(8).padStart(3, "0")}; it must be 0700: ` +
              "its owner cannot list, enter or write it",
          ),
        );
        assert.match(check.hint ?? "", new RegExp(`^chmod 700 '${home}/keys'`));
      }
      await Deno.chmod(`${home}/keys`, 0o700);
    }),
});
