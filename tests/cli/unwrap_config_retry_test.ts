/**
 * unwrap-config reads, plans and writes a config again when another program
 * changed it meanwhile (a client saving it): it says so on stderr, and the
 * file it writes is planned from what the other program wrote. A config
 * that changes at every try fails after the last one, as before, with a
 * hint that names the tries. The change comes through the test hook that
 * runs just before the write's checks.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH } from "./_config_cli.ts";
import { assertGaveUp, whileChanging } from "./_changing_config.ts";
import { CONFIG_TRIES } from "../../src/cli/retry_changed_config.ts";

const CLOCK = "/usr/bin/mcp-clock";

function wrapped(names: string[]): string {
  const servers = Object.fromEntries(names.map((name) => [name, {
    command: THOTH,
    args: ["run", "--agent-id", name, "--enforcement-mode", "block", "--", CLOCK, name],
  }]));
  return JSON.stringify({ mcpServers: servers }, null, 2) + "\n";
}

Deno.test("unwrap-config reads a config again that changed while it worked, and unwraps what is there", () =>
  inTempDir(async (dir) => {
    // A client saves the file once, with a server it added, while thoth works.
    const { run, path } = await whileChanging(
      dir,
      "unwrap-config",
      wrapped(["a"]),
      (commit) => commit === 1 ? wrapped(["a", "b"]) : undefined,
    );
    assert.equal(run.code, 0, run.out + run.err);
    assert.equal(
      run.err,
      `thoth: note: config "${path}" changed on disk while thoth was working (another program ` +
        `saved it); nothing was written; reading it again (try 2 of ${CONFIG_TRIES})\n`,
    );
    const after = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(after.mcpServers, {
      a: { command: CLOCK, args: ["a"] },
      b: { command: CLOCK, args: ["b"] },
    });
    assert.equal(await Deno.readTextFile(`${path}.thoth-backup`), wrapped(["a", "b"]));
    assert.equal(run.out.match(/^Wrote /gm)?.length, 1, run.out);
  }));

Deno.test("unwrap-config gives up on a config that changes at every try, naming the tries", () =>
  inTempDir(async (dir) => {
    const { run, path, commits } = await whileChanging(
      dir,
      "unwrap-config",
      wrapped(["a"]),
      (commit) => wrapped(["a", `b${commit}`]),
    );
    assertGaveUp(run, path);
    assert.equal(commits, CONFIG_TRIES);
    await assert.rejects(Deno.lstat(`${path}.thoth-backup`), Deno.errors.NotFound);
  }));
