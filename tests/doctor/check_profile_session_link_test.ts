/**
 * A session folder of the profile (audit/, approvals/, state/) that is a
 * symbolic link fails the profile check, and the message says what that
 * means: the proxy core's sandbox is granted the folder by its real path, so
 * a `thoth run` session's core would reach where the link leads.
 * Another link (keys/) is not a session folder: it is said to be a link, no more.
 */
import assert from "node:assert/strict";
import { checkProfile } from "../../src/doctor/check_profile.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const posix = Deno.build.os !== "windows";

for (const folder of ["audit", "approvals", "state"]) {
  Deno.test({
    name: `checkProfile() says the sandbox follows a linked ${folder}/ to its target`,
    ignore: !posix,
    fn: () =>
      withTempDir(async (dir) => {
        const home = `${dir}/.thoth`;
        await bootstrapProfile(home, Deno.build.os);
        const elsewhere = `${dir}/elsewhere`;
        await Deno.mkdir(elsewhere, { mode: 0o700 });
        await Deno.remove(`${home}/${folder}`, { recursive: true }).catch(() => {});
        await Deno.symlink(elsewhere, `${home}/${folder}`);
        // keys/ is no session folder: its link is only said to be one.
        await Deno.mkdir(`${dir}/keys-elsewhere`, { mode: 0o700 });
        await Deno.remove(`${home}/keys`, { recursive: true }).catch(() => {});
        await Deno.symlink(`${dir}/keys-elsewhere`, `${home}/keys`);
        const check = await checkProfile(testContext(home));
        assert.equal(check.status, "fail");
        const target = await Deno.realPath(elsewhere);
        assert.ok(
          check.message.includes(
            `"${home}/${folder}" is a symbolic link (to "${target}"): the proxy core's sandbox ` +
              "follows it, so a thoth run session's core would reach the folder it leads to",
          ),
          check.message,
        );
        assert.match(check.message, /"[^"]+\/keys" is a symbolic link(;|$)/);
      }),
  });
}
