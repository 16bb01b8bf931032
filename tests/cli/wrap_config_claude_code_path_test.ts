/**
 * `thoth wrap-config --client claude-code` judges each upstream command
 * against the PATH Claude Code gives its servers (the user's own, as `thoth
 * doctor` does), and a warning about a server of a Claude Code project names
 * the project: two projects often have a server of one name.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

Deno.test("thoth wrap-config --client claude-code finds commands on the user's PATH and names each project", async () => {
  await inTempDir(async (dir) => {
    const bin = `${dir}/bin`;
    await Deno.mkdir(`${dir}/home`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/home/.claude.json`,
      JSON.stringify({
        mcpServers: { mine: { command: "myserver" } },
        projects: {
          [`${dir}/p1`]: { mcpServers: { git: { command: "nothere" } } },
          [`${dir}/p2`]: { mcpServers: { git: { command: "nothere" } } },
        },
      }),
    );
    const run = await thoth(["wrap-config", "--client", "claude-code", "--dry-run"], {
      cwd: dir,
      env: { PATH: `${bin}:/usr/bin` },
      deps: { isFile: (path) => path === THOTH || path === `${bin}/myserver` },
    });
    assert.equal(run.code, 0, run.err);
    // On the user's PATH: Claude Code finds it, so no warning.
    assert.doesNotMatch(run.err, /"myserver"/);
    assert.doesNotMatch(run.err, /minimal PATH/);
    for (const project of ["p1", "p2"]) {
      assert.match(
        run.err,
        new RegExp(
          `^thoth: warning: git \\(project ${dir}/${project}\\): "nothere" is not found on ` +
            `Claude Code's PATH`,
          "m",
        ),
      );
    }
  });
});
