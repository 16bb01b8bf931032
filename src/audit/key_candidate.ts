/**
 * A signing key a verification may come to trust: a note verifier with its
 * key hash, as `key_trust.ts` works out trust over them and
 * `rotation_finding.ts` names them. Pure.
 *
 * @example
 * ```ts
 * const candidate: KeyCandidate = { name: "thoth", publicKey, hash: await noteKeyHash("thoth", publicKey) };
 * ```
 */
import type { NoteVerifier } from "./signed_note.ts";

/** A verifier key with its `<key hash>`, as a note's signature names it. */
export interface KeyCandidate extends NoteVerifier {
  hash: string;
}
