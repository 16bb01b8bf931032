/**
 * `thoth run` reads the environment with plain checks and falls back to the
 * zod validator only when a variable is bad: the two must agree on every
 * value of the shared case table, alone and combined.
 */
import assert from "node:assert/strict";
import { quickThothEnv, readThothEnv } from "../../src/identity/quick_thoth_env.ts";
import { parseThothEnv } from "../../src/identity/thoth_env.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { flaggedAsKey } from "../../src/identity/id_flagged_as_key.ts";
import { ENV_CASES } from "./_env_cases.ts";

function comparable(env: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(env).map((
      [k, v],
    ) => [k, v !== null && typeof v === "object" && "reveal" in v ? `secret:${v.reveal()}` : v]),
  );
}

/**
 * The quick check, with the key detectors judging ids (as `readThothEnv`'s
 * second pass runs it), agrees with the schema on every value; its first
 * pass, without the detectors, may leave a value to the second (it answers
 * `undefined`) but never accepts what the schema refuses.
 */
function assertAgrees(snapshot: Record<string, string>): boolean {
  const quick = quickThothEnv(snapshot, "linux", flaggedAsKey);
  const full = validateThothEnv(snapshot, "linux");
  assert.equal(quick !== undefined, full.ok, JSON.stringify(snapshot));
  if (!full.ok) assert.equal(quickThothEnv(snapshot, "linux"), undefined, "first pass accepted");
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
    for (const value of good) {
      assert.equal(assertAgrees({ [variable]: value }), true);
      // Every valid value of the table takes the quick path: none is left to the schema.
      assert.notEqual(
        quickThothEnv({ [variable]: value }, "linux", flaggedAsKey),
        undefined,
        value,
      );
      valid++;
    }
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

Deno.test("a key in an id variable is never accepted by the quick check", () => {
  const anthropic = "sk-ant-api03-" + "Qw3rTy_uI0p-As9dFg".repeat(6).slice(0, 93) + "AA";
  for (const variable of ["THOTH_FLEET_ID", "THOTH_INTUNE_DEVICE_ID", "JAMF_COMPUTER_ID"]) {
    for (const key of [anthropic, "AKIAZ4XQ7M2PLK5RTS3B"]) {
      assert.equal(quickThothEnv({ [variable]: key }, "linux"), undefined, variable);
      assert.equal(quickThothEnv({ [variable]: key }, "linux", flaggedAsKey), undefined, variable);
      assert.equal(assertAgrees({ [variable]: key }), false, variable);
    }
  }
  // Ordinary ids still take the quick path, hex and letters-only ones too.
  for (
    const id of [
      "fleet-eu-1",
      "5a8e3c2f-0d4b-4f9a-9d52-2b8d1c6e7f10",
      "1042",
      "2f1e6b0d7c334b1a9f0e1a2b3c4d5e6f",
      "01ARZ3NDEKTSV4RRFFQ69G5FAV",
      "ASIAPACIFICSOUTHEAST",
    ]
  ) {
    assert.notEqual(quickThothEnv({ THOTH_FLEET_ID: id }, "linux", flaggedAsKey), undefined, id);
    assert.equal(assertAgrees({ INTUNE_DEVICE_ID: id }), true, id);
  }
  // An id of capitals only is not even left to the detectors.
  assert.notEqual(quickThothEnv({ THOTH_FLEET_ID: "ASIAPACIFICSOUTHEAST" }, "linux"), undefined);
});

Deno.test("readThothEnv takes a hex device id and refuses a key in its place", async () => {
  const env = await readThothEnv({ INTUNE_DEVICE_ID: "2f1e6b0d7c334b1a9f0e1a2b3c4d5e6f" }, "linux");
  assert.equal(env.env.intuneDeviceId, "2f1e6b0d7c334b1a9f0e1a2b3c4d5e6f");
  await assert.rejects(() => readThothEnv({ THOTH_FLEET_ID: "AKIAZ4XQ7M2PLK5RTS3B" }, "linux"));
});
