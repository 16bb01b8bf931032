/**
 * A key pasted into an id variable (`THOTH_FLEET_ID`, the Intune and Jamf
 * ids) is refused when one of thoth's key detectors flags it, and the
 * problem names the variable and shows the value by fingerprint only: it is
 * never shown by `thoth health` or `thoth doctor`, nor sent as an id.
 */
import assert from "node:assert/strict";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";

/** A key of the published Anthropic shape (`sk-ant-api03-`, 93 characters, `AA`). */
const ANTHROPIC = "sk-ant-api03-" + "Qw3rTy_uI0p-As9dFg".repeat(6).slice(0, 93) + "AA";
const AWS = "AKIAZ4XQ7M2PLK5RTS3B";
const GITHUB = "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5";

const ID_VARIABLES = [
  "THOTH_FLEET_ID",
  "THOTH_INTUNE_DEVICE_ID",
  "INTUNE_DEVICE_ID",
  "THOTH_JAMF_COMPUTER_ID",
  "JAMF_COMPUTER_ID",
];

Deno.test("a key in an id variable is refused, shown by fingerprint only", () => {
  for (const variable of ID_VARIABLES) {
    for (const key of [ANTHROPIC, AWS, GITHUB]) {
      const result = validateThothEnv({ [variable]: key }, "linux");
      assert.equal(result.ok, false, `${variable} accepted ${key.slice(0, 8)}…`);
      if (result.ok) continue;
      const [problem] = result.problems;
      assert.ok(problem);
      assert.equal(problem.variable, variable);
      assert.match(problem.rule, /^an id, not a key or token/);
      assert.match(problem.message, new RegExp(`^${variable} \\(value hidden`));
      assert.ok(problem.message.includes(`fingerprint ${secretFingerprint(key)}`));
      assert.ok(!problem.message.includes(key), problem.message);
      assert.ok(!problem.shownValue.includes(key.slice(4, 16)), problem.shownValue);
    }
  }
});

Deno.test("ids that are not keys still pass: a UUID, a number, a fleet name", () => {
  const env = {
    THOTH_FLEET_ID: "fleet-eu-west-1",
    THOTH_INTUNE_DEVICE_ID: "0f8fad5b-d9cb-469f-a165-70867728950e",
    INTUNE_DEVICE_ID: "b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b",
    THOTH_JAMF_COMPUTER_ID: "1234",
    JAMF_COMPUTER_ID: "C02XK1ZZJG5H",
  };
  const result = validateThothEnv(env, "linux");
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.env.fleetId, "fleet-eu-west-1");
  assert.equal(result.env.thothIntuneDeviceId, "0f8fad5b-d9cb-469f-a165-70867728950e");
});

Deno.test("an id of letters only is never taken for a key, whatever prefix it has", () => {
  for (const id of ["ASIAPACIFICSOUTHEAST", "ACCAUNTINGLAPTOPSXYZ", "AKIAFLEETEUROPEWESTX"]) {
    const result = validateThothEnv({ THOTH_FLEET_ID: id }, "linux");
    assert.equal(result.ok, true, `${id}: ${JSON.stringify(result)}`);
  }
});

Deno.test("a key without a digit is still refused in an id variable, unless it is capitals only", () => {
  // Rare, but possible: a Google key or a GitHub token whose random part has no digit.
  const google = "AIzaSyDaGmWKaBcDeFgHiJkLmNoPqRsTuVwXyZa";
  const github = "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgHiJ";
  for (const key of [google, github]) {
    const result = validateThothEnv({ THOTH_FLEET_ID: key }, "linux");
    assert.equal(result.ok, false, `accepted ${key.slice(0, 6)}…`);
  }
});
