/**
 * Root judging a user's profile for that user (a management tool running
 * `thoth doctor`, `thoth policy check`): the policy and intent map must be
 * the profile owner's or root's. Theirs, or root's, are used; one another
 * user wrote is refused (`policy.untrusted`, `intent_map.untrusted`) by the
 * doctor's checks, `thoth policy check`, and the readers `thoth run` uses,
 * in the same words, with a `chown` that hands it to the owner; a link the
 * user planted is not followed by root, and says nothing of where it leads.
 * Root's own `--policy FILE` another user owns is refused as
 * `THOTH_API_KEY_FILE` would be.
 *
 * The cases need files of other uids: they run as root, and are skipped
 * (ignored, with the reason in their name) otherwise.
 */
import assert from "node:assert/strict";
import { lchownSync } from "node:fs";
import { Command } from "@commander-js/extra-typings";
import { isAppError } from "../../src/errors.ts";
import { checkPolicy } from "../../src/doctor/check_policy.ts";
import { readIntentMapReport } from "../../src/doctor/check_intent_map.ts";
import { mappedIntent } from "../../src/cli/mapped_intent.ts";
import { loadPolicyText } from "../../src/cli/prepare_session.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { runProgram } from "../../src/cli/program.ts";
import { fakeCliIo } from "../cli/_fake_cli_io.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const ROOT = Deno.build.os !== "windows" && Deno.uid() === 0;
const NEEDS_ROOT = " (needs root to own files as another uid: skipped when not root)";
const USER = 1000;
const OTHER = 1001;
const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  intents: { wide: { tools: ["*"] } },
});

/** A 0700 profile of `USER` in `dir` (made 0755). */
async function usersProfile(dir: string): Promise<string> {
  await Deno.chmod(dir, 0o755);
  const home = `${dir}/home`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.chown(home, USER, USER);
  return home;
}

/** `thoth policy check` in-process, as root, over the profile `home`. */
async function policyCheck(home: string): Promise<{ code: number; err: string }> {
  const io = fakeCliIo(home);
  const program = new Command("thoth").addCommand(policyCommand(io));
  const code = await runProgram("thoth", program, ["policy", "check"], io);
  return { code, err: io.stderr };
}

Deno.test({
  name: "root uses a user's policy that the user or root owns, and refuses one another user " +
    "wrote, in doctor, policy check and thoth run's reader alike" + NEEDS_ROOT,
  ignore: !ROOT,
  fn: () =>
    withTempDir(async (dir) => {
      const home = await usersProfile(dir);
      const policy = `${home}/policy.jsonc`;
      await Deno.writeTextFile(policy, POLICY, { mode: 0o644 });
      const context = testContext(home, { host: { uid: () => 0 } });
      const io = fakeCliIo(home);
      for (const owner of [USER, 0]) {
        await Deno.chown(policy, owner, owner);
        assert.equal((await checkPolicy(context)).status, "pass");
        assert.equal((await loadPolicyText(io, undefined)).text, POLICY);
        assert.equal((await policyCheck(home)).code, 0);
      }
      await Deno.chown(policy, OTHER, OTHER);
      const check = await checkPolicy(context);
      assert.equal(check.status, "fail");
      assert.equal(
        check.message,
        `not using the policy "${policy}": it is owned by uid ${OTHER}, not the profile's ` +
          `owner (uid ${USER}) or root: another user wrote it, and decides what it says, so ` +
          "thoth cannot trust it",
      );
      assert.match(
        check.hint ?? "",
        new RegExp(`give it to its owner: chown ${USER} '${policy}'$`),
      );
      const error = await loadPolicyText(io, undefined).catch((e: unknown) => e);
      assert.ok(isAppError(error, "policy.untrusted"), String(error));
      assert.equal(error.message, check.message);
      assert.equal(error.hints[0], check.hint);
      const cli = await policyCheck(home);
      assert.equal(cli.code, 1);
      assert.ok(cli.err.includes(`thoth: error: ${check.message}\n`), cli.err);

      // The intent map: judged by the same rule.
      const map = `${home}/intent_map.json`;
      await Deno.writeTextFile(map, '{"s": "wide"}', { mode: 0o644 });
      await Deno.chown(policy, USER, USER);
      await Deno.chown(map, OTHER, OTHER);
      const report = await readIntentMapReport(context);
      assert.equal(report.check.status, "fail");
      const refused = await mappedIntent(home, "s").catch((e: unknown) => e);
      assert.ok(isAppError(refused, "intent_map.untrusted"), String(refused));
      assert.ok(report.check.message.startsWith(refused.message), report.check.message);
      await Deno.chown(map, USER, USER);
      assert.equal((await readIntentMapReport(context)).check.status, "pass");
      assert.equal((await mappedIntent(home, "s"))?.intent, "wide");
    }),
});

Deno.test({
  name: "root follows no link a user planted as the policy of their profile" + NEEDS_ROOT,
  ignore: !ROOT,
  fn: () =>
    withTempDir(async (dir) => {
      const home = await usersProfile(dir);
      const secrets = `${dir}/root-only`;
      await Deno.mkdir(secrets, { mode: 0o700 });
      await Deno.writeTextFile(`${secrets}/shadow`, "root:x:0:0\n", { mode: 0o600 });
      const policy = `${home}/policy.jsonc`;
      await Deno.symlink(`${secrets}/shadow`, policy);
      lchownSync(policy, USER, USER);
      const check = await checkPolicy(testContext(home, { host: { uid: () => 0 } }));
      assert.equal(check.status, "fail");
      assert.match(check.message, new RegExp(`reached through a link owned by uid ${USER}`));
      for (const word of ["root:x", "shadow", "line 1"]) {
        assert.ok(!check.message.includes(word), check.message);
      }
      const error = await loadPolicyText(fakeCliIo(home), undefined).catch((e: unknown) => e);
      assert.ok(isAppError(error, "policy.untrusted"), String(error));
      assert.equal(error.message, check.message);
    }),
});

Deno.test({
  name: "root's --policy FILE another user owns is refused, as THOTH_API_KEY_FILE is" +
    NEEDS_ROOT,
  ignore: !ROOT,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/root-profile`;
      await Deno.mkdir(home, { mode: 0o700 });
      const file = `${dir}/p.jsonc`;
      await Deno.writeTextFile(file, POLICY, { mode: 0o644 });
      const io = fakeCliIo(home);
      assert.equal((await loadPolicyText(io, file)).text, POLICY);
      await Deno.chown(file, OTHER, OTHER);
      const error = await loadPolicyText(io, file).catch((e: unknown) => e);
      assert.ok(isAppError(error, "policy.untrusted"), String(error));
      assert.equal(
        error.message,
        `not using the policy "${file}" (given with --policy): it is owned by uid ${OTHER}, ` +
          "not you (uid 0) or root: another user wrote it, and decides what it says, so thoth " +
          "cannot trust it",
      );
      assert.match(error.hints[0] ?? "", /^give --policy a file of you \(uid 0\) or root/);
    }),
});
