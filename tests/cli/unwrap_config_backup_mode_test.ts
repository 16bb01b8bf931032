/**
 * Only a backup that holds the key is made 0600: a backup kept from an
 * earlier run that does not hold it keeps its mode, while the new numbered
 * backup that does is 0600; a kept backup that holds it is made 0600.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const KEY = "aten_thoth_agent_backup_mode_value_9";

const WRAPPED = JSON.stringify({
  mcpServers: {
    db: {
      command: THOTH,
      args: ["run", "--agent-id", "db", "--api-key", KEY, "--", "/usr/bin/mcp-clock"],
    },
  },
});

const modeOf = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

Deno.test({
  name: "thoth unwrap-config leaves older backups without the key at their mode",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c3.json`;
      const backup = `${path}.thoth-backup`;
      await Deno.writeTextFile(backup, '{"old":1}');
      await Deno.chmod(backup, 0o644);
      await Deno.writeTextFile(`${backup}.2`, '{"old":2}');
      await Deno.chmod(`${backup}.2`, 0o644);
      await Deno.writeTextFile(path, WRAPPED);
      const run = await thoth(["unwrap-config", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      assert.equal(await modeOf(backup), 0o644, "the backup without the key keeps its mode");
      assert.equal(await modeOf(`${backup}.2`), 0o644);
      assert.equal(await Deno.readTextFile(`${backup}.3`), WRAPPED);
      assert.equal(await modeOf(`${backup}.3`), 0o600, "the one with the key is private");
    }),
});

Deno.test({
  name: "thoth unwrap-config makes an older backup that holds the key 0600",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      const backup = `${path}.thoth-backup`;
      await Deno.writeTextFile(backup, WRAPPED);
      await Deno.chmod(backup, 0o644);
      await Deno.writeTextFile(path, WRAPPED);
      const run = await thoth(["unwrap-config", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      assert.equal(await modeOf(backup), 0o600);
      await assert.rejects(Deno.stat(`${backup}.2`), Deno.errors.NotFound);
    }),
});
