/**
 * `wrap-config --dry-run` and `unwrap-config --dry-run` only read: they set
 * up no profile (THOTH_HOME stays as it was, even missing), take no lock and
 * leave nothing beside the config, and work where THOTH_HOME cannot be
 * written. The real `thoth`, as a process.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { CAN_RUN_AS_NOBODY, NOBODY, thothAsNobody } from "./_thoth_as_nobody.ts";
import { tempFolder } from "../_temp_dirs.ts";

const PLAIN = '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "server-fs"] } } }\n';
const WRAPPED = JSON.stringify({
  mcpServers: {
    fs: {
      command: "/opt/thoth/bin/thoth",
      args: [
        "run",
        "--agent-id",
        "fs",
        "--enforcement-mode",
        "block",
        "--",
        "npx",
        "-y",
        "server-fs",
      ],
    },
  },
}) + "\n";

const CASES = [
  {
    command: "wrap-config",
    text: PLAIN,
    flags: ["--thoth-path", "/opt/thoth/bin/thoth", "--thoth-path-elsewhere"],
  },
  { command: "unwrap-config", text: WRAPPED, flags: [] },
];

for (const { command, text, flags } of CASES) {
  Deno.test(`${command} --dry-run creates no profile and leaves nothing beside the config`, async () => {
    const dir = await tempFolder("thoth-dry-");
    const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/thoth`, NO_COLOR: "1" };
    await Deno.mkdir(env.HOME);
    await Deno.mkdir(`${dir}/configs`);
    const path = `${dir}/configs/c.json`;
    await Deno.writeTextFile(path, text);
    const run = await runThoth([command, "--dry-run", ...flags, path], { env, cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Dry run: nothing was written\.$/m);
    await assert.rejects(Deno.lstat(env.THOTH_HOME), Deno.errors.NotFound, "no profile made");
    assert.deepEqual([...Deno.readDirSync(`${dir}/configs`)].map((entry) => entry.name), [
      "c.json",
    ]);
    assert.deepEqual([...Deno.readDirSync(env.HOME)], []);
    assert.equal(await Deno.readTextFile(path), text);
  });

  Deno.test({
    name: `${command} --dry-run works where THOTH_HOME cannot be made`,
    ignore: !CAN_RUN_AS_NOBODY,
    fn: async () => {
      // A folder of root's: the user running thoth may read in it, not make anything.
      const dir = await tempFolder("thoth-dry-");
      await Deno.chmod(dir, 0o755);
      // The config and its folder are that user's: the write a dry run checks would work.
      const folder = `${dir}/config`;
      await Deno.mkdir(folder, { mode: 0o755 });
      await Deno.chown(folder, NOBODY.uid, NOBODY.gid);
      const path = `${folder}/c.json`;
      await Deno.writeTextFile(path, text);
      await Deno.chown(path, NOBODY.uid, NOBODY.gid);
      await Deno.chmod(path, 0o644);
      const env = { HOME: dir, THOTH_HOME: `${dir}/thoth` };
      const run = await thothAsNobody([command, "--dry-run", ...flags, path], { env });
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /^Dry run: nothing was written\.$/m);
      assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["config"]);
      assert.deepEqual([...Deno.readDirSync(folder)].map((entry) => entry.name), ["c.json"]);
    },
  });
}
