/**
 * The hints for a config a command cannot find or write name what that
 * command takes: `status` a file after --config, `wrap-config` a file as
 * INPUT and its own --help; and an --output that is a directory is said to be
 * one, with the file path it needs.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

Deno.test("thoth status with a missing config hints at --config and status --help", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["status", "--config", `${dir}/none.json`], { cwd: dir });
    assert.equal(run.code, 1);
    assert.equal(
      run.err,
      `thoth: error: cannot read config "${dir}/none.json": no such file\n` +
        "thoth: hint: pass the config file with --config FILE, or choose the client with --client\n" +
        'thoth: hint: run "thoth status --help" to see where each client keeps its config\n',
    );
    const noHome = await thoth(["status"], { cwd: dir, env: { HOME: "" } });
    assert.match(noHome.err, /^thoth: hint: pass the config file with --config FILE$/m);
  });
});

Deno.test("thoth wrap-config with a missing config hints at INPUT and wrap-config --help", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["wrap-config", `${dir}/none.json`], { cwd: dir });
    assert.equal(run.code, 1);
    assert.equal(
      run.err,
      `thoth: error: cannot read config "${dir}/none.json": no such file\n` +
        "thoth: hint: pass the config file as INPUT, or choose the client with --client\n" +
        'thoth: hint: run "thoth wrap-config --help" to see where each client keeps its config\n',
    );
    const noHome = await thoth(["wrap-config"], { cwd: dir, env: { HOME: "" } });
    assert.match(noHome.err, /^thoth: hint: pass the config file as INPUT$/m);
  });
});

for (const dryRun of [[], ["--dry-run"]]) {
  Deno.test(
    `thoth wrap-config ${dryRun.join(" ")} --output DIRECTORY says it needs a file path`.replace(
      "  ",
      " ",
    ),
    async () => {
      await inTempDir(async (dir) => {
        const input = `${dir}/claude_desktop_config.json`;
        const text = '{"mcpServers": {"fs": {"command": "/usr/bin/mcp-clock"}}}';
        await Deno.writeTextFile(input, text);
        await Deno.mkdir(`${dir}/out`);
        const run = await thoth(["wrap-config", ...dryRun, "--output", `${dir}/out`, input], {
          cwd: dir,
        });
        assert.equal(run.code, 2, run.err);
        assert.equal(
          run.err,
          `thoth: error: --output "${dir}/out" is a directory; --output needs the path of a file ` +
            "to write\n" +
            `thoth: hint: pass a file path, such as --output "${dir}/out/claude_desktop_config.json"; ` +
            "nothing was written\n",
        );
        assert.equal(await Deno.readTextFile(input), text);
        assert.deepEqual([...Deno.readDirSync(`${dir}/out`)], []);
      });
    },
  );
}

Deno.test("thoth unwrap-config --output DIRECTORY says it needs a file path", async () => {
  await inTempDir(async (dir) => {
    const input = `${dir}/c.json`;
    await Deno.writeTextFile(input, '{"mcpServers": {"fs": {"command": "/usr/bin/mcp-clock"}}}');
    await thoth(["wrap-config", input], { cwd: dir });
    await Deno.mkdir(`${dir}/out`);
    const run = await thoth(["unwrap-config", "--output", `${dir}/out`, input], { cwd: dir });
    assert.equal(run.code, 2, run.err);
    assert.match(run.err, /^thoth: error: --output ".*\/out" is a directory; /m);
  });
});
