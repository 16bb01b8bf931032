/**
 * Run as root on another user's config, `wrap-config` judges the servers by
 * the owner's profile; the API key it takes out of an entry's args belongs
 * there too. So its hints name `proxy_api_key.json` in the owner's profile
 * and say to run `thoth set-api-key` as the owner, not root's profile (nor
 * root's `THOTH_API_KEY_FILE`). Only as root, where a file can be given
 * another owner.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const AS_ROOT = Deno.build.os !== "windows" && Deno.uid() === 0;
const OWNER = 4242;
const KEY = "aten_thoth_agent_prod_secret_value";

const WITH_KEY = JSON.stringify({
  mcpServers: {
    db: {
      command: THOTH,
      args: [
        "run",
        "--agent-id",
        "db",
        "--enforcement-mode",
        "block",
        "--api-key",
        KEY,
        "--",
        "/usr/bin/mcp-clock",
      ],
    },
  },
});

Deno.test({
  name: "wrap-config as root names the owner's key file, and the owner, in its key hints",
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
      const run = await thoth(["wrap-config", "--api-key", "ignored", config], {
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
          'removed --api-key from args; the key was not saved anywhere: save it with "thoth ' +
            `set-api-key --api-key -" run as ${owner} (it saves it to "${keyFile}")`,
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
      assert.ok(
        run.err.includes(
          "thoth: note: the key given to --api-key was not saved anywhere: it is not written " +
            `into the config (credentials stay under the thoth profile of ${owner} ` +
            `("${home}/.thoth"), never in a client's args)\n` +
            `thoth: hint: save it with "thoth set-api-key --api-key -" run as ${owner} (it goes ` +
            `to "${keyFile}"), which reads it from standard input\n`,
        ),
        run.err,
      );
      // Root's profile is named once: as the one the servers were not judged by.
      const said = (run.out + run.err).split("\n").filter((line) => !line.includes("judged by"));
      for (const rootsOwn of [`${dir}/root-key.json`, `${dir}/home/.thoth`]) {
        assert.ok(!said.some((line) => line.includes(rootsOwn)), `${rootsOwn} is root's`);
      }
    }),
});
