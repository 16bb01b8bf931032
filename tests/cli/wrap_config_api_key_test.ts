/**
 * An `--api-key` in a wrapped entry's args is taken out by `wrap-config`, but
 * the key is saved nowhere: it says so, names where `thoth set-api-key` saves
 * it in this profile (THOTH_HOME, not ~/.thoth), and says the backup still
 * holds it; that backup is readable by its owner only.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const KEY = "aten_thoth_agent_prod_secret_value";
const CONFIG = JSON.stringify({
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
  name:
    "thoth wrap-config takes an --api-key out of args, says where to save it, and keeps the backup private",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      await Deno.writeTextFile(path, CONFIG);
      await Deno.chmod(path, 0o644);
      const run = await thoth(["wrap-config", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      assert.ok(!(await Deno.readTextFile(path)).includes(KEY));
      assert.ok(!run.out.includes(KEY) && !run.err.includes(KEY));
      // The profile named is the one this thoth uses (THOTH_HOME), not ~/.thoth.
      const keyFile = `${dir}/home/.thoth/proxy_api_key.json`;
      assert.match(
        run.out,
        new RegExp(
          `removed --api-key from args; the key was not saved anywhere: save it with "thoth set-api-key --api-key -" \\(it saves it to "${keyFile}"\\)`,
        ),
      );
      assert.doesNotMatch(run.out + run.err, /~\/\.thoth/);
      const backup = `${path}.thoth-backup`;
      assert.ok((await Deno.readTextFile(backup)).includes(KEY));
      assert.equal((await Deno.stat(backup)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o644, "the config keeps its mode");
      assert.match(
        run.err,
        new RegExp(
          `^thoth: warning: the API key taken out of the args of "db" was not saved anywhere, and is still in plain text in the backup "${backup}" \\(mode 0600, readable by its owner only\\)$`,
          "m",
        ),
      );
      assert.match(
        run.err,
        new RegExp(
          `^thoth: hint: save it with "thoth set-api-key --api-key -" \\(it goes to "${keyFile}"\\), then remove it from that file$`,
          "m",
        ),
      );
    }),
});

Deno.test({
  name: "thoth wrap-config run as root keeps the owner of the private backup",
  ignore: Deno.build.os === "windows" || Deno.uid() !== 0,
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      await Deno.writeTextFile(path, CONFIG);
      await Deno.chmod(path, 0o644);
      await Deno.chown(path, 65534, 65534);
      const run = await thoth(["wrap-config", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      const info = await Deno.stat(`${path}.thoth-backup`);
      assert.deepEqual([info.mode! & 0o777, info.uid, info.gid], [0o600, 65534, 65534]);
    }),
});

Deno.test({
  name: "thoth wrap-config --output says the input still holds the key taken out",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      await Deno.writeTextFile(path, CONFIG);
      const run = await thoth(["wrap-config", "--output", `${dir}/out.json`, path], {
        cwd: dir,
        env: { THOTH_API_KEY_FILE: "/etc/thoth/key.json" },
      });
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /\(it saves it to "\/etc\/thoth\/key\.json"\)/);
      assert.match(run.err, new RegExp(`still in plain text in the input "${path}"`));
    }),
});
