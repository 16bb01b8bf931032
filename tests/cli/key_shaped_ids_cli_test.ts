/**
 * A key given where an id or a path belongs never reaches a message, the
 * audit log or DNS, through the real `thoth`:
 *
 * - `--tenant-id`, `THOTH_TENANT_ID`, `--agent-id` and an agent id derived
 *   from the server command that looks like a key are refused before the
 *   session starts: a usage error naming the flag or variable, the value by
 *   fingerprint only, and what to fix; the client's first request is answered
 *   with the refusal, thoth exits 2, and no audit log is written;
 * - ordinary ids (`acme`, `your-org`, `everything`, `gdrive`, a UUID) pass;
 * - a credential pasted into `THOTH_API_KEY_FILE` or `THOTH_AUTH_TOKEN_FILE`
 *   is shown by fingerprint only by `thoth run`, `doctor` and `health --json`;
 * - an excess argument that looks like a key (`set-api-key sk_live_…`) is
 *   shown by fingerprint only.
 */
import assert from "node:assert/strict";
import { parseRunArgs } from "../../src/cli/run_flags.ts";
import { checkAgentId, checkTenantId } from "../../src/cli/check_run_ids.ts";
import { AppError } from "../../src/errors.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { pathExists } from "../../src/platform/path_exists.ts";
import { initializeLine } from "../e2e/_harness.ts";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

const OPENAI_LIKE = "sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2";
const STRIPE_LIKE = "sk_live_SECRETSECRET0123456789";
const GITHUB = "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5";
const ORDINARY = [
  "acme",
  "your-org",
  "everything",
  "gdrive",
  "123e4567-e89b-12d3-a456-426614174000",
];

const INITIALIZE = initializeLine();

/** A server command that leaves `marker` behind the moment it starts. */
function markerServer(marker: string): string[] {
  return [Deno.execPath(), "eval", "Deno.writeTextFileSync(Deno.args[0], 'started')", marker];
}

async function home(): Promise<string> {
  return await tempFolder("thoth-key-ids-");
}

/** Every text the user or the client sees, with no trace of `secret` but its fingerprint. */
function assertHidden(text: string, secret: string): void {
  assert.ok(!text.includes(secret), `shown in clear:\n${text}`);
  assert.ok(!text.includes(secret.slice(-12)), `partly shown:\n${text}`);
  assert.ok(text.includes(secretFingerprint(secret)), `no fingerprint:\n${text}`);
}

Deno.test("the run flag checks refuse a key as --agent-id or --tenant-id with a usage error", () => {
  for (
    const [check, flag] of [[checkAgentId, "--agent-id"], [checkTenantId, "--tenant-id"]] as const
  ) {
    for (const key of [OPENAI_LIKE, ...(flag === "--agent-id" ? [STRIPE_LIKE, GITHUB] : [])]) {
      assert.throws(() => check(key), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.exitCode, 2);
        assert.ok(error.message.startsWith(`${flag} (value hidden`), error.message);
        assertHidden(error.message, key);
        assert.ok(error.hints.some((hint) => hint.includes(flag)), error.hints.join("\n"));
        return true;
      });
    }
    for (const id of ORDINARY) assert.equal(check(id), id);
  }
});

Deno.test("parseRunArgs() turns a key-shaped id into a refusal the client gets without the value", () => {
  const cases: [string[], string, string][] = [
    [["--agent-id", STRIPE_LIKE, "--", "node", "s.js"], "--agent-id", STRIPE_LIKE],
    [["--tenant-id", OPENAI_LIKE, "--", "node", "s.js"], "--tenant-id", OPENAI_LIKE],
    [["--", "npx", "-y", GITHUB], "--agent-id", GITHUB],
    [["npx", "-y", GITHUB], "--agent-id", GITHUB],
  ];
  for (const [args, flag, key] of cases) {
    const refusal = parseRunArgs(args)?.options.refusal;
    assert.ok(refusal !== undefined, args.join(" "));
    assert.equal(refusal.error.code, "usage.key_as_id");
    assertHidden(refusal.error.message, key);
    assert.ok(!refusal.wire.includes(key.slice(0, 8)), refusal.wire);
    assert.ok(refusal.wire.includes(flag), refusal.wire);
  }
  // Named by --agent-id, the same command is not refused.
  assert.equal(
    parseRunArgs(["--agent-id", "gh", "--", "npx", "-y", GITHUB])?.options.refusal,
    undefined,
  );
  for (const id of ORDINARY) {
    const parsed = parseRunArgs(["--agent-id", id, "--tenant-id", id, "--", "node", "s.js"]);
    assert.equal(parsed?.options.refusal, undefined, id);
    assert.equal(parsed?.options.agentId, id);
    assert.equal(parsed?.options.tenantId, id);
  }
  assert.equal(
    parseRunArgs(["--", "npx", "-y", "@modelcontextprotocol/server-gdrive"])?.options.refusal,
    undefined,
  );
});

