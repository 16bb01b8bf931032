/**
 * `wrap-config --env THOTH_INTENT=…` (or `THOTH_ENFORCEMENT_MODE`,
 * `THOTH_AGENT_ID`, a misspelt `THOTH_TENNANT_ID`, any `THOTH_*` name thoth
 * reads nowhere) would be written into every server's `env` and change
 * nothing: `thoth run` only warns about it later, in the client's log. It is
 * a usage error (exit 2, nothing written) naming the wrap-config flag that
 * does what was meant, or the variable it is a near miss of. The variables
 * thoth knows are written as before.
 */
import assert from "node:assert/strict";
import { inTempDir, thoth } from "./_config_cli.ts";

const PLAIN = JSON.stringify({ mcpServers: { db: { command: "/usr/bin/mcp-clock", args: [] } } });

/** `wrap-config --env PAIR c.json` over {@linkcode PLAIN}, and the config after it. */
async function wrapWithEnv(
  dir: string,
  pair: string,
): Promise<{ code: number; err: string; text: string }> {
  const path = `${dir}/c.json`;
  await Deno.writeTextFile(path, PLAIN);
  const run = await thoth(
    [
      "wrap-config",
      "--tenant-id",
      "acme",
      "--env",
      "THOTH_USER_ID=ana@example.com",
      "--env",
      pair,
      path,
    ],
    { cwd: dir },
  );
  return { code: run.code, err: run.err, text: await Deno.readTextFile(path) };
}

const CASES: { pair: string; error: string; hint: RegExp }[] = [
  {
    pair: "THOTH_INTENT=calendar_management",
    error: "--env THOTH_INTENT is not a variable thoth reads",
    hint: /--intent-map FILE/,
  },
  {
    pair: "THOTH_ENFORCEMENT_MODE=observe",
    error: "--env THOTH_ENFORCEMENT_MODE is not a variable thoth reads",
    hint: /use --enforcement-mode MODE/,
  },
  {
    pair: "THOTH_AGENT_ID=db",
    error: "--env THOTH_AGENT_ID is not a variable thoth reads",
    hint: /--agent-id from its name in the config/,
  },
  {
    pair: "THOTH_TENNANT_ID=acme",
    error: "--env THOTH_TENNANT_ID is not a variable thoth reads",
    hint: /did you mean THOTH_TENANT_ID\?/,
  },
  {
    pair: "THOTH_POLICY=/etc/thoth/p.jsonc",
    error: "--env THOTH_POLICY is not a variable thoth reads",
    hint: /"thoth run --policy" flag/,
  },
];

for (const { pair, error, hint } of CASES) {
  Deno.test(`wrap-config --env ${pair.split("=")[0]} is a usage error naming what to use`, () =>
    inTempDir(async (dir) => {
      const run = await wrapWithEnv(dir, pair);
      assert.equal(run.code, 2, run.err);
      assert.ok(run.err.includes(`thoth: error: ${error}`), run.err);
      assert.match(run.err, hint);
      assert.match(run.err, /nothing was written/);
      assert.equal(run.text, PLAIN);
    }));
}

Deno.test("wrap-config --env with a variable thoth reads is written as before", () =>
  inTempDir(async (dir) => {
    const run = await wrapWithEnv(dir, "THOTH_APEX_DOMAIN=example.com");
    assert.equal(run.code, 0, run.err);
    const env = JSON.parse(run.text).mcpServers.db.env;
    assert.equal(env.THOTH_APEX_DOMAIN, "example.com");
    assert.equal(env.THOTH_USER_ID, "ana@example.com");
  }));
