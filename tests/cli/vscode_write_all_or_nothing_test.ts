/**
 * `--client vscode` writes two files: every refusal (a read-only file) comes
 * before the first write, so one refusal leaves both as they were; a write
 * that still fails after the other file was written (a file changed on disk
 * meanwhile) says which file was written and which was not, never that
 * nothing was.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const CLOCK = "/usr/bin/mcp-clock";

const PLAIN_MCP = JSON.stringify({ servers: { a: { command: CLOCK } } });
const PLAIN_SETTINGS = JSON.stringify({ mcp: { servers: { b: { command: CLOCK } } } });

function wrappedEntry(id: string) {
  return {
    command: THOTH,
    args: ["run", "--agent-id", id, "--enforcement-mode", "block", "--", CLOCK],
  };
}
const WRAPPED_MCP = JSON.stringify({ servers: { a: wrappedEntry("a") } });
const WRAPPED_SETTINGS = JSON.stringify({ mcp: { servers: { b: wrappedEntry("b") } } });

async function setUp(dir: string, mcpText: string, settingsText: string) {
  const user = `${dir}/home/.config/Code/User`;
  await Deno.mkdir(user, { recursive: true });
  const mcp = `${user}/mcp.json`;
  const settings = `${user}/settings.json`;
  await Deno.writeTextFile(mcp, mcpText);
  await Deno.writeTextFile(settings, settingsText);
  return { mcp, settings };
}

const CASES = [
  { command: "wrap-config", mcp: PLAIN_MCP, settings: PLAIN_SETTINGS },
  { command: "unwrap-config", mcp: WRAPPED_MCP, settings: WRAPPED_SETTINGS },
];

for (const { command, mcp: mcpText, settings: settingsText } of CASES) {
  Deno.test({
    name: `thoth ${command} --client vscode writes neither file when settings.json is read-only`,
    ignore: Deno.build.os === "windows",
    fn: () =>
      inTempDir(async (dir) => {
        const { mcp, settings } = await setUp(dir, mcpText, settingsText);
        await Deno.chmod(settings, 0o444);
        const run = await thoth([command, "--client", "vscode"], { cwd: dir });
        assert.equal(run.code, 1, run.out + run.err);
        assert.match(
          run.err,
          new RegExp(`"${settings}" is read-only \\(mode 0444\\); nothing was written`),
        );
        assert.doesNotMatch(run.out, /Wrote /);
        assert.equal(await Deno.readTextFile(mcp), mcpText, "mcp.json as it was");
        assert.equal(await Deno.readTextFile(settings), settingsText);
        await assert.rejects(Deno.stat(`${mcp}.thoth-backup`), Deno.errors.NotFound);
      }),
  });

  Deno.test(`thoth ${command} --client vscode names the file written when the other changed meanwhile`, () =>
    inTempDir(async (dir) => {
      const { mcp, settings } = await setUp(dir, mcpText, settingsText);
      let commits = 0;
      const changed = settingsText.replace("}}}", '}, "c": {"command": "x"}}}');
      const run = await thoth([command, "--client", "vscode"], {
        cwd: dir,
        deps: {
          beforeCommit: async () => {
            if (commits++ === 0) await Deno.writeTextFile(settings, changed);
          },
        },
      });
      assert.equal(run.code, 1, run.out + run.err);
      assert.notEqual(await Deno.readTextFile(mcp), mcpText, "mcp.json was written");
      assert.equal(await Deno.readTextFile(settings), changed, "settings.json was not");
      assert.match(run.err, /changed on disk while thoth was working/);
      assert.match(
        run.err,
        new RegExp(`already written: "${mcp}"; not written: "${settings}"`),
      );
      assert.doesNotMatch(run.err, /nothing was (written|changed)/);
      assert.match(run.out, new RegExp(`Wrote ${mcp}\\.`));
    }));
}
