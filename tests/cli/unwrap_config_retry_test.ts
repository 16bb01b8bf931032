/**
 * unwrap-config reads, plans and writes a config again when another program
 * changed it meanwhile (a client saving it): it says so on stderr, and the
 * file it writes is planned from what the other program wrote. A config
 * that changes at every try fails after the last one, as before, with a
 * hint that names the tries. The change comes through the test hook that
 * runs just before the write's checks.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
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
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, wrapped(["a"]));
    let commits = 0;
    const run = await thoth(["unwrap-config", path], {
      cwd: dir,
      deps: {
        beforeCommit: async () => {
          // A client saves the file once, with a server it added, while thoth works.
          if (commits++ === 0) await Deno.writeTextFile(path, wrapped(["a", "b"]));
        },
      },
    });
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
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, wrapped(["a"]));
    let commits = 0;
    const run = await thoth(["unwrap-config", path], {
      cwd: dir,
      deps: {
        beforeCommit: async () => {
          commits++;
          await Deno.writeTextFile(path, wrapped(["a", `b${commits}`]));
        },
      },
    });
    assert.equal(run.code, 1, run.out + run.err);
    assert.equal(commits, CONFIG_TRIES);
    assert.equal(run.err.match(/^thoth: note: .* reading it again/gm)?.length, CONFIG_TRIES - 1);
    assert.match(
      run.err,
      new RegExp(
        `^thoth: error: config "${path}" changed on disk while thoth was working; nothing was ` +
          "written$",
        "m",
      ),
    );
    assert.match(run.err, new RegExp(`^thoth: hint: thoth tried ${CONFIG_TRIES} times, `, "m"));
    assert.match(
      run.err,
      /^thoth: hint: quit the client that edits it, then run the command again$/m,
    );
    assert.doesNotMatch(run.out, /Wrote /);
    await assert.rejects(Deno.lstat(`${path}.thoth-backup`), Deno.errors.NotFound);
  }));