Deno.test("thoth run answers the client with the refusal of a key-shaped id, starts nothing, logs nothing", async () => {
  const cases: { args: string[]; env?: Record<string, string>; key: string; named: RegExp }[] = [
    { args: ["--agent-id", STRIPE_LIKE], key: STRIPE_LIKE, named: /--agent-id/ },
    { args: ["--tenant-id", OPENAI_LIKE], key: OPENAI_LIKE, named: /--tenant-id/ },
    {
      args: [],
      env: { THOTH_TENANT_ID: OPENAI_LIKE, THOTH_USER_ID: "ana@example.com" },
      key: OPENAI_LIKE,
      named: /THOTH_TENANT_ID/,
    },
  ];
  for (const { args, env, key, named } of cases) {
    const dir = await home();
    const marker = `${dir}/started`;
    const result = await runThoth(["run", ...args, "--", ...markerServer(marker)], {
      env: { THOTH_HOME: `${dir}/thoth`, HOME: dir, ...env },
      cwd: dir,
      stdin: INITIALIZE,
    });
    // A refused flag is a usage error (2); a refused variable, thoth's environment error (1).
    assert.equal(result.code, env === undefined ? 2 : 1, result.err);
    assertHidden(result.err, key);
    assert.match(result.err, named);
    const answer = JSON.parse(result.out.split("\n")[0]!);
    assert.equal(answer.id, 1);
    assert.match(
      answer.error.message,
      /thoth (refused to start this MCP server|cannot govern this server)/,
    );
    assert.ok(!result.out.includes(key.slice(0, 8)), result.out);
    assert.equal(await pathExists(marker), false, "the server started");
    assert.equal(await pathExists(`${dir}/thoth/audit`), false, "an audit log was written");
  }
});

Deno.test("thoth run refuses a server command that would name its agent id by a key", async () => {
  const dir = await home();
  const result = await runThoth(["run", "--", "npx", "-y", GITHUB], {
    env: { THOTH_HOME: `${dir}/thoth`, HOME: dir },
    cwd: dir,
    stdin: INITIALIZE,
  });
  assert.equal(result.code, 2, result.err);
  assertHidden(result.err, GITHUB);
  assert.ok(!result.err.toLowerCase().includes(GITHUB.slice(0, 10).toLowerCase()), result.err);
  assert.match(result.err, /--agent-id/);
  const answer = JSON.parse(result.out.split("\n")[0]!);
  assert.match(answer.error.message, /name the server with --agent-id/);
  assert.ok(!result.out.toLowerCase().includes(GITHUB.slice(0, 10).toLowerCase()), result.out);
});

Deno.test("a credential pasted into a key file variable is shown by fingerprint only by run, doctor and health", async () => {
  const values: [string, string][] = [
    ["THOTH_API_KEY_FILE", "ya29.a0AfH6SMBx3kLmN0pQrStUvWxYz12AbCdEfGhIjKlMnOp"],
    ["THOTH_AUTH_TOKEN_FILE", "Xy8Q~kLmN0pQrStUvWxYz12.AbCdEfGhIjKlMnOp"],
    ["THOTH_API_KEY_FILE", "qwertzuiopasdfghjklyxcvbnmqwertzuiopasdf"],
  ];
  for (const [variable, value] of values) {
    const dir = await home();
    const options = { env: { THOTH_HOME: `${dir}/thoth`, HOME: dir, [variable]: value }, cwd: dir };
    const run = await runThoth(["run", "--agent-id", "t", "--", Deno.execPath(), "--version"], {
      ...options,
      stdin: INITIALIZE,
    });
    const doctor = await runThoth(["doctor"], options);
    const health = await runThoth(["health", "--json"], options);
    const seen: [string, string][] = [
      ["run", run.err],
      ["doctor", doctor.out + doctor.err],
      ["health", health.out + health.err],
    ];
    for (const [what, text] of seen) {
      assert.ok(text.includes(variable), `${what} does not name ${variable}:\n${text}`);
      assertHidden(text, value);
    }
    const problems = JSON.parse(health.out).environment.problems as string[];
    assert.ok(problems.some((p) => p.startsWith(`${variable} (value hidden`)), problems.join("\n"));
  }
});

Deno.test("an excess argument that looks like a key is shown by fingerprint; a plain one as given", async () => {
  const dir = await home();
  const options = { env: { THOTH_HOME: `${dir}/thoth`, HOME: dir }, cwd: dir, stdin: "x" };
  const keyed = await runThoth(["status", STRIPE_LIKE], options);
  assert.equal(keyed.code, 2);
  assert.match(keyed.err, /too many arguments/);
  assertHidden(keyed.err, STRIPE_LIKE);
  const plain = await runThoth(["status", "extra-word"], options);
  assert.equal(plain.code, 2);
  assert.match(plain.err, /but got 1: extra-word\./);
  // Under set-api-key any extra argument may be the rest of a key: it is counted, not shown
  // (see set_api_key_values_test.ts).
  const secret = await runThoth(["set-api-key", "--api-key", "-", STRIPE_LIKE], options);
  assert.equal(secret.code, 2);
  assert.ok(!secret.err.includes(STRIPE_LIKE.slice(-12)), secret.err);
});

Deno.test("a key only the detectors know, as --agent-id, is refused before the session is recorded", async () => {
  // No random part (the flag reader's test passes it); the Slack detector flags it.
  const slack = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
  assert.equal(parseRunArgs(["--agent-id", slack, "--", "node"])?.options.refusal, undefined);
  const dir = await home();
  const marker = `${dir}/started`;
  const result = await runThoth(["run", "--agent-id", slack, "--", ...markerServer(marker)], {
    env: { THOTH_HOME: `${dir}/thoth`, HOME: dir },
    cwd: dir,
    stdin: INITIALIZE,
  });
  assert.notEqual(result.code, 0, result.err);
  assertHidden(result.err, slack);
  assert.match(result.err, /--agent-id/);
  assert.match(JSON.parse(result.out.split("\n")[0]!).error.message, /cannot govern this server/);
  assert.ok(!result.out.includes("xoxb"), result.out);
  assert.equal(await pathExists(marker), false, "the server started");
  assert.equal(await pathExists(`${dir}/thoth/audit`), false, "an audit log was written");
});
