/**
 * What `wrap-config` (and `status`, `unwrap-config`) say about a file they
 * cannot use, each with a remedy: an `--output` that is standard output (not
 * Deno's permission flag), a config that is a special file, a config or an
 * intent map that is a symbolic link leading nowhere (named with where it
 * leads), an intent map that is not there, a config this user may not read.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";
import { CAN_RUN_AS_NOBODY, NOBODY, thothAsNobody } from "./_thoth_as_nobody.ts";
import { tempFolder } from "../_temp_dirs.ts";

const POSIX = Deno.build.os !== "windows";
const CONFIG = JSON.stringify({ mcpServers: { fs: { command: "/usr/bin/mcp-clock" } } });

Deno.test({
  name: "thoth wrap-config --output /dev/stdout names the output and what to do instead",
  ignore: !POSIX,
  fn: async () => {
    await inTempDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/c.json`, CONFIG);
      const run = await thoth(["wrap-config", "--output", "/dev/stdout", `${dir}/c.json`], {
        cwd: dir,
      });
      assert.equal(run.code, 2, run.err);
      assert.match(
        run.err,
        /^thoth: error: --output "\/dev\/stdout" is a special file thoth does not write .*--output needs the path of a regular file$/m,
      );
      assert.match(run.err, /^thoth: hint: pass the path of a regular file; .*--dry-run/m);
      assert.doesNotMatch(run.err, /allow-all|NotCapable|cannot read config/);
    });
  },
});

Deno.test({
  name: "thoth wrap-config refuses a special file as the config, with a remedy",
  ignore: !POSIX,
  fn: async () => {
    await inTempDir(async (dir) => {
      const wrap = await thoth(["wrap-config", "/dev/stdin"], { cwd: dir });
      assert.equal(wrap.code, 1, wrap.err);
      assert.match(
        wrap.err,
        /^thoth: error: cannot read config "\/dev\/stdin": it is a special file thoth does not read/m,
      );
      assert.match(wrap.err, /^thoth: hint: pass the path of the config file itself/m);
      assert.doesNotMatch(wrap.err, /allow-all|NotCapable/);
    });
  },
});

Deno.test({
  name: "thoth wrap-config and status name where a config's dangling link leads",
  ignore: !POSIX,
  fn: async () => {
    await inTempDir(async (dir) => {
      await Deno.mkdir(`${dir}/dotfiles`);
      await Deno.symlink("dotfiles/gone.json", `${dir}/c.json`);
      // A link to that link: the end of the chain is named.
      await Deno.symlink(`${dir}/c.json`, `${dir}/again.json`);
      const target = `${dir}/dotfiles/gone.json`;
      for (const args of [["wrap-config", "c.json"], ["status", "--config", "again.json"]]) {
        const run = await thoth(args, { cwd: dir });
        assert.equal(run.code, 1, run.err);
        assert.match(
          run.err,
          new RegExp(
            `^thoth: error: cannot read config "${dir}/(c|again)\\.json": it is a symbolic link ` +
              `that leads to "${target}", which does not exist$`,
            "m",
          ),
        );
        assert.match(run.err, new RegExp(`^thoth: hint: put the config back at "${target}"`, "m"));
      }
    });
  },
});

Deno.test({
  name: "thoth wrap-config says how to fix an --intent-map that is not there",
  ignore: !POSIX,
  fn: async () => {
    await inTempDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/c.json`, CONFIG);
      const missing = await thoth(
        ["wrap-config", "--dry-run", "--intent-map", "map.json", `${dir}/c.json`],
        { cwd: dir },
      );
      assert.equal(missing.code, 1, missing.err);
      assert.match(
        missing.err,
        new RegExp(`^thoth: error: cannot read intent map "${dir}/map\\.json": no such file$`, "m"),
      );
      assert.match(
        missing.err,
        new RegExp(
          `^thoth: hint: check the --intent-map path \\(a relative one is taken from the ` +
            `current folder, "${dir}"\\); .*or leave out --intent-map; nothing was written$`,
          "m",
        ),
      );
      await Deno.symlink(`${dir}/gone.json`, `${dir}/link.json`);
      const dangling = await thoth(
        ["wrap-config", "--dry-run", "--intent-map", "link.json", `${dir}/c.json`],
        { cwd: dir },
      );
      assert.equal(dangling.code, 1, dangling.err);
      assert.match(
        dangling.err,
        new RegExp(
          `^thoth: error: cannot read intent map "${dir}/link\\.json": it is a symbolic link ` +
            `that leads to "${dir}/gone\\.json", which does not exist$`,
          "m",
        ),
      );
      assert.match(
        dangling.err,
        new RegExp(`^thoth: hint: put the intent map back at "${dir}/gone\\.json"`, "m"),
      );
    });
  },
});

Deno.test({
  name: "thoth wrap-config and unwrap-config say what to do with a config this user may not read",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await tempFolder("thoth-unreadable-config-");
    await Deno.chmod(dir, 0o755);
    const home = `${dir}/home`;
    await Deno.mkdir(`${home}/.thoth`, { recursive: true, mode: 0o700 });
    await Deno.chown(home, NOBODY.uid, NOBODY.gid);
    await Deno.chown(`${home}/.thoth`, NOBODY.uid, NOBODY.gid);
    const config = `${dir}/c.json`;
    await Deno.writeTextFile(config, CONFIG);
    await Deno.chmod(config, 0o000);
    const env = { HOME: home, THOTH_HOME: `${home}/.thoth` };
    for (const command of ["wrap-config", "unwrap-config"]) {
      const run = await thothAsNobody([command, config], { env });
      assert.equal(run.code, 1, run.err);
      assert.match(
        run.err,
        new RegExp(`^thoth: error: cannot read config "${config}": permission denied$`, "m"),
      );
      assert.match(
        run.err,
        new RegExp(
          `^thoth: hint: let this user read "${config}" \\(its owner and mode: ls -l ${config}\\), ` +
            "or run thoth as the user the config belongs to; nothing was written; then run the " +
            "command again$",
          "m",
        ),
      );
    }
  },
});

Deno.test("thoth wrap-config --dry-run says why it shows no diff against an --output nested too deeply", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.json`, CONFIG);
    const depth = 20_000;
    await Deno.writeTextFile(`${dir}/out.json`, `${"[".repeat(depth)}${"]".repeat(depth)}`);
    const run = await thoth(
      ["wrap-config", "--dry-run", "--output", `${dir}/out.json`, `${dir}/c.json`],
      { cwd: dir },
    );
    assert.equal(run.code, 1, run.err);
    assert.match(
      run.err,
      new RegExp(
        `^thoth: error: cannot show the diff against --output "${dir}/out\\.json": it is ` +
          "nested too deeply to read",
        "m",
      ),
    );
    assert.match(run.err, /^thoth: hint: it is no client config: name another --output/m);
    assert.doesNotMatch(run.err, /internal error/);
  });
});
