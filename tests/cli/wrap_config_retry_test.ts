/**
 * wrap-config reads, plans and writes a config again when another program
 * changed it meanwhile (Claude Code saves ~/.claude.json while it runs): it
 * says so on stderr, and the file it writes is planned from what the other
 * program wrote, so no server that program added is left without thoth. A
 * config that changes at every try fails after the last one, as before,
 * with a hint that names the tries. The change comes through the test hook
 * that runs just before the write's checks.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH } from "./_config_cli.ts";
import { assertGaveUp, whileChanging } from "./_changing_config.ts";
import { CONFIG_TRIES } from "../../src/cli/retry_changed_config.ts";

const CLOCK = "/usr/bin/mcp-clock";

function plain(names: string[], startups: number): string {
  const servers = Object.fromEntries(names.map((name) => [name, { command: CLOCK, args: [name] }]));
  return JSON.stringify({ numStartups: startups, mcpServers: servers }, null, 2) + "\n";
}

Deno.test("wrap-config reads a config again that changed while it worked, and wraps what is there", () =>
  inTempDir(async (dir) => {
    // The client saves the file once, with a server it added, while thoth works.
    const { run, path } = await whileChanging(
      dir,
      "wrap-config",
      plain(["a"], 1),
      (commit) => commit === 1 ? plain(["a", "b"], 2) : undefined,
    );
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(
      run.err,
      new RegExp(
        `^thoth: note: config "${path}" changed on disk while thoth was working \\(another ` +
          `program saved it\\); nothing was written; reading it again \\(try 2 of ${CONFIG_TRIES}\\)$`,
        "m",
      ),
    );
    const after = JSON.parse(await Deno.readTextFile(path));
    assert.equal(after.numStartups, 2, "what the client saved is kept");
    assert.deepEqual(Object.keys(after.mcpServers), ["a", "b"]);
    for (const server of Object.values(after.mcpServers) as { command: string }[]) {
      assert.equal(server.command, THOTH, "every server runs through thoth");
    }
    assert.equal(await Deno.readTextFile(`${path}.thoth-backup`), plain(["a", "b"], 2));
  }));

Deno.test("wrap-config gives up on a config that changes at every try, naming the tries", () =>
  inTempDir(async (dir) => {
    const { run, path, commits } = await whileChanging(
      dir,
      "wrap-config",
      plain(["a"], 1),
      (commit) => plain(["a"], commit + 1),
    );
    assert.equal(commits, CONFIG_TRIES);
    assertGaveUp(run, path);
    assert.equal(await Deno.readTextFile(path), plain(["a"], CONFIG_TRIES + 1));
  }));

Deno.test("wrap-config says each warning once, for the try that stands, however often it reads again", () =>
  inTempDir(async (dir) => {
    const warnings = (err: string) => err.match(/^thoth: warning: no tenant id written/gm) ?? [];
    // Changed once, then written: the warning of the try that wrote.
    const once = await whileChanging(
      dir,
      "wrap-config",
      plain(["a"], 1),
      (commit) => commit === 1 ? plain(["a", "b"], 2) : undefined,
    );
    assert.equal(once.run.code, 0, once.run.err);
    assert.equal(warnings(once.run.err).length, 1, once.run.err);
    // The plan's report of the try that wrote, once.
    assert.equal(once.run.out.match(/now runs through thoth/g)?.length, 2, once.run.out);
    // Changed at every try: the last try's warning, before its error.
    const always = await whileChanging(
      dir,
      "wrap-config",
      plain(["a"], 1),
      (commit) => plain(["a"], commit + 1),
    );
    assertGaveUp(always.run, always.path);
    assert.equal(warnings(always.run.err).length, 1, always.run.err);
    assert.ok(
      always.run.err.lastIndexOf("reading it again") <
        always.run.err.indexOf("thoth: warning: no tenant id written"),
      always.run.err,
    );
  }));
