/**
 * An `--api-key` in a wrapped entry's thoth args is not lost silently by
 * unwrap-config: as with wrap-config, the backup that holds it is 0600 (a
 * new numbered one when the backup kept from an earlier run lacks it), and
 * a warning names that file, never the key.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const KEY = "aten_thoth_agent_prod_unwrap_value_7";

function config(key: boolean): string {
  return JSON.stringify({
    mcpServers: {
      db: {
        command: THOTH,
        args: [
          "run",
          "--agent-id",
          "db",
          ...(key ? ["--api-key", KEY] : []),
          "--",
          "/usr/bin/mcp-clock",
        ],
      },
    },
  });
}

// Wrapped by hand (no THOTH_WRAP record): the args array stays, empty.
const UNWRAPPED = JSON.stringify({
  mcpServers: { db: { command: "/usr/bin/mcp-clock", args: [] } },
});

function warning(place: string): RegExp {
  return new RegExp(
    `^thoth: warning: the API key taken out of the args of "db" was not saved anywhere, ` +
      `and is still in plain text in ${place}$`,
    "m",
  );
}

Deno.test({
  name: "thoth unwrap-config keeps a key the kept backup lacks in a new 0600 backup, and says so",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      const backup = `${path}.thoth-backup`;
      await Deno.writeTextFile(backup, '{"old": true}\n');
      await Deno.writeTextFile(path, config(true));
      await Deno.chmod(path, 0o644);
      const run = await thoth(["unwrap-config", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      assert.equal(await Deno.readTextFile(path), UNWRAPPED);
      assert.equal(await Deno.readTextFile(backup), '{"old": true}\n', "first backup kept");
      const copy = `${backup}.2`;
      assert.equal(await Deno.readTextFile(copy), config(true));
      assert.equal((await Deno.stat(copy)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o644, "the config keeps its mode");
      assert.match(
        run.err,
        warning(
          `the new backup "${copy}" \\(mode 0600, readable by its owner only\\), made because ` +
            `the backup "${backup}" from an earlier run does not hold it`,
        ),
      );
      assert.match(run.err, /^thoth: hint: save it with "thoth set-api-key --api-key -"/m);
      assert.match(run.out, /^ {2}unwrapped {2}db {2}.*removed --api-key with the thoth args/m);
      assert.ok(!run.out.includes(KEY) && !run.err.includes(KEY), "the key is never printed");
    }),
});

Deno.test({
  name: "thoth unwrap-config makes the first backup of a config with a key 0600, and says so",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      const backup = `${path}.thoth-backup`;
      await Deno.writeTextFile(path, config(true));
      await Deno.chmod(path, 0o644);
      const run = await thoth(["unwrap-config", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      assert.ok(!(await Deno.readTextFile(path)).includes(KEY));
      assert.equal(await Deno.readTextFile(backup), config(true));
      assert.equal((await Deno.stat(backup)).mode! & 0o777, 0o600);
      assert.match(
        run.err,
        warning(`the backup "${backup}" \\(mode 0600, readable by its owner only\\)`),
      );
      assert.ok(!run.out.includes(KEY) && !run.err.includes(KEY));
      await assert.rejects(Deno.stat(`${backup}.2`), Deno.errors.NotFound);
    }),
});

Deno.test({
  name: "thoth unwrap-config --output names the input as holding the key, and warns nothing else",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      await Deno.writeTextFile(path, config(true));
      const run = await thoth(["unwrap-config", "--output", `${dir}/plain.json`, path], {
        cwd: dir,
      });
      assert.equal(run.code, 0, run.err);
      assert.ok(!(await Deno.readTextFile(`${dir}/plain.json`)).includes(KEY));
      assert.match(run.err, warning(`the input "${path}"`));
    }),
});

Deno.test("thoth unwrap-config warns about no key when there is none", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, config(false));
    const run = await thoth(["unwrap-config", path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /API key/);
    assert.doesNotMatch(run.out, /--api-key/);
  }));
