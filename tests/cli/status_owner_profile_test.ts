/**
 * Run as root (a management tool's script) on another user's config, `thoth
 * status` and `wrap-config` judge what `thoth run` would refuse by the
 * profile of the config's owner (`~/.thoth` in the home the password file
 * gives the owner), not root's, and say which profile they judged. Root reads
 * the owner's profile only as far as it may trust it as the owner's own: a
 * profile others may change, or a link in it, is not read, and `--check`
 * fails saying so. A THOTH_HOME set for the command is the profile judged.
 * Only as root, where a file can be given another owner.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const AS_ROOT = Deno.build.os !== "windows" && Deno.uid() === 0;
const OWNER = 4242;

const WRAPPED = JSON.stringify({
  mcpServers: {
    everything: {
      command: THOTH,
      args: ["run", "--agent-id", "everything", "--enforcement-mode", "block", "--", "npx", "x"],
    },
  },
});

/**
 * `<dir>/ana` (the owner's home, as the password file given to thoth says),
 * with `ana/.thoth/intent_map.json` mapping the server to an intent the
 * policy lacks, and the config `ana/c.json` holding `text`: all the owner's.
 */
async function ownersConfig(dir: string, text: string): Promise<{
  home: string;
  config: string;
  passwd: string;
}> {
  const home = `${dir}/ana`;
  await Deno.mkdir(`${home}/.thoth`, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(`${home}/.thoth/intent_map.json`, '{"everything": "nope"}');
  const config = `${home}/c.json`;
  await Deno.writeTextFile(config, text);
  for (const path of [home, `${home}/.thoth`, `${home}/.thoth/intent_map.json`, config]) {
    await Deno.chown(path, OWNER, OWNER);
  }
  await Deno.chmod(home, 0o755);
  await Deno.chmod(`${home}/.thoth`, 0o700);
  return { home, config, passwd: `ana:x:${OWNER}:${OWNER}::${home}:/bin/sh\n` };
}

Deno.test({
  name: "thoth status --check as root judges the config owner's profile and names it",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const { home, config, passwd } = await ownersConfig(dir, WRAPPED);
      const deps = { readPasswd: () => passwd };
      const check = await thoth(["status", "--check", "--config", config], { cwd: dir, deps });
      assert.equal(check.code, 1, check.out + check.err);
      assert.match(check.out, /intent "nope" is not in the policy/);
      assert.ok(
        check.out.includes(
          `Profile judged (policy and intent map thoth run reads): "${home}/.thoth" (the ` +
            `profile of uid ${OWNER}, who owns "${config}")`,
        ),
        check.out,
      );
      const json = await thoth(["status", "--json", "--config", config], { cwd: dir, deps });
      assert.deepEqual(JSON.parse(json.out).profile, {
        path: `${home}/.thoth`,
        source: "owner",
        ownerUid: OWNER,
        config,
        notRead: [],
      });
    }),
});

Deno.test({
  name: "thoth wrap-config as root judges the config owner's profile",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const plain = JSON.stringify({ mcpServers: { everything: { command: "npx", args: ["x"] } } });
      const { config, passwd } = await ownersConfig(dir, plain);
      const wrap = await thoth(["wrap-config", "--dry-run", config], {
        cwd: dir,
        deps: { readPasswd: () => passwd },
      });
      assert.equal(wrap.code, 1, wrap.out + wrap.err);
      assert.match(wrap.err, /"everything" will not start: intent "nope" is not in the policy/);
    }),
});

Deno.test({
  name:
    "thoth status as root does not read an owner's profile that others may change, and --check fails",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const { home, config, passwd } = await ownersConfig(dir, WRAPPED);
      await Deno.chmod(`${home}/.thoth`, 0o777);
      const deps = { readPasswd: () => passwd };
      const check = await thoth(["status", "--check", "--config", config], { cwd: dir, deps });
      assert.equal(check.code, 1, check.out + check.err);
      assert.match(
        check.err,
        new RegExp(
          `error: what thoth run would refuse to start with is not known for these servers: ` +
            `the profile "${home}/.thoth" was not read: it is 0777`,
        ),
      );
      assert.match(check.err, new RegExp(`sudo -u '#${OWNER}'`));
      // Nothing of it was read: the mapped intent is not shown.
      assert.doesNotMatch(check.out, /nope/);
    }),
});

Deno.test({
  name: "thoth status as root follows no link in the owner's profile",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const { home, config, passwd } = await ownersConfig(dir, WRAPPED);
      // A file of root's, which the owner may not read, led to from the owner's profile.
      const secret = `${dir}/root_only.json`;
      await Deno.writeTextFile(secret, '{"everything": "calendar_management"}');
      await Deno.remove(`${home}/.thoth/intent_map.json`);
      await Deno.symlink(secret, `${home}/.thoth/intent_map.json`);
      const check = await thoth(["status", "--check", "--config", config], {
        cwd: dir,
        deps: { readPasswd: () => passwd },
      });
      assert.equal(check.code, 1, check.out + check.err);
      assert.match(check.err, /intent_map\.json" was not read: .* is a symbolic link/);
      assert.doesNotMatch(check.out, /calendar_management/);
    }),
});

Deno.test({
  name: "thoth status as root with THOTH_HOME set judges that profile, and says so",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const { config, passwd } = await ownersConfig(dir, WRAPPED);
      const chosen = `${dir}/fleet`;
      const run = await thoth(["status", "--check", "--config", config], {
        cwd: dir,
        env: { THOTH_HOME: chosen },
        deps: { readPasswd: () => passwd },
      });
      // The test's CliIo keeps its own profile folder; the one named by THOTH_HOME is said.
      assert.match(
        run.out,
        /Profile judged \(policy and intent map thoth run reads\): ".*" \(THOTH_HOME\)/,
      );
      assert.doesNotMatch(run.out, /nope/);
    }),
});

Deno.test({
  name:
    "thoth status as root takes the HOME it was given when the password file does not list the owner",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      // As on macOS, whose password file lists no people: HOME is the owner's home.
      const home = `${dir}/home`;
      await Deno.mkdir(`${home}/.thoth`, { recursive: true });
      await Deno.writeTextFile(`${home}/.thoth/intent_map.json`, '{"everything": "nope"}');
      const config = `${home}/c.json`;
      await Deno.writeTextFile(config, WRAPPED);
      for (const path of [home, `${home}/.thoth`, `${home}/.thoth/intent_map.json`, config]) {
        await Deno.chown(path, OWNER, OWNER);
      }
      await Deno.chmod(home, 0o755);
      await Deno.chmod(`${home}/.thoth`, 0o700);
      const check = await thoth(["status", "--check", "--config", config], {
        cwd: dir,
        deps: { readPasswd: () => "root:x:0:0:root:/root:/bin/sh\n" },
      });
      assert.equal(check.code, 1, check.out + check.err);
      assert.match(check.out, /intent "nope" is not in the policy/);
      assert.ok(check.out.includes(`"${home}/.thoth" (the profile of uid ${OWNER}`), check.out);
    }),
});
