/**
 * The digest a grant is bound to: SHA-256 over the canonical JSON (sorted
 * keys, no whitespace) of `[server, tool, arguments]`, as lowercase hex. Two
 * calls share a digest only when they name the same server and tool and carry
 * equal arguments, whatever the key order.
 *
 * @example
 * ```ts
 * const a = await argumentDigest("fs", "write_file", { path: "/tmp/x", content: "hi" });
 * const b = await argumentDigest("fs", "write_file", { content: "hi", path: "/tmp/x" });
 * a === b; // true
 * ```
 */
import { canonicalJson } from "../audit/canonical_json.ts";
import { toHex } from "../audit/encoding.ts";

const encoder = new TextEncoder();

/** Hex SHA-256 of the canonical `[server, tool, arguments]`; absent arguments count as `{}`. */
export async function argumentDigest(
  server: string,
  tool: string,
  args: Record<string, unknown> | undefined,
): Promise<string> {
  const text = canonicalJson([server, tool, args ?? {}]);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return toHex(hash);
}
