/**
 * `thoth status --check` on a governed server whose upstream command is not
 * found on the PATH its client gives it (what `thoth doctor`'s
 * `upstream_path` fails and `thoth health` lists in `not_startable`): a
 * warning naming it, and still exit 0; `--check --strict` fails on it. The
 * real CLI, over entries `wrap-config` wrote with this very thoth.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** A name no PATH holds. */
const GONE = "thoth-test-no-such-uvx";

async function setUp(): Promise<{ dir: string; env: Record<string, string>; config: string }> {
  const dir = await tempFolder("thoth-not-startable-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
  await Deno.mkdir(env.THOTH_HOME, { recursive: true });
  const config = `${dir}/c.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify(
      {
        mcpServers: {
          fs: { command: "/bin/cat", args: ["-u"] },
          // Found on the desktop client's PATH (/usr/bin or /bin): no warning.
          plain: { command: "cat" },
          time: { command: GONE, args: ["mcp-server-time"] },
        },
      },
      null,
      2,
    ),
  );
  const wrap = await runThoth(["wrap-config", config], { env, cwd: dir });
  assert.equal(wrap.code, 0, wrap.err);
  return { dir, env, config };
}

Deno.test("thoth status --check warns about a governed server whose upstream command is not on its client's PATH, and passes", async () => {
  const { dir, env, config } = await setUp();
  const check = await runThoth(["status", "--check", "--config", config], { env, cwd: dir });
  assert.equal(check.code, 0, check.out + check.err);
  const warnings = check.err.split("\n").filter((line) => line.startsWith("thoth: warning: "));
  assert.deepEqual(warnings.length, 1, check.err);
  assert.match(
    warnings[0]!,
    new RegExp(
      `^thoth: warning: governed server time \\(in "${RegExp.escape(config)}"\\): ` +
        `"${GONE}" is not found on the desktop client's PATH \\(.*\\): thoth run cannot start ` +
        "this server's command$",
    ),
  );
  assert.match(
    check.err,
    new RegExp(
      '^thoth: hint: 1 governed server\\(s\\) will not start: run "thoth doctor" .*' +
        `"thoth status --config ${RegExp.escape(config)} --check --strict" fails on them$`,
      "m",
    ),
  );
  assert.doesNotMatch(check.err, /thoth: error:/);
});

Deno.test("thoth status --check --strict fails on a governed server whose upstream command is not on its client's PATH", async () => {
  const { dir, env, config } = await setUp();
  const strict = await runThoth(["status", "--check", "--strict", "--config", config], {
    env,
    cwd: dir,
  });
  assert.equal(strict.code, 1, strict.out + strict.err);
  const errors = strict.err.split("\n").filter((line) => line.startsWith("thoth: error: "));
  assert.equal(errors.length, 2, strict.err);
  assert.match(
    errors[0]!,
    new RegExp(
      `^thoth: error: --strict: time \\(in "${RegExp.escape(config)}"\\): "${GONE}" is not ` +
        "found on the desktop client's PATH \\(.*\\): thoth run cannot start this server's " +
        "command$",
    ),
  );
  assert.equal(errors[1], "thoth: error: 1 server(s) fail --strict");
  assert.doesNotMatch(strict.err, /thoth: warning: governed server/);
});

Deno.test("thoth status --json lists a governed server whose upstream command is not on its client's PATH, with why and the fix, and counts it", async () => {
  const { dir, env, config } = await setUp();
  for (const args of [["status", "--json"], ["status", "--json", "--check"]]) {
    const run = await runThoth([...args, "--config", config], { env, cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    const doc = JSON.parse(run.out);
    const byName = new Map<string, { notStartable: unknown[] }>(
      doc.servers.map((server: { name: string; notStartable: unknown[] }) => [server.name, server]),
    );
    assert.deepEqual(byName.get("fs")?.notStartable, [], args.join(" "));
    assert.deepEqual(byName.get("plain")?.notStartable, [], args.join(" "));
    const [found, ...more] = byName.get("time")?.notStartable as {
      command: string;
      upstream: boolean;
      problem: string;
      remedy: string;
    }[];
    assert.deepEqual(more, [], args.join(" "));
    assert.equal(found?.command, GONE);
    assert.equal(found?.upstream, true);
    assert.match(
      found?.problem ?? "",
      new RegExp(
        `^"${GONE}" is not found on the desktop client's PATH \\(.*\\): thoth run cannot start ` +
          "this server's command$",
      ),
    );
    assert.match(found?.remedy ?? "", /^run "thoth doctor": its upstream_path check shows /);
    assert.equal(doc.summary.notStartable, 1);
    // The rest of the document is as it was: the server is still governed and counted so.
    assert.equal(doc.summary.governed, 3);
    assert.deepEqual(byName.get("time")?.notStartable.length, 1);
  }
});
