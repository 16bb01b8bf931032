/**
 * Run as root (a management tool's script) on another user's config,
 * `wrap-config` judges what `thoth run` would refuse by the config owner's
 * profile; it says so in one line on stderr, naming that profile and the
 * one it did not use, and `--json` gives it as `profile` (the shape of
 * `status --json`'s). Nothing is said when the profile judged is this
 * user's own or the one THOTH_HOME names. Only as root, where a file can be
 * given another owner.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

const AS_ROOT = Deno.build.os !== "windows" && Deno.uid() === 0;
const OWNER = 4242;

const PLAIN = JSON.stringify({ mcpServers: { clock: { command: "/usr/bin/mcp-clock" } } });

/** `<dir>/ana`, the owner's home (as the password file says), with a profile and the config. */
async function ownersConfig(
  dir: string,
): Promise<{ home: string; config: string; passwd: string }> {
  const home = `${dir}/ana`;
  await Deno.mkdir(`${home}/.thoth`, { recursive: true, mode: 0o700 });
  const config = `${home}/c.json`;
  await Deno.writeTextFile(config, PLAIN);
  for (const path of [home, `${home}/.thoth`, config]) await Deno.chown(path, OWNER, OWNER);
  await Deno.chmod(home, 0o755);
  await Deno.chmod(`${home}/.thoth`, 0o700);
  return { home, config, passwd: `ana:x:${OWNER}:${OWNER}::${home}:/bin/sh\n` };
}

Deno.test({
  name: "wrap-config as root on another user's config names the owner's profile it judged by",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const { home, config, passwd } = await ownersConfig(dir);
      const deps = { readPasswd: () => passwd };
      const run = await thoth(["wrap-config", "--dry-run", config], { cwd: dir, deps });
      assert.equal(run.code, 0, run.err);
      const lines = run.err.split("\n").filter((line) => line.includes("judged by"));
      assert.deepEqual(lines, [
        `thoth: note: servers judged by the profile of uid ${OWNER}, who owns "${config}": ` +
        `"${home}/.thoth" (the policy and intent map its thoth run reads), not by this ` +
        `user's ("${dir}/home/.thoth")`,
      ]);
      const json = await thoth(["wrap-config", "--json", "--dry-run", config], { cwd: dir, deps });
      assert.equal(json.code, 0, json.err);
      assert.deepEqual(JSON.parse(json.out).profile, {
        path: `${home}/.thoth`,
        source: "owner",
        ownerUid: OWNER,
        config,
        notRead: [],
      });
      // With --json the line is on stderr, with the other human lines.
      assert.match(json.err, /^thoth: note: servers judged by the profile of uid 4242/m);
    }),
});

Deno.test({
  name: "wrap-config as root says, as a warning, what of the owner's profile it did not read",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const { home, config, passwd } = await ownersConfig(dir);
      await Deno.chmod(`${home}/.thoth`, 0o777);
      const deps = { readPasswd: () => passwd };
      const run = await thoth(["wrap-config", "--json", "--dry-run", config], { cwd: dir, deps });
      assert.match(
        run.err,
        new RegExp(
          `^thoth: warning: servers judged by the profile of uid ${OWNER}, .*; not read: the ` +
            `profile "${home}/.thoth" was not read: it is 0777`,
          "m",
        ),
      );
      const profile = JSON.parse(run.out).profile;
      assert.equal(profile.source, "owner");
      assert.equal(profile.notRead.length, 1);
    }),
});

Deno.test({
  name:
    "wrap-config on this user's own config, or with THOTH_HOME set, adds no line; --json says which",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const config = `${dir}/c.json`;
      await Deno.writeTextFile(config, PLAIN);
      const own = await thoth(["wrap-config", "--json", "--dry-run", config], { cwd: dir });
      assert.equal(own.code, 0, own.err);
      assert.doesNotMatch(own.err, /judged by/);
      assert.deepEqual(JSON.parse(own.out).profile, {
        path: `${dir}/home/.thoth`,
        source: "self",
        ownerUid: null,
        config: null,
        notRead: [],
      });

      const { config: owners, passwd } = await ownersConfig(dir);
      // The profile THOTH_HOME names (the in-process io's) is written into the entries too, as a
      // fleet's must be: else the owner's client would not pass it, and wrap-config warns.
      const fleet = `${dir}/home/.thoth`;
      const chosen = await thoth(
        ["wrap-config", "--json", "--dry-run", "--env", `THOTH_HOME=${fleet}`, owners],
        { cwd: dir, env: { THOTH_HOME: fleet }, deps: { readPasswd: () => passwd } },
      );
      assert.equal(chosen.code, 0, chosen.err);
      assert.doesNotMatch(chosen.err, /judged by/);
      assert.equal(JSON.parse(chosen.out).profile.source, "THOTH_HOME");
    }),
});
