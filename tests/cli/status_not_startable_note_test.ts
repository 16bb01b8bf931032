/**
 * Plain `thoth status` (no `--check`, no `--json`) marks a governed server
 * whose upstream command is not found on its client's PATH as governed (✓)
 * like any other: a note below the tables names it and points at `--check`,
 * where the warning says why. Nothing is started: the command is only
 * looked up. The real CLI, over entries `wrap-config` wrote with this very
 * thoth.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** A name no PATH holds. */
const GONE = "thoth-test-no-such-uvx";

/** A client config of `servers`, wrapped by this thoth; its path. */
async function wrapped(
  dir: string,
  env: Record<string, string>,
  servers: Record<string, { command: string; args?: string[] }>,
): Promise<string> {
  const config = `${dir}/c.json`;
  await Deno.writeTextFile(config, JSON.stringify({ mcpServers: servers }, null, 2));
  const wrap = await runThoth(["wrap-config", config], { env, cwd: dir });
  assert.equal(wrap.code, 0, wrap.err);
  return config;
}

Deno.test("thoth status notes below its tables a governed server that will not start, pointing at --check", async () => {
  const dir = await tempFolder("thoth-not-startable-note-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
  await Deno.mkdir(env.THOTH_HOME, { recursive: true });
  const config = await wrapped(dir, env, {
    fs: { command: "/bin/cat", args: ["-u"] },
    time: { command: GONE, args: ["mcp-server-time"] },
  });
  const run = await runThoth(["status", "--config", config], { env, cwd: dir });
  assert.equal(run.code, 0, run.out + run.err);
  const notes = run.out.split("\n").filter((line) => line.startsWith("Will not start: "));
  assert.deepEqual(notes, [
    "Will not start: 1 governed server(s) whose command is not found where their client looks " +
    `for it (time): run "thoth status --config ${config} --check" to see each, and ` +
    '"thoth doctor" for the fix',
  ]);
  assert.ok(
    run.out.indexOf("Will not start: ") > run.out.indexOf("time"),
    "below the table that lists it",
  );
  assert.doesNotMatch(run.err, /thoth: (warning|error):/, "a note, not the --check warning");
});

Deno.test("thoth status adds no such note when every governed server's command is found", async () => {
  const dir = await tempFolder("thoth-not-startable-note-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
  await Deno.mkdir(env.THOTH_HOME, { recursive: true });
  const config = await wrapped(dir, env, {
    fs: { command: "/bin/cat", args: ["-u"] },
    plain: { command: "cat" },
  });
  const run = await runThoth(["status", "--config", config], { env, cwd: dir });
  assert.equal(run.code, 0, run.out + run.err);
  assert.doesNotMatch(run.out, /Will not start/);
});
