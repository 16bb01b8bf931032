/**
 * Run as root on another user's config, `unwrap-config` takes an `--api-key`
 * out of an entry's thoth args as `wrap-config` does, and the key belongs in
 * the config owner's profile, whose `thoth run` would read it: its hints
 * name `proxy_api_key.json` there and say to run `thoth set-api-key` as the
 * owner, never root's profile (nor root's `THOTH_API_KEY_FILE`). Only as
 * root, where a file can be given another owner.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const AS_ROOT = Deno.build.os !== "windows" && Deno.uid() === 0;
const OWNER = 4242;
const KEY = "aten_thoth_agent_prod_unwrap_owner_9";

const WITH_KEY = JSON.stringify({
  mcpServers: {
    db: {
      command: THOTH,
      args: ["run", "--agent-id", "db", "--api-key", KEY, "--", "/usr/bin/mcp-clock"],
    },
  },
});

Deno.test({
  name: "unwrap-config as root names the owner's key file, and the owner, in its key hints",
  ignore: !AS_ROOT,
  fn: () =>
    inTempDir(async (dir) => {
      const home = `${dir}/ana`;
      await Deno.mkdir(`${home}/.thoth`, { recursive: true });
      const config = `${home}/c.json`;
      await Deno.writeTextFile(config, WITH_KEY);
      for (const path of [home, `${home}/.thoth`, config]) await Deno.chown(path, OWNER, OWNER);
      await Deno.chmod(home, 0o755);
      await Deno.chmod(`${home}/.thoth`, 0o700);
      const passwd = `ana:x:${OWNER}:${OWNER}::${home}:/bin/sh\n`;
      const run = await thoth(["unwrap-config", config], {
        cwd: dir,
        // Root's own key file: not where the owner's thoth run reads the key.
        env: { THOTH_API_KEY_FILE: `${dir}/root-key.json` },
        deps: { readPasswd: () => passwd },
      });
      assert.equal(run.code, 0, run.err);
      assert.ok(!(await Deno.readTextFile(config)).includes(KEY));
      const keyFile = `${home}/.thoth/proxy_api_key.json`;
      const owner = `uid ${OWNER}, who owns "${config}"`;
      assert.ok(
        run.out.includes(
          "removed --api-key with the thoth args; the key was not saved anywhere: save it with " +
            `"thoth set-api-key --api-key -" run as ${owner} (it saves it to "${keyFile}")`,
        ),
        run.out,
      );
      assert.ok(
        run.err.includes(
          `thoth: hint: save it with "thoth set-api-key --api-key -" run as ${owner} (it goes ` +
            `to "${keyFile}"), then remove it from that file\n`,
        ),
        run.err,
      );
      for (const rootsOwn of [`${dir}/root-key.json`, `${dir}/home/.thoth`]) {
        assert.ok(!(run.out + run.err).includes(rootsOwn), `${rootsOwn} is root's`);
      }
    }),
});

Deno.test("unwrap-config names this user's key file when the config is this user's own", () =>
  inTempDir(async (dir) => {
    const config = `${dir}/c.json`;
    await Deno.writeTextFile(config, WITH_KEY);
    const run = await thoth(["unwrap-config", config], {
      cwd: dir,
      env: { THOTH_API_KEY_FILE: `${dir}/my-key.json` },
    });
    assert.equal(run.code, 0, run.err);
    assert.ok(
      run.out.includes(
        'save it with "thoth set-api-key --api-key -" (it saves it to ' +
          `"${dir}/my-key.json")`,
      ),
      run.out,
    );
    assert.ok(!run.out.includes("run as"), run.out);
  }));
