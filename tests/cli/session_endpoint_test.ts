/**
 * The endpoint id a session records: a managed device id when one is set,
 * else the machine id's keyed digest, else the host name; a machine-id read
 * that never answers (an `ioreg` or `reg` that hangs) does not hold the
 * session: after the wait the host name stands in.
 */
import assert from "node:assert/strict";
import { sessionEndpoint } from "../../src/cli/prepare_session.ts";

Deno.test("a machine-id read that never answers gives way to the host name", async () => {
  const never = () => new Promise<null>(() => {});
  const endpoint = await sessionEndpoint({}, never, 50);
  assert.equal(endpoint?.source, "hostname");
});

Deno.test("a machine id read in time is used, and a managed device id wins over both", async () => {
  const read = () => Promise.resolve({ value: "0123456789abcdef0123456789abcdef", origin: "test" });
  const fromMachine = await sessionEndpoint({}, read, 1000);
  assert.notEqual(fromMachine?.source, "hostname", JSON.stringify(fromMachine));
  const managed = await sessionEndpoint({ THOTH_INTUNE_DEVICE_ID: "dev-1" }, read, 1000);
  assert.deepEqual([managed?.id, managed?.source], ["dev-1", "managed_device_id"]);
});
