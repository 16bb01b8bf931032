/**
 * Pins how wrap-config sorts the refusals of the servers it writes (see
 * `notStarting` in src/config/not_starting.ts): a refusal only the client's
 * own environment could lift (`Refusal.clientEnv`) is left out, even beside
 * one that fails the command; a Claude Code project server is named with its
 * project; with --thoth-path-elsewhere, what only this machine's profile
 * refuses is a warning while what any machine refuses still exits 1, for one
 * server that has both. A refusal several servers share is said once, after
 * all their names. The fixes are worded as thoth run words them, not
 * reworded for --client the way `thoth status` does.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

/** A thoth path that is a file only on the machines the config is for. */
const ELSEWHERE = "/srv/fleet/bin/thoth";

/** This machine: the server's command is here, thoth is not at ELSEWHERE. */
const HERE = { isFile: (path: string) => path === "/usr/bin/mcp-clock" };

/** The lines of `err` that say a server will not, or would not, start. */
function startLines(err: string): string[] {
  return err.split("\n").filter((line) => /(will|would) not start/.test(line));
}

/** An entry already wrapped with `thoth`, with `env`. */
function wrapped(thothPath: string, agentId: string, env: Record<string, string>) {
  return {
    command: thothPath,
    args: ["run", "--agent-id", agentId, "--enforcement-mode", "block", "--", "/usr/bin/mcp-clock"],
    env,
  };
}

const BAD_APEX = { THOTH_APEX_DOMAIN: "not a domain" };

const APEX_FIX = 'set a valid value with "thoth wrap-config --env THOTH_APEX_DOMAIN=<value>", ' +
  `or remove it from the server's "env"`;

Deno.test("a Claude Code project server is named with its project; fixes are not reworded for --client", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/claude.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: { fs: wrapped("/opt/thoth/bin/thoth", "fs", BAD_APEX) },
        projects: {
          "/home/ana/app": {
            mcpServers: { git: wrapped("/opt/thoth/bin/thoth", "git", BAD_APEX) },
          },
          "/home/ana/ok": { mcpServers: { clock: { command: "/usr/bin/mcp-clock" } } },
        },
      }),
    );
    for (const dryRun of [true, false]) {
      const run = await thoth(
        ["wrap-config", "--client", "claude-code", ...(dryRun ? ["--dry-run"] : []), path],
        { cwd: dir },
      );
      assert.equal(run.code, 1, run.err);
      const lines = startLines(run.err);
      assert.equal(lines.length, 2, run.err);
      // One refusal of both servers: said once, after both names.
      assert.match(
        lines[0]!,
        /^thoth: error: "fs", "git" \(project \/home\/ana\/app\) will not start: THOTH_APEX_DOMAIN "not a domain" /,
      );
      assert.ok(lines[0]!.endsWith(`; ${APEX_FIX}`), lines[0]);
      assert.equal(
        lines[1],
        `thoth: error: 2 server(s) ${dryRun ? "that would be written" : "written"} to ${path} ` +
          'will not start, because thoth run refuses them (as each line above says): "fs", ' +
          '"git" (project /home/ana/app)',
      );
      assert.doesNotMatch(run.err, /this machine's profile/);
    }
  });
});

Deno.test("a tenant's missing THOTH_USER_ID is left out beside a refusal that fails the command", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: {
          fs: { command: "/usr/bin/mcp-clock", args: ["/data"] },
          clock: { command: "/usr/bin/mcp-clock" },
        },
      }),
    );
    await Deno.writeTextFile(`${dir}/map.json`, '{"fs": "no_such_intent"}');
    const run = await thoth(
      ["wrap-config", "--tenant-id", "acme", "--intent-map", "map.json", path],
      { cwd: dir },
    );
    assert.equal(run.code, 1, run.err);
    // Warned about, as planWrap does, and in no line of its own.
    assert.match(run.err, /^thoth: warning: no THOTH_USER_ID written for tenant "acme"/m);
    const lines = startLines(run.err);
    assert.equal(lines.length, 2, run.err);
    assert.match(
      lines[0]!,
      /^thoth: error: "fs" will not start: intent "no_such_intent" is not in the policy/,
    );
    assert.doesNotMatch(lines[0]!, /THOTH_USER_ID/);
    assert.match(
      lines[1]!,
      /^thoth: error: 1 server\(s\) written to \S*c\.json will not start, .*: "fs"$/,
    );
  });
});

