/**
 * What `thoth status`, `wrap-config` and `unwrap-config` print from a config
 * reaches the terminal with every control character, escape sequence and
 * bidirectional override shown as `?`: a cloned repository's `.mcp.json`
 * (read by `status --client claude-code` through the folders
 * `~/.claude.json` lists) cannot forge the status table, erase a row, hide
 * the summary or write to the clipboard (OSC 52). `--json` keeps every name
 * exact. The real CLI, in a HOME and profile of its own.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Moves up a line, erases it, prints a governed row in its place, then hides what follows. */
const FORGED = "exfil\u001b[1A\u001b[2K\rgdrive    \u2713 \u001b[8m";
/** Writes "hello" to the clipboard of a terminal that honours OSC 52 (and is no file). */
const CLIPBOARD = "/bin/cat\u001b]52;c;aGVsbG8=\u0007";
/** Right to left from here on, a C1 CSI, and a line break. */
const BIDI = "rev\u202Egnp.exe\u009b2J\nthoth: note: fake";
/** A project folder whose name retitles the terminal window. */
const FOLDER = "web\u001b]0;PWNED\u0007";

/** What a terminal could act on: control characters but the line end (and tab, in a diff). */
function unsafe(text: string): string[] {
  return [...text].filter((c) => /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(c) && c !== "\n" && c !== "\t");
}

/** The project's config as a repository could ship it, a comment and all. */
function projectConfig(): string {
  return `{
\t// set up by ${"\u001b]0;OWNED\u0007"} the maintainers \u202E
\t"mcpServers": ${
    JSON.stringify({
      [FORGED]: { command: CLIPBOARD, args: ["a\nb"] },
      [BIDI]: { command: "/bin/cat", args: [1] },
    })
  }
}
`;
}

Deno.test({
  name: "status, wrap-config and unwrap-config show a config's control characters as ?",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-config-escapes-");
    const home = `${dir}/home`;
    const project = `${dir}/${FOLDER}`;
    const config = `${project}/.mcp.json`;
    await Deno.mkdir(`${home}/.thoth`, { recursive: true, mode: 0o700 });
    await Deno.mkdir(project);
    await Deno.writeTextFile(config, projectConfig());
    await Deno.writeTextFile(
      `${home}/.claude.json`,
      JSON.stringify({ mcpServers: {}, projects: { [project]: {} } }),
    );
    const env = { HOME: home, THOTH_HOME: `${home}/.thoth`, XDG_CONFIG_HOME: `${home}/.config` };
    const run = (args: string[]) => runThoth(args, { env, cwd: dir });

    const status = await run(["status", "--client", "claude-code"]);
    assert.deepEqual(unsafe(status.out), [], status.out);
    const rows = status.out.split("\n");
    assert.ok(rows.includes(`${dir}/web?]0;PWNED?/.mcp.json`), status.out);
    // Each server is one row of its own, marked as it is: the forged one is not governed.
    assert.match(status.out, /^exfil\?\[1A\?\[2K\?gdrive {4}✓ \?\[8m +✗ /m);
    assert.match(status.out, /^rev\?gnp\.exe\?2J\?thoth: note: fake +[✗?] /m);
    assert.match(status.out, /^0 governed, 2 ungoverned stdio, /m);
    assert.match(status.out, /^Project configs: .*found ".*web\?\]0;PWNED\?\/\.mcp\.json"/m);

    // --json is for scripts: every name as it is (JSON escapes what it must).
    const json = await run(["status", "--config", config, "--json"]);
    assert.deepEqual(
      JSON.parse(json.out).servers.map((s: { name: string }) => s.name).sort(),
      [BIDI, FORGED].sort(),
    );

    const dryRun = await run(["wrap-config", "--dry-run", config]);
    assert.equal(dryRun.code, 1, dryRun.err);
    assert.deepEqual(unsafe(dryRun.out), [], dryRun.out);
    assert.deepEqual(unsafe(dryRun.err), [], dryRun.err);
    assert.match(
      dryRun.err,
      /^thoth: warning: exfil\?\[1A\?\[2K\?gdrive {4}✓ \?\[8m: "\/bin\/cat\?\]52;c;aGVsbG8=\?" does not exist on this machine$/m,
    );
    // The server left as it is, on one line.
    assert.match(
      dryRun.err,
      /^thoth: error: "rev\?gnp\.exe\?2J\?thoth: note: fake" is not governed: "args" item 1 /m,
    );
    assert.doesNotMatch(dryRun.err, /^thoth: note: fake/m);
    assert.match(dryRun.out, /^ {2}wrapped {2}exfil\?\[1A\?\[2K\?gdrive {4}✓ \?\[8m /m);
    // The diff shows the comment as the file has it, but for what a terminal would act on.
    assert.match(dryRun.out, /^ \t\/\/ set up by \?\]0;OWNED\? the maintainers \?$/m);

    const wrap = await run(["wrap-config", "--client", "claude-code"]);
    assert.deepEqual(unsafe(wrap.out), [], wrap.out);
    assert.deepEqual(unsafe(wrap.err), [], wrap.err);
    // The project config is named, not wrapped, with what runs there without thoth.
    assert.match(
      wrap.err,
      /^thoth: warning: not wrapped: the project config ".*web\?\]0;PWNED\?\/\.mcp\.json" .* without thoth: exfil\?\[1A/m,
    );

    const written = await run(["wrap-config", config]);
    assert.deepEqual(unsafe(written.out), [], written.out);
    assert.deepEqual(unsafe(written.err), [], written.err);
    assert.match(written.out, /^Wrote .*web\?\]0;PWNED\?\/\.mcp\.json\.$/m);
    const unwrap = await run(["unwrap-config", config]);
    assert.equal(unwrap.code, 0, unwrap.err);
    assert.deepEqual(unsafe(unwrap.out), [], unwrap.out);
    assert.deepEqual(unsafe(unwrap.err), [], unwrap.err);
    assert.match(unwrap.out, /^ {2}unwrapped {2}exfil\?\[1A\?\[2K\?gdrive {4}✓ \?\[8m /m);
  },
});

Deno.test({
  name:
    "status --check names ungoverned servers with their control characters as ?, and --json escapes what a terminal acts on",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-config-escapes-");
    const home = `${dir}/home`;
    await Deno.mkdir(`${home}/.thoth`, { recursive: true, mode: 0o700 });
    const config = `${dir}/cfg.json`;
    await Deno.writeTextFile(config, projectConfig());
    const env = { HOME: home, THOTH_HOME: `${home}/.thoth`, XDG_CONFIG_HOME: `${home}/.config` };
    const check = await runThoth(["status", "--config", config, "--check"], { env, cwd: dir });
    assert.equal(check.code, 1, check.err);
    assert.deepEqual(unsafe(check.err), [], check.err);
    assert.match(check.err, /run without thoth: .*exfil\?\[1A\?\[2K\?gdrive/);

    const json = await runThoth(["status", "--config", config, "--json"], { env, cwd: dir });
    // JSON escapes C0 controls itself; DEL, C1 and bidi controls are escaped too, so the text
    // is safe to print and still parses to the exact names.
    assert.deepEqual(unsafe(json.out), [], json.out);
    assert.deepEqual(
      JSON.parse(json.out).servers.map((s: { name: string }) => s.name).sort(),
      [BIDI, FORGED].sort(),
    );
  },
});
