/**
 * `thoth run` reads the environment with plain checks and falls back to the
 * zod validator only when a variable is bad: the two must agree on every
 * value of the shared case table, alone and combined.
 */
import assert from "node:assert/strict";
import { quickThothEnv, readThothEnv } from "../../src/identity/quick_thoth_env.ts";
import { parseThothEnv } from "../../src/identity/thoth_env.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { ENV_CASES } from "./_env_cases.ts";

function comparable(env: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(env).map((
      [k, v],
    ) => [k, v !== null && typeof v === "object" && "reveal" in v ? `secret:${v.reveal()}` : v]),
  );
}

function assertAgrees(snapshot: Record<string, string>): boolean {
  const quick = quickThothEnv(snapshot, "linux");
  const full = validateThothEnv(snapshot, "linux");
  assert.equal(quick !== undefined, full.ok, JSON.stringify(snapshot));
  if (quick !== undefined && full.ok) {
    assert.deepEqual(comparable(quick.env), comparable(full.env));
    assert.deepEqual(quick.warnings, full.warnings);
  }
  return full.ok;
}

Deno.test("the plain environment checks agree with the schema on every case", () => {
  let valid = 0;
  let invalid = 0;
  for (const { variable, valid: good, invalid: bad } of ENV_CASES) {
    for (const value of good) assert.equal(assertAgrees({ [variable]: value }), true), valid++;
    for (const value of bad) assert.equal(assertAgrees({ [variable]: value }), false), invalid++;
  }
  assert.ok(valid > 20 && invalid > 20, `${valid} valid, ${invalid} invalid`);
});

Deno.test("combined environments agree too, with defaults, empties and the deprecated URL", () => {
  const all: Record<string, string> = {};
  for (const { variable, valid } of ENV_CASES) all[variable] = valid[0]!;
  assert.equal(assertAgrees(all), true);
  assert.equal(assertAgrees({}), true);
  assert.equal(assertAgrees({ THOTH_TENANT_ID: "", THOTH_ENV: "" }), true);
  assert.equal(assertAgrees({ ...all, THOTH_ENFORCER_URL: "https://old.example.com" }), true);
  for (const { variable, invalid } of ENV_CASES) {
    assert.equal(assertAgrees({ ...all, [variable]: invalid[0]! }), false, variable);
  }
});

Deno.test("readThothEnv falls back to the schema's message for a bad variable", async () => {
  const snapshot = { THOTH_TENANT_ID: "Acme", THOTH_ENV: "staging" };
  let expected = "";
  try {
    parseThothEnv(snapshot);
  } catch (error) {
    expected = (error as Error).message;
  }
  assert.match(expected, /THOTH_TENANT_ID "Acme" is not valid/);
  await assert.rejects(() => readThothEnv(snapshot), (error: Error) => {
    assert.equal(error.message, expected);
    return true;
  });
  assert.equal((await readThothEnv({ THOTH_ENV: "staging" })).env.environment, "staging");
});
