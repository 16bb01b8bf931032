/**
 * An `--api-key` added by hand to an entry after the first wrap (so the
 * backup kept from that run does not hold it) is not lost when wrap-config
 * takes it out: the input is copied to a new 0600 backup beside the first,
 * which is left as it was, and the warning names exactly that file.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const KEY = "aten_thoth_agent_prod_added_by_hand_value";

function config(key: boolean): string {
  return JSON.stringify({
    mcpServers: {
      db: {
        command: THOTH,
        args: [
          "run",
          "--agent-id",
          "db",
          "--enforcement-mode",
          "block",
          ...(key ? ["--api-key", KEY] : []),
          "--",
          "/usr/bin/mcp-clock",
        ],
      },
    },
  });
}

Deno.test({
  name: "thoth wrap-config keeps a key added after the first backup in a new backup, and says so",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      const backup = `${path}.thoth-backup`;
      await Deno.writeTextFile(path, JSON.stringify({ mcpServers: {} }));
      // A backup holds a config (one that does not parse would be replaced).
      await Deno.writeTextFile(backup, '{"first": "backup"}\n');
      await Deno.chmod(path, 0o644);
      await Deno.writeTextFile(path, config(true));
      const run = await thoth(["wrap-config", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      assert.ok(!(await Deno.readTextFile(path)).includes(KEY));
      assert.equal(
        await Deno.readTextFile(backup),
        '{"first": "backup"}\n',
        "the first backup is kept",
      );
      const copy = `${backup}.2`;
      assert.equal(await Deno.readTextFile(copy), config(true));
      assert.equal((await Deno.stat(copy)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(copy)).uid, (await Deno.stat(path)).uid);
      assert.match(
        run.err,
        new RegExp(
          `^thoth: warning: the API key taken out of the args of "db" was not saved anywhere, ` +
            `and is still in plain text in the new backup "${copy}" \\(mode 0600, readable by ` +
            `its owner only\\), made because the backup "${backup}" from an earlier run does ` +
            "not hold it$",
          "m",
        ),
      );
      assert.doesNotMatch(run.err, /perhaps/);
      assert.ok(!run.out.includes(KEY) && !run.err.includes(KEY));
      // Once more with the key added again: a third backup, the second kept.
      await Deno.writeTextFile(path, config(true));
      const again = await thoth(["wrap-config", path], { cwd: dir });
      assert.equal(again.code, 0, again.err);
      assert.equal(await Deno.readTextFile(`${backup}.3`), config(true));
      assert.equal(await Deno.readTextFile(copy), config(true));
    }),
});

Deno.test({
  name: "thoth wrap-config names a kept backup that holds the key as the place it is",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      const backup = `${path}.thoth-backup`;
      await Deno.writeTextFile(backup, config(true));
      await Deno.writeTextFile(path, config(true));
      const run = await thoth(["wrap-config", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      assert.match(
        run.err,
        new RegExp(
          `is still in plain text in the backup "${backup}" kept from an earlier run ` +
            "\\(mode 0600, readable by its owner only\\)$",
          "m",
        ),
      );
      assert.equal((await Deno.stat(backup)).mode! & 0o777, 0o600);
      await assert.rejects(Deno.stat(`${backup}.2`), Deno.errors.NotFound);
    }),
});
