/**
 * The `policyHash` every decision record carries: the SHA-256, in hex, of
 * the policy file's bytes as `thoth run` read them (a byte-order mark
 * included), so a fleet can match `thoth policy check --json`'s `policyHash`
 * of a file against the audit log's.
 *
 * @example
 * ```ts
 * policyHash(new TextEncoder().encode("{}")); // "44136fa3…"
 * ```
 */
import { sha256 } from "./sha256.ts";
import { toHex } from "./encoding.ts";

/** The hex SHA-256 of a policy file's `bytes`. */
export function policyHash(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}
