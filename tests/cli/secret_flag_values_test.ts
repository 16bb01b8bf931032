/**
 * A value given on the command line that looks like a key or token is shown
 * by fingerprint only, as the same value in a THOTH_* variable is: in the
 * refusals of `thoth run`'s flags, of `policy explain --intent`, of an
 * approval id, of a numeric option, and of the parser's own refusals.
 */
import assert from "node:assert/strict";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

const AWS = "AKIAIOSFODNN7EXAMPLE";
const GITHUB = "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

async function thoth(args: string[]) {
  const home = await tempFolder("thoth-secret-flags-");
  return await runThoth(args, { env: { THOTH_HOME: home, HOME: home }, cwd: home });
}

Deno.test("thoth run's flag refusals show a key-like value by fingerprint only", async () => {
  const cases: [string[], RegExp][] = [
    [["--tenant-id", AWS], /^thoth: error: --tenant-id: \(value hidden: .*\) is not a DNS label$/m],
    [
      ["--agent-id", `${GITHUB}/x`],
      /^thoth: error: --agent-id: \(value hidden: .*\) is not a valid agent id$/m,
    ],
    [
      ["--enforcement-mode", GITHUB],
      /^thoth: error: option '--enforcement-mode <mode>' argument \(value hidden: .*\) is invalid/m,
    ],
    [
      ["--max-line-bytes", GITHUB],
      /^thoth: error: --max-line-bytes: \(value hidden: .*\) is not a size/m,
    ],
    [
      ["--approval-timeout", GITHUB],
      /^thoth: error: --approval-timeout: \(value hidden: .*\) is not a plain decimal number/m,
    ],
    [
      ["--shutdown-grace-ms", GITHUB],
      /^thoth: error: --shutdown-grace-ms: \(value hidden: .*\) is not a plain decimal number/m,
    ],
  ];
  for (const [flags, error] of cases) {
    const value = flags[1]!;
    // With a server command (the plain reader) and without one (the full parser).
    for (const tail of [["--", "true"], []]) {
      const run = await thoth(["run", ...flags, ...tail]);
      assert.equal(run.code, 2, run.err);
      assert.match(run.err, error);
      assert.ok(run.err.includes(secretFingerprint(value)), run.err);
      assert.ok(!run.err.includes(value.slice(0, 12)), run.err);
      assert.equal(run.out, "");
    }
  }
});

Deno.test("thoth policy explain --intent shows a key-like intent by fingerprint only", async () => {
  const run = await thoth([
    "policy",
    "explain",
    "--server",
    "fs",
    "--tool",
    "x",
    "--intent",
    GITHUB,
  ]);
  assert.equal(run.code, 1, run.err);
  assert.match(
    run.err,
    new RegExp(
      `^thoth: error: intent \\(value hidden: .*${
        secretFingerprint(GITHUB)
      }\\) is not in the policy$`,
      "m",
    ),
  );
  assert.match(run.err, /^thoth: hint: use one of: /m);
  assert.ok(!run.err.includes("ghp_"), run.err);
  const plain = await thoth([
    "policy",
    "explain",
    "--server",
    "fs",
    "--tool",
    "x",
    "--intent",
    "shopping",
  ]);
  assert.match(plain.err, /^thoth: error: intent "shopping" is not in the policy$/m);
});

Deno.test("other commands show a key-like value they refuse by fingerprint only", async () => {
  for (
    const args of [
      ["approvals", "approve", GITHUB],
      ["audit", "tail", "--lines", GITHUB],
      ["audit", "prove", "--seq", GITHUB],
      ["approvals", "watch", "--interval", GITHUB],
      ["policy", "explain", "--server", "fs", "--tool", "x", "--mode", GITHUB],
      [GITHUB],
    ]
  ) {
    const run = await thoth(args);
    assert.ok(run.code !== 0, run.err);
    assert.match(
      run.err,
      /^thoth: error: .*\(value hidden: it looks like a key or token, fingerprint [0-9a-f]{8}\)/m,
    );
    assert.ok(!run.err.includes("ghp_"), `${args.join(" ")}: ${run.err}`);
  }
});

Deno.test("thoth status shows a key-like intent by fingerprint only, in its table and its refusals", async () => {
  const home = await tempFolder("thoth-secret-status-");
  const config = `${home}/claude_desktop_config.json`;
  const thothPath = Deno.execPath();
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      mcpServers: {
        fs: {
          command: thothPath,
          args: ["run", "--agent-id", "fs", "--intent", GITHUB, "--", "node", "server.js"],
          env: { THOTH_WRAP: `v1;thoth=${thothPath}` },
        },
      },
    }),
  );
  for (const json of [false, true]) {
    const run = await runThoth(["status", "--config", config, ...(json ? ["--json"] : [])], {
      env: { THOTH_HOME: `${home}/profile`, HOME: home },
      cwd: home,
    });
    assert.ok(!run.out.includes(GITHUB) && !run.err.includes(GITHUB), run.out + run.err);
    assert.ok(
      run.out.includes(secretFingerprint(GITHUB)) || run.err.includes(secretFingerprint(GITHUB)),
      run.out + run.err,
    );
  }
});
