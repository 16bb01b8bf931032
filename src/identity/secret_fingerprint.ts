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
import { createHash } from "node:crypto";

/** The first 8 lowercase hex digits of the SHA-256 of `secret` (UTF-8). */
export function secretFingerprint(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex").slice(0, 8);
}
