/**
 * A key_rotation record as the verifier read it, its fields unchecked: what
 * `key_trust.ts` weighs to pass trust from an old signing key to a new one.
 * Pure.
 *
 * @example
 * ```ts
 * const fact: KeyRotationFact = {
 *   seq: 12, leaf: 12, oldKeyHash: "0a1b2c3d", newVerifierKey: "thoth+…", endorsement: "…",
 * };
 * ```
 */

/** A key_rotation record as the verifier read it (fields unchecked). */
export interface KeyRotationFact {
  seq: number;
  /**
   * The record's leaf index in the log, when it was read among the records;
   * absent for one carried beside them (a bundle's keys/key-rotations.jsonl),
   * which no checkpoint covers.
   */
  leaf?: number;
  oldKeyHash: unknown;
  newVerifierKey: unknown;
  endorsement: unknown;
}
