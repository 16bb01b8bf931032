/**
 * `thoth wrap-config --client cursor` with no `~/.cursor/mcp.json` stops at
 * the missing file (it works on the client's own files), and its hints name
 * each project config that runs servers without thoth, with the command that
 * wraps that file.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

Deno.test("wrap-config --client cursor with no user config names a project config's ungoverned servers and its wrap-config", async () => {
  await inTempDir(async (dir) => {
    const web = `${dir}/proj/web`;
    const project = `${web}/.cursor/mcp.json`;
    await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
    await Deno.mkdir(`${web}/.cursor`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/home/.claude.json`,
      JSON.stringify({ projects: { [web]: {} } }),
    );
    await Deno.writeTextFile(
      project,
      JSON.stringify({ mcpServers: { "shared-fs": { command: "npx", args: ["-y", "x"] } } }),
    );
    const run = await thoth(["wrap-config", "--client", "cursor"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(
      run.err,
      new RegExp(
        `^thoth: error: cannot read config "${dir}/home/\\.cursor/mcp\\.json": no such file$`,
        "m",
      ),
    );
    assert.match(
      run.err,
      new RegExp(
        `^thoth: hint: the project config "${project}" has 1 stdio server that runs without ` +
          `thoth: shared-fs; to wrap it, run: thoth wrap-config --client cursor ${project}$`,
        "m",
      ),
    );
    // Nothing was written: the project config is as it was.
    assert.doesNotMatch(await Deno.readTextFile(project), /run/);
    // And the command the hint names works.
    const wrap = await thoth(["wrap-config", "--client", "cursor", project], { cwd: dir });
    assert.equal(wrap.code, 0, wrap.out + wrap.err);
  });
});

Deno.test("wrap-config --client cursor with no user config and no project config keeps its hints", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
    const run = await thoth(["wrap-config", "--client", "cursor"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.doesNotMatch(run.err, /project config/);
    assert.match(run.err, /^thoth: hint: pass the config file as INPUT/m);
  });
});
