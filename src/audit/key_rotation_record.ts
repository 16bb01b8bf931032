/**
 * Makes a new signing key for the device (see `device_keys.ts`) and the
 * `key_rotation` record the audit writer appends for it: the old and new
 * key hashes, the new verifier key, and the old key's endorsement of it.
 * The writer puts the record on disk, then calls `replace` (the new key
 * takes the old one's place), and signs its next checkpoint with the new key.
 *
 * @example
 * ```ts
 * const { record, replace } = await keyRotation(home, new Date());
 * // append record and sync it, then:
 * await replace();
 * // record: { type: "key_rotation", oldKeyHash, newKeyHash, newVerifierKey, endorsement }
 * ```
 */
import {
  type DeviceKeys,
  type PublicKeyEntry,
  rotateDeviceSigningKey,
  type SigningKeyRotation,
} from "./device_keys.ts";
import { toBase64 } from "./encoding.ts";
import { keyRotationMessage, type LogEvent } from "./record.ts";
import { noteVerifierKey } from "./signed_note.ts";

const encoder = new TextEncoder();

/** A signing key rotated: the record that says so, and the new key with the keys' history. */
export interface KeyRotation {
  record: LogEvent;
  /** The key replaced. */
  old: DeviceKeys["signer"];
  signer: DeviceKeys["signer"];
  publicKeys: PublicKeyEntry[];
  /** Writes the new key in place of the old one: once the record is on disk. */
  replace: SigningKeyRotation["replace"];
}

/** A new signing key for the device under `thothHome` at `now`, and the record to append first. */
export async function keyRotation(thothHome: string, now: Date): Promise<KeyRotation> {
  const { old, next, publicKeys, replace } = await rotateDeviceSigningKey(thothHome, now);
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
    old,
    signer: next,
    publicKeys,
    replace,
  };
}
