/**
 * The endpoint id of an OS machine id is the first 32 hex digits of an
 * HMAC-SHA256 under a fixed key. `thoth run` records it, so it is computed
 * without `node:crypto`; it must stay byte-identical to what `node:crypto`
 * gives (the ids doctor and health reported before stay the same). Only this
 * test loads `node:crypto`, to compare against.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { resolveEndpointId } from "../../src/identity/endpoint_identity.ts";

/** What `node:crypto` makes of a machine id (trimmed and lower-cased, as resolveEndpointId does). */
function nodeDigest(machineId: string): string {
  const digest = createHmac("sha256", "thoth endpoint id v1")
    .update(machineId.trim().toLowerCase(), "utf8")
    .digest("hex");
  return `mid-${digest.slice(0, 32)}`;
}

const MACHINE_IDS = [
  "0123456789abcdef0123456789abcdef",
  "4C4C4544-0042-3510-8051-B7C04F4E3332",
  "  ffffffffffffffffffffffffffffffff\n",
  "a",
  // Longer than one SHA-256 block, and non-ASCII: UTF-8 bytes are what is hashed.
  "machine-\u00e9\u4e2d\u{1f600}-".repeat(12),
];

Deno.test("resolveEndpointId() hashes a machine id exactly as node:crypto's HMAC-SHA256 does", () => {
  for (const value of MACHINE_IDS) {
    const id = resolveEndpointId({
      env: {},
      machineId: { value, origin: "/etc/machine-id" },
      hostname: null,
    });
    assert.equal(id?.source, "os_machine_id", JSON.stringify(value));
    assert.equal(id?.id, nodeDigest(value), JSON.stringify(value));
  }
  // The check can fail: another key gives another id.
  const other = createHmac("sha256", "thoth endpoint id v2").update("a", "utf8").digest("hex");
  assert.notEqual(nodeDigest("a"), `mid-${other.slice(0, 32)}`);
});
