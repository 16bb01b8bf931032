/**
 * Doctor's `approval_channels` names the `thoth approvals` command that works
 * for how this thoth was started: thoth from source has no `thoth` on `PATH`,
 * so its checkout's `deno task` is named; a compiled thoth by its path; a
 * profile other than the default with its `THOTH_HOME`.
 */
import assert from "node:assert/strict";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { checkApprovalChannels } from "../../src/doctor/check_approval_channels.ts";
import { asBuiltSandbox, testContext, withTempDir } from "./_helpers.ts";

const FROM_SOURCE = [
  "/usr/bin/deno",
  "run",
  "-P=thoth",
  "--config=/src/thoth/deno.json",
  "/src/thoth/src/cli/thoth.ts",
];

async function channels(launch: readonly string[], os: string, inDefault: boolean) {
  return await withTempDir(async (dir) => {
    const thothHome = `${dir}/.thoth`;
    await bootstrapProfile(thothHome, Deno.build.os);
    const home = inDefault ? dir : `${dir}/elsewhere`;
    const env = {
      PATH: "/usr/bin",
      DISPLAY: "",
      [os === "windows" ? "USERPROFILE" : "HOME"]: home,
    };
    const context = testContext(thothHome, {
      env,
      os,
      host: { sandbox: { ...asBuiltSandbox, launch } },
    });
    return { check: await checkApprovalChannels(context), thothHome };
  });
}

Deno.test("approval_channels names the checkout's deno task for thoth from source", async () => {
  const { check } = await channels(FROM_SOURCE, "linux", true);
  assert.equal(check.status, "warn");
  const command = "deno task --config /src/thoth/deno.json thoth approvals";
  assert.ok(check.message.includes(`terminal (${command})`), check.message);
  assert.ok(check.hint?.endsWith(`approve with "${command}"`), check.hint ?? "");
  const mac = (await channels(FROM_SOURCE, "darwin", true)).check;
  assert.equal(mac.hint, `approve from a terminal with "${command}"`);
});

Deno.test("approval_channels names a compiled thoth by its path, plain thoth otherwise", async () => {
  const compiled = (await channels(["/opt/thoth/bin/thoth"], "linux", true)).check;
  assert.ok(compiled.hint?.endsWith('approve with "/opt/thoth/bin/thoth approvals"'));
  const plain = (await channels(["thoth"], "linux", true)).check;
  assert.ok(plain.hint?.endsWith('approve with "thoth approvals"'), plain.hint ?? "");
});

Deno.test("approval_channels names a profile other than the default with its THOTH_HOME", async () => {
  const { check, thothHome } = await channels(["thoth"], "linux", false);
  assert.ok(
    check.hint?.endsWith(`approve with "THOTH_HOME='${thothHome}' thoth approvals"`),
    check.hint ?? "",
  );
});
