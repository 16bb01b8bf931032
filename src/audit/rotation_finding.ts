/**
 * The finding for one key_rotation record once trust is worked out
 * (`key_trust.ts`): a well-formed rotation a trusted key endorsed is `info`;
 * one that names no well-formed key, or that no known key endorsed, is
 * tampering; one endorsed by a key not trusted passes no trust, and is
 * tampering unless the device's own chain of keys, or trust got without it,
 * explains it. Pure.
 *
 * @example
 * ```ts
 * rotationFinding(rotation, next, endorsers, candidates, trusted, chain).kind; // "key_rotation"
 * ```
 */
import type { Finding } from "./finding.ts";
import type { KeyCandidate as Candidate } from "./key_candidate.ts";
import type { KeyRotationFact } from "./key_rotation_fact.ts";

/**
 * What a rotation says: `next` is its new key (undefined when not well
 * formed), `endorsers` the keys whose endorsement verifies, `chain` the keys
 * the keys file's first key leads to.
 */
export function rotationFinding(
  rotation: KeyRotationFact,
  next: Candidate | undefined,
  endorsers: readonly Candidate[],
  candidates: readonly Candidate[],
  trusted: ReadonlySet<Candidate>,
  chain: ReadonlySet<Candidate>,
): Finding {
  const { seq } = rotation;
  const oldHash = String(rotation.oldKeyHash);
  if (next === undefined) {
    return {
      kind: "bad_signature",
      severity: "tamper",
      seq,
      message: `the key rotation at seq ${seq} does not name a well-formed new key`,
    };
  }
  if (!candidates.some((c) => c.hash === oldHash)) {
    return {
      kind: "unknown_key",
      severity: "tamper",
      seq,
      message: `the key rotation at seq ${seq} is endorsed by unknown key ${oldHash}`,
    };
  }
  if (endorsers.length === 0) {
    return {
      kind: "bad_signature",
      severity: "tamper",
      seq,
      message: `the key rotation at seq ${seq} is not endorsed by key ${oldHash}`,
    };
  }
  if (endorsers.some((c) => trusted.has(c))) {
    return {
      kind: "key_rotation",
      severity: "info",
      seq,
      message: `signing key ${oldHash} was rotated to ${next.name}+${next.hash}`,
    };
  }
  if (rotation.leaf === undefined) {
    // Carried beside the records: covered by no checkpoint, it passes no
    // trust back. An honest one is a link of the device's own chain of keys.
    if (endorsers.some((c) => chain.has(c))) {
      return {
        kind: "key_rotation",
        severity: "info",
        seq,
        message:
          `the key rotation at seq ${seq}, carried beside the records, endorses ${next.name}+${next.hash} with key ${oldHash}, which is not trusted here: it passes no trust (trust passes back over a carried rotation only when a trusted key signed the bundle's export statement)`,
      };
    }
    return {
      kind: "unknown_key",
      severity: "tamper",
      seq,
      message:
        `the key rotation at seq ${seq}, carried beside the records, is endorsed by key ${oldHash}, which is not trusted and is none of the keys the keys file's first key leads to: the device did not write it`,
    };
  }
  if (trusted.has(next)) {
    // Read among the records, nothing rests on it: the new key is trusted
    // without it (it signed the anchor, or a trusted key endorsed it).
    return {
      kind: "key_rotation",
      severity: "info",
      seq,
      message:
        `the key rotation at seq ${seq} endorses ${next.name}+${next.hash} with key ${oldHash}, which is not trusted here; it passes no trust, and ${next.name}+${next.hash} is trusted without it`,
    };
  }
  return {
    kind: "unknown_key",
    severity: "tamper",
    seq,
    message:
      `the key rotation at seq ${seq} is endorsed by key ${oldHash}, which is not trusted: it is neither the device's first key nor the anchor's, and no trusted key endorsed it`,
  };
}
