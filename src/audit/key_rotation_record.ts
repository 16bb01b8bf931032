/**
 * Rotates the device's signing key (see `device_keys.ts`) and makes the
 * `key_rotation` record the audit writer appends for it: the old and new
 * key hashes, the new verifier key, and the old key's endorsement of it.
 * The writer signs its next checkpoint with the new key it returns.
 *
 * @example
 * ```ts
 * const { record, signer, publicKeys } = await keyRotation(home, new Date());
 * // record: { type: "key_rotation", oldKeyHash, newKeyHash, newVerifierKey, endorsement }
 * ```
 */
import { type DeviceKeys, type PublicKeyEntry, rotateDeviceSigningKey } from "./device_keys.ts";
import { toBase64 } from "./encoding.ts";
import { keyRotationMessage, type LogEvent } from "./record.ts";
import { noteVerifierKey } from "./signed_note.ts";

const encoder = new TextEncoder();

/** A signing key rotated: the record that says so, and the new key with the keys' history. */
export interface KeyRotation {
  record: LogEvent;
  signer: DeviceKeys["signer"];
  publicKeys: PublicKeyEntry[];
}

/** Replaces the signing key of the device under `thothHome` at `now`; the record to append. */
export async function keyRotation(thothHome: string, now: Date): Promise<KeyRotation> {
  const { old, next, publicKeys } = await rotateDeviceSigningKey(thothHome, now);
  const newVerifierKey = await noteVerifierKey(next.name, next.publicKey);
  const endorsement = new Uint8Array(
    await crypto.subtle.sign(
      "Ed25519",
      old.privateKey,
      encoder.encode(keyRotationMessage(newVerifierKey)),
    ),
  );
  return {
    record: {
      type: "key_rotation",
      oldKeyHash: old.keyHash,
      newKeyHash: next.keyHash,
      newVerifierKey,
      endorsement: toBase64(endorsement),
    },
    signer: next,
    publicKeys,
  };
}