Deno.test("--thoth-path-elsewhere: one server with a profile refusal and one any machine refuses gets both lines, exit 1", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/base.json`,
      JSON.stringify({
        mcpServers: {
          // Refused anywhere (its env), and here only (the intent the map gives it).
          both: wrapped(ELSEWHERE, "both", { ...BAD_APEX, THOTH_USER_ID: "ana@example.com" }),
          // Refused here only.
          mapped: wrapped(ELSEWHERE, "mapped", {}),
          // A tenant with no user id: the client's environment may set it there.
          tenant: {
            command: "/usr/bin/mcp-clock",
            args: ["--all"],
          },
        },
      }),
    );
    await Deno.writeTextFile(`${dir}/im.json`, '{"both": "coding", "mapped": "coding"}');
    const run = await thoth(
      [
        "wrap-config",
        "--thoth-path",
        ELSEWHERE,
        "--thoth-path-elsewhere",
        "--tenant-id",
        "acme",
        "--intent-map",
        "im.json",
        "--output",
        "out.json",
        "base.json",
      ],
      { cwd: dir, deps: HERE },
    );
    assert.equal(run.code, 1, run.err);
    const lines = startLines(run.err);
    assert.equal(lines.length, 4, run.err);
    const profile =
      /would not start with this machine's profile: intent "coding" is not in the policy \(the default policy/;
    // The profile refusal both servers share is said once, after both names.
    assert.match(lines[0]!, /^thoth: warning: "both", "mapped" /);
    assert.match(lines[0]!, profile);
    assert.match(
      lines[1]!,
      /^thoth: warning: 2 server\(s\) written to \S*\/out\.json would not start with this machine's profile \(as each line above says\): "both", "mapped"; with --thoth-path-elsewhere this is no error/,
    );
    assert.match(
      lines[2]!,
      /^thoth: error: "both" will not start: THOTH_APEX_DOMAIN "not a domain" /,
    );
    assert.ok(lines[2]!.endsWith(`; ${APEX_FIX}`), lines[2]);
    assert.match(
      lines[3]!,
      /^thoth: error: 1 server\(s\) written to \S*\/out\.json will not start, because thoth run refuses them \(as each line above says\): "both"$/,
    );
    assert.doesNotMatch(run.err, /"tenant" (will|would) not start/);
  });
});

Deno.test("without --thoth-path-elsewhere the same profile refusals are errors", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/base.json`,
      JSON.stringify({
        mcpServers: {
          both: wrapped("/opt/thoth/bin/thoth", "both", BAD_APEX),
          mapped: wrapped("/opt/thoth/bin/thoth", "mapped", {}),
        },
      }),
    );
    await Deno.writeTextFile(`${dir}/im.json`, '{"both": "coding", "mapped": "coding"}');
    const run = await thoth(
      ["wrap-config", "--intent-map", "im.json", "--output", "out.json", "base.json"],
      { cwd: dir },
    );
    assert.equal(run.code, 1, run.err);
    const lines = startLines(run.err);
    assert.equal(lines.length, 3, run.err);
    assert.match(lines[0]!, /^thoth: error: "both" will not start: THOTH_APEX_DOMAIN /);
    // The refusal both share is said once, after both names; the other stays "both"'s alone.
    assert.match(
      lines[1]!,
      /^thoth: error: "both", "mapped" will not start: intent "coding" is not in the policy/,
    );
    assert.match(lines[2]!, /^thoth: error: 2 server\(s\) written to .*: "both", "mapped"$/);
    assert.doesNotMatch(run.err, /this machine's profile/);
  });
});
