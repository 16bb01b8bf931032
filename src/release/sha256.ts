/**
 * SHA-256 of bytes as lowercase hex, with Web Crypto.
 *
 * @example
 * ```ts
 * await sha256Hex(new TextEncoder().encode("abc"));
 * // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
import { toHex } from "../audit/encoding.ts";

/** Hashes bytes with SHA-256 and returns 64 lowercase hex digits. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}
