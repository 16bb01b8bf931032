/**
 * Digests the relay records at session start instead of raw values: the
 * SHA-256 of the server command line and of each tool definition. Pure.
 *
 * @example
 * ```ts
 * const commandDigest = await sha256Json(["npx", "-y", "server-everything"]);
 * const tools = await Promise.all(list.map(async (t) => ({ name: t.name, digest: await sha256Json(t) })));
 * ```
 */
import { canonicalJson } from "./canonical_json.ts";
import { toHex } from "./encoding.ts";

/** SHA-256 (hex) of the canonical JSON of a value. */
export async function sha256Json(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(value));
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}
