/**
 * A `<config>.thoth-backup` that is not a regular file (a folder, a link)
 * holds no copy of the original: the write is refused and the config left as
 * it was; a real backup kept from an earlier run is named on stdout.
 */
import assert from "node:assert/strict";
import { readConfigFile } from "../../src/config/read_config_file.ts";
import { BACKUP_SUFFIX, checkWritable, writeConfig } from "../../src/config/write_config.ts";
import { isAppError } from "../../src/errors.ts";
import { inTempDir, THOTH, thoth } from "../cli/_config_cli.ts";

const CONFIG = `{ "mcpServers": { "fs": { "command": "/usr/bin/mcp-clock", "args": ["x"] } } }\n`;

for (const kind of ["folder", "link"]) {
  Deno.test(`writeConfig() refuses a backup path that is a ${kind}, writing nothing`, {
    ignore: kind === "link" && Deno.build.os === "windows",
  }, () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      await Deno.writeTextFile(path, CONFIG);
      const backup = path + BACKUP_SUFFIX;
      if (kind === "folder") await Deno.mkdir(backup);
      else await Deno.symlink(`${dir}/nowhere`, backup);
      const file = await readConfigFile(path);
      await assert.rejects(
        () => checkWritable(path, { original: file }),
        (error) => isAppError(error, "config.backup_not_a_file"),
      );
      await assert.rejects(
        () => writeConfig(path, "{}\n", { original: file }),
        (error) => isAppError(error, "config.backup_not_a_file") && error.message.includes(backup),
      );
      assert.equal(await Deno.readTextFile(path), CONFIG, "the original is left as it was");
      const run = await thoth(["wrap-config", path], { cwd: dir });
      assert.notEqual(run.code, 0, run.out + run.err);
      assert.ok(run.err.includes(backup), run.err);
      assert.equal(await Deno.readTextFile(path), CONFIG, "wrap-config wrote nothing");
      assert.deepEqual(
        [...Deno.readDirSync(dir)].map((entry) => entry.name).sort(),
        ["c.json", "c.json.thoth-backup"],
      );
    }));
}

Deno.test("wrap-config names the backup it keeps from an earlier run", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, CONFIG);
    const first = await thoth(["wrap-config", path], { cwd: dir });
    assert.equal(first.code, 0, first.err);
    assert.ok(first.out.includes(`Backup of the original: ${path}${BACKUP_SUFFIX}\n`), first.out);
    assert.ok(!first.out.includes("Backup kept"), first.out);
    const wrapped = await Deno.readTextFile(path);
    assert.ok(wrapped.includes(THOTH));
    const unwrap = await thoth(["unwrap-config", path], { cwd: dir });
    assert.equal(unwrap.code, 0, unwrap.err);
    assert.ok(unwrap.out.includes(`Backup kept: ${path}${BACKUP_SUFFIX}`), unwrap.out);
    assert.equal(await Deno.readTextFile(path + BACKUP_SUFFIX), CONFIG, "never replaced");
  }));
