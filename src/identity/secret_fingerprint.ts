/**
 * A short, stable name for a secret that is safe to print: the first 8 hex
 * digits of its SHA-256. Two people can compare fingerprints to tell whether
 * they hold the same key without either one showing it.
 *
 * @example
 * ```ts
 * secretFingerprint("hello"); // "2cf24dba"
 * ```
 */
import { sha256 } from "../audit/sha256.ts";
import { toHex } from "../audit/encoding.ts";

/** The first 8 lowercase hex digits of the SHA-256 of `secret` (UTF-8). */
export function secretFingerprint(secret: string): string {
  return toHex(sha256(new TextEncoder().encode(secret))).slice(0, 8);
}
