/**
 * `wrap-config --json` and `unwrap-config --json` list, for each server a
 * command refused, skipped or left as it is, its `problems`: a typed code,
 * a severity (`error` when it makes the command exit 1), the message and the
 * remedy, so that a fleet script can act on each server without reading the
 * human lines. Real config files in temp folders.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

interface Problem {
  code: string;
  severity: string;
  message: string;
  remedy: string | null;
}

interface Server {
  name: string;
  action: string;
  problems: Problem[];
}

/** The servers of the document's first file, by name. */
function serversOf(out: string): Map<string, Server> {
  const doc = JSON.parse(out);
  return new Map(doc.files[0].servers.map((server: Server) => [server.name, server]));
}

/** The codes and severities of a server's problems. */
function codes(server: Server | undefined): string[] {
  assert.ok(server !== undefined);
  return server.problems.map((problem) => `${problem.code}/${problem.severity}`);
}

Deno.test("wrap-config --json: each server refused or skipped carries its code, severity and remedy", async () => {
  await inTempDir(async (dir) => {
    // This machine's profile maps "clock" to an intent its policy does not define.
    await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
    await Deno.writeTextFile(`${dir}/home/.thoth/intent_map.json`, '{"clock": "nope"}');
    const config = `${dir}/c.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        mcpServers: {
          plain: { command: "/usr/bin/mcp-clock" },
          clock: { command: "/usr/bin/mcp-clock" },
          remote: { url: "https://mcp.example.com/mcp" },
          broken: { command: "node", args: ["server.js", 8080] },
          empty: {},
          stray: { command: "node", env: { THOTH_WRAP: "v1" } },
          odd: { command: THOTH, args: ["run", "--agent-id", "odd", "node"] },
          helpflag: { command: THOTH, args: ["run", "-h", "--", "node"] },
        },
      }),
    );
    for (const dryRun of [true, false]) {
      const run = await thoth(
        ["wrap-config", "--json", ...(dryRun ? ["--dry-run"] : []), config],
        { cwd: dir },
      );
      assert.equal(run.code, 1, run.err);
      const doc = JSON.parse(run.out);
      assert.equal(doc.ok, false);
      assert.equal(doc.error, null);
      // The fields a script already read are all still there.
      assert.deepEqual(
        doc.failures.map((failure: { code: string }) => failure.code),
        ["config.servers_left", "config.servers_will_not_start"],
      );
      const servers = serversOf(run.out);
      assert.deepEqual(codes(servers.get("plain")), []);
      assert.equal(servers.get("plain")!.action, "wrapped");

      assert.deepEqual(codes(servers.get("clock")), ["config.will_not_start/error"]);
      const clock = servers.get("clock")!.problems[0]!;
      assert.equal(
        clock.message.startsWith('thoth run will refuse to start it: intent "nope"'),
        true,
      );
      assert.match(clock.remedy!, /^map "clock" to an intent the policy defines in /);

      assert.deepEqual(codes(servers.get("remote")), ["config.remote_server/note"]);
      assert.equal(servers.get("remote")!.action, "skipped");
      assert.equal(servers.get("remote")!.problems[0]!.remedy, null);

      assert.deepEqual(codes(servers.get("broken")), ["config.unwrappable_entry/error"]);
      assert.deepEqual(servers.get("broken")!.problems[0], {
        code: "config.unwrappable_entry",
        severity: "error",
        message: '"args" item 2 is not a string (8080)',
        remedy: 'write it as a string ("8080"), then run wrap-config again',
      });
      assert.equal(servers.get("broken")!.action, "left");

      assert.deepEqual(codes(servers.get("empty")), ["config.invalid_entry/warning"]);
      assert.deepEqual(codes(servers.get("stray")), ["config.stray_wrap_record/error"]);
      assert.match(servers.get("stray")!.problems[0]!.remedy!, /^remove the THOTH_WRAP key/);
      assert.deepEqual(codes(servers.get("odd")), ["config.malformed_entry/error"]);
      assert.equal(
        servers.get("odd")!.problems[0]!.message,
        'thoth entry not understood: no "--" before the upstream command',
      );
      // Left as it is, and as it is thoth run will not start it: both are said.
      assert.deepEqual(codes(servers.get("helpflag")), [
        "config.run_flag_refused/error",
        "config.will_not_start/error",
      ]);
      assert.equal(
        servers.get("helpflag")!.problems[0]!.remedy,
        'remove -h from the flags before "--", then run wrap-config again',
      );
    }
  });
});

Deno.test("wrap-config --json --thoth-path-elsewhere: what only this machine's profile refuses is a warning problem, exit 0", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/im.json`, '{"clock": "coding"}');
    const config = `${dir}/c.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({ mcpServers: { clock: { command: "/usr/bin/mcp-clock" } } }),
    );
    const run = await thoth(
      [
        "wrap-config",
        "--json",
        "--dry-run",
        "--thoth-path",
        "/srv/fleet/bin/thoth",
        "--thoth-path-elsewhere",
        "--intent-map",
        "im.json",
        config,
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.err);
    const clock = serversOf(run.out).get("clock");
    assert.deepEqual(codes(clock), ["config.profile_will_not_start/warning"]);
    assert.match(clock!.problems[0]!.message, /intent "coding" is not in the policy/);
    assert.ok(clock!.problems[0]!.remedy !== null);
  });
});

Deno.test("unwrap-config --json: each server not restored carries its code and remedy; restored ones none", async () => {
  await inTempDir(async (dir) => {
    const config = `${dir}/c.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        mcpServers: {
          done: { command: THOTH, args: ["run", "--agent-id", "done", "--", "node", "s.js"] },
          odd: { command: THOTH, args: ["run", "--agent-id", "odd", "node"] },
          number: { command: THOTH, args: ["run", "--max-line-bytes", 5, "--", "node"] },
          badrec: {
            command: THOTH,
            args: ["run", "--agent-id", "badrec", "--", "node"],
            env: { THOTH_WRAP: "v1;intent=%E0" },
          },
          remote: { url: "https://mcp.example.com/mcp" },
        },
      }),
    );
    const run = await thoth(["unwrap-config", "--json", config], { cwd: dir });
    assert.equal(run.code, 1, run.err);
    const doc = JSON.parse(run.out);
    assert.equal(doc.files[0].outcome, "written");
    assert.equal(doc.profile, null);
    const servers = serversOf(run.out);
    assert.equal(servers.get("done")!.action, "unwrapped");
    assert.deepEqual(codes(servers.get("done")), []);
    assert.deepEqual(codes(servers.get("remote")), ["config.remote_server/note"]);
    assert.deepEqual(codes(servers.get("odd")), ["config.malformed_entry/error"]);
    assert.deepEqual(codes(servers.get("number")), ["config.unwrappable_entry/error"]);
    assert.deepEqual(codes(servers.get("badrec")), ["config.bad_wrap_record/error"]);
    for (const name of ["odd", "number", "badrec"]) {
      assert.equal(servers.get(name)!.action, "left");
      assert.equal(
        servers.get(name)!.problems[0]!.remedy,
        "restore the entry by hand (or from the .thoth-backup file beside the config)",
      );
    }
  });
});
