/**
 * The endpoint id is resolved one way for `thoth run`, `thoth doctor` and
 * `thoth health`: a managed-id variable that is set but not a valid id (a
 * space, surrounding blanks, a key) stops the resolution and is reported as
 * invalid, never trimmed or passed over for the next source; a key is never
 * shown, only its fingerprint; a `HOSTNAME` or system host name that is not a
 * host name (a control character, an escape sequence, too long) is passed
 * over for the next source.
 */
import assert from "node:assert/strict";
import {
  isEndpointHostName,
  judgeEndpointId,
  resolveEndpointId,
} from "../../src/identity/endpoint_identity.ts";
import { reportedEndpointId } from "../../src/identity/reported_endpoint_id.ts";
import { flaggedAsKey } from "../../src/identity/id_flagged_as_key.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";

const ANTHROPIC = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";
const THOTH_KEY = "aten_thoth_agent_prod_3f9a1c7e2b8d4f6a0c5e9b1d7f3a8c2e";

Deno.test("judgeEndpointId() stops at an invalid managed id instead of using the next one", () => {
  for (const value of ["bad id", "  dev-1  ", "dev-1\n", ANTHROPIC, THOTH_KEY]) {
    const judged = judgeEndpointId({
      env: { THOTH_INTUNE_DEVICE_ID: value, THOTH_JAMF_COMPUTER_ID: "1042", HOSTNAME: "h" },
      machineId: null,
      hostname: "sys-host",
    }, flaggedAsKey);
    assert.deepEqual(judged, { invalid: "THOTH_INTUNE_DEVICE_ID" }, JSON.stringify(value));
  }
  // The same with the key test thoth run's resolution loads no detector for.
  assert.deepEqual(
    judgeEndpointId({ env: { INTUNE_DEVICE_ID: THOTH_KEY }, machineId: null, hostname: null }),
    { invalid: "INTUNE_DEVICE_ID" },
  );
});

Deno.test("reportedEndpointId() names the invalid variable, a key by fingerprint only", () => {
  for (const key of [ANTHROPIC, THOTH_KEY]) {
    const { identity, problem } = reportedEndpointId({
      env: { THOTH_INTUNE_DEVICE_ID: key },
      machineId: { value: "0123456789abcdef0123456789abcdef", origin: "/etc/machine-id" },
      hostname: "sys-host",
    }, "linux");
    assert.equal(identity, null);
    assert.equal(problem?.variable, "THOTH_INTUNE_DEVICE_ID");
    assert.ok(!problem!.message.includes(key.slice(-20)), problem!.message);
    assert.ok(problem!.message.includes(secretFingerprint(key)), problem!.message);
  }
  const blanks = reportedEndpointId({
    env: { THOTH_INTUNE_DEVICE_ID: "  dev-1  " },
    machineId: null,
    hostname: null,
  }, "linux");
  assert.equal(blanks.identity, null);
  assert.ok(
    blanks.problem?.message.startsWith('THOTH_INTUNE_DEVICE_ID "  dev-1  " is not valid'),
    blanks.problem?.message,
  );
  const valid = reportedEndpointId({
    env: { THOTH_INTUNE_DEVICE_ID: "dev-1" },
    machineId: null,
    hostname: null,
  }, "linux");
  assert.deepEqual(valid, {
    identity: { id: "dev-1", source: "managed_device_id", origin: "THOTH_INTUNE_DEVICE_ID" },
    problem: null,
  });
});

Deno.test("a HOSTNAME that is not a host name gives way to the system's, then to none", () => {
  const bad = [
    "evil\x1b]0;pwned\x07host",
    "host\nsession_start",
    "host\x07",
    " host ",
    "a".repeat(254),
    `${"a".repeat(64)}.example`,
    "-host",
    "sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2",
  ];
  for (const value of bad) {
    assert.equal(isEndpointHostName(value), false, JSON.stringify(value));
    assert.deepEqual(
      resolveEndpointId({ env: { HOSTNAME: value }, machineId: null, hostname: "sys-host" }),
      { id: "sys-host", source: "hostname", origin: "hostname" },
      JSON.stringify(value),
    );
    assert.equal(
      resolveEndpointId({ env: { HOSTNAME: value }, machineId: null, hostname: value }),
      null,
      JSON.stringify(value),
    );
  }
  for (
    const value of [
      "ana-laptop",
      "DESKTOP-AB12CD3",
      "Anas-MacBook-Pro.local",
      "ip-10-0-0-1.eu-west-1.compute.internal",
      "build_agent_7",
      "3f9a1c7e2b8d",
      `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`,
    ]
  ) {
    assert.equal(isEndpointHostName(value), true, value);
    assert.equal(
      resolveEndpointId({ env: { HOSTNAME: value }, machineId: null, hostname: "x" })?.id,
      value,
    );
  }
});

Deno.test("the session thoth run records never takes a HOSTNAME with control characters", async () => {
  const { sessionEndpoint } = await import("../../src/cli/prepare_session.ts");
  const evil = "evil\x1b]0;pwned\x07\nhost";
  const endpoint = await sessionEndpoint({ HOSTNAME: evil }, () => Promise.resolve(null), 1000);
  assert.notEqual(endpoint?.id, evil);
  assert.ok(endpoint === null || isEndpointHostName(endpoint.id), JSON.stringify(endpoint));
});
