import assert from "node:assert/strict";
import { resolveEndpointId } from "../../src/identity/endpoint_identity.ts";

const machineId = { value: "0123456789abcdef0123456789abcdef", origin: "/etc/machine-id" };
const all = {
  THOTH_INTUNE_DEVICE_ID: "intune-thoth",
  INTUNE_DEVICE_ID: "intune-plain",
  THOTH_JAMF_COMPUTER_ID: "jamf-thoth",
  JAMF_COMPUTER_ID: "jamf-plain",
  HOSTNAME: "env-host",
};

Deno.test("resolveEndpointId() prefers the Intune id", () => {
  const id = resolveEndpointId({ env: all, machineId, hostname: "sys-host" });
  assert.deepEqual(id, {
    id: "intune-thoth",
    source: "managed_device_id",
    origin: "THOTH_INTUNE_DEVICE_ID",
  });
});

Deno.test("resolveEndpointId() walks the managed ids in the documented order", () => {
  const order = [
    "THOTH_INTUNE_DEVICE_ID",
    "INTUNE_DEVICE_ID",
    "THOTH_JAMF_COMPUTER_ID",
    "JAMF_COMPUTER_ID",
  ];
  for (let i = 0; i < order.length; i++) {
    const env: Record<string, string> = { HOSTNAME: "env-host" };
    for (const name of order.slice(i)) env[name] = all[name as keyof typeof all];
    const id = resolveEndpointId({ env, machineId, hostname: "sys-host" });
    assert.equal(id?.origin, order[i]);
    assert.equal(id?.source, "managed_device_id");
  }
});

Deno.test("resolveEndpointId() skips an empty managed id, and stops at a malformed one", () => {
  const id = resolveEndpointId({
    env: { THOTH_INTUNE_DEVICE_ID: "", INTUNE_DEVICE_ID: "intune-plain" },
    machineId,
    hostname: null,
  });
  assert.equal(id?.origin, "INTUNE_DEVICE_ID");
  // thoth run refuses such an environment: no later source stands in for it.
  const stopped = resolveEndpointId({
    env: { THOTH_INTUNE_DEVICE_ID: "", INTUNE_DEVICE_ID: "bad id", JAMF_COMPUTER_ID: "1042" },
    machineId,
    hostname: "sys-host",
  });
  assert.equal(stopped, null);
});

Deno.test("resolveEndpointId() uses a keyed hash of the OS machine id, never the raw id", () => {
  const id = resolveEndpointId({ env: { HOSTNAME: "env-host" }, machineId, hostname: "sys-host" });
  assert.equal(id?.source, "os_machine_id");
  assert.equal(id?.origin, "/etc/machine-id");
  assert.match(id?.id ?? "", /^mid-[0-9a-f]{32}$/);
  assert.ok(!id?.id.includes(machineId.value));
  const again = resolveEndpointId({
    env: {},
    machineId: { value: machineId.value.toUpperCase(), origin: "MachineGuid" },
    hostname: null,
  });
  assert.equal(again?.id, id?.id, "the same machine id gives the same endpoint id");
});

Deno.test("resolveEndpointId() falls back to HOSTNAME, then the system host name", () => {
  assert.deepEqual(
    resolveEndpointId({ env: { HOSTNAME: "env-host" }, machineId: null, hostname: "sys-host" }),
    { id: "env-host", source: "hostname", origin: "HOSTNAME" },
  );
  assert.deepEqual(
    resolveEndpointId({ env: {}, machineId: null, hostname: "sys-host" }),
    { id: "sys-host", source: "hostname", origin: "hostname" },
  );
});

Deno.test("resolveEndpointId() returns null when no source has an id", () => {
  assert.equal(
    resolveEndpointId({ env: { HOSTNAME: " " }, machineId: null, hostname: null }),
    null,
  );
});
