/**
 * `thoth health` shows names from the user's files (a project folder that
 * ~/.claude.json lists, a file in the profile) escaped as `thoth doctor`
 * shows them: no control character reaches the terminal, in the human
 * report nor in the `thoth:` lines `health --json` writes to stderr. The real
 * CLI, in a profile and HOME of its own.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";

/** A folder name that retitles a terminal window and turns its text red. */
const PROJECT = "x\x1b]0;PWNED\x07\x1b[31mRED";
/** A key file name that retitles a terminal window. */
const KEY = "k\x1b]0;OWNED\x07.json";

/** The control characters in `text`, other than a line's end. */
function controls(text: string): string[] {
  return [...text].filter((c) => c.charCodeAt(0) < 0x20 && c !== "\n" || c === "\x7f");
}

Deno.test({
  name: "thoth health escapes control characters of folder and file names, as doctor does",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "thoth-health-escapes-" });
    try {
      const env = { HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, THOTH_HOME: `${dir}/.thoth` };
      const project = `${dir}/${PROJECT}`;
      await Deno.mkdir(project);
      // Broken JSON (a brace short), with a control character in a server's name.
      await Deno.writeTextFile(
        `${project}/.mcp.json`,
        '{"mcpServers": {"a\x1b[2Jb": {"command": "/bin/cat"}}',
      );
      await Deno.writeTextFile(
        `${dir}/.claude.json`,
        JSON.stringify({ projects: { [project]: { mcpServers: {} } } }),
      );
      // A profile with a key file others may read: the profile check names it.
      const first = await runThoth(["health", "--json"], { env, cwd: dir });
      assert.equal(first.code, 0, first.err);
      await Deno.mkdir(`${dir}/.thoth/keys`, { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(`${dir}/.thoth/keys/${KEY}`, "{}");
      await Deno.chmod(`${dir}/.thoth/keys/${KEY}`, 0o644);

      const json = await runThoth(["health", "--json"], { env, cwd: dir });
      assert.equal(json.code, 0, json.err);
      // The names are in the report (JSON escapes them), and named on stderr, escaped.
      assert.match(json.err, /^thoth: clients: .*x\?\]0;PWNED\?\?\[31mRED/m);
      assert.match(json.err, /^thoth: profile: .*k\?\]0;OWNED\?\.json/m);
      assert.deepEqual(controls(json.err), []);
      assert.deepEqual(controls(json.out), []);

      const human = await runThoth(["health"], { env, cwd: dir });
      assert.equal(human.code, 0, human.err);
      assert.match(human.out, /x\?\]0;PWNED\?\?\[31mRED/);
      assert.match(human.out, /^profile +.*k\?\]0;OWNED\?\.json/m);
      assert.deepEqual(controls(human.out), []);
      assert.deepEqual(controls(human.err), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
