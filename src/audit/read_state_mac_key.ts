/**
 * The key of the state file's MAC (see `state_mac.ts`) for `thoth audit
 * verify`, read from the device's audit HMAC key file without ever making
 * one (a writer does that): a key that cannot be read (missing, another
 * user's, damaged, not a regular file) is why the MAC is "not checked",
 * never a reason not to verify.
 *
 * @example
 * ```ts
 * const key = await readStateMacKey(auditPaths(thothHome).hmacKey);
 * const check = checkStateMac(stateText, key);
 * ```
 */
import { fromBase64 } from "./encoding.ts";
import type { HmacSha256Key } from "./sha256.ts";
import { stateMacKey } from "./state_mac.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** A key file holds 44 characters and a newline: far less than this. */
const KEY_FILE_LIMIT = 4096;

/** The state MAC key derived from the key file at `path`, or why it is unavailable. */
export async function readStateMacKey(
  path: string,
): Promise<{ key: HmacSha256Key } | { unavailable: string }> {
  const named = `the device's audit key "${path}"`;
  let text: string;
  try {
    text = new TextDecoder().decode(await readRegularFile(path, { limit: KEY_FILE_LIMIT }));
  } catch (error) {
    return { unavailable: `${named} cannot be read: ${whyUnreadable(error)}` };
  }
  const raw = fromBase64(text.trim());
  if (raw === undefined || raw.length !== 32) {
    return { unavailable: `${named} is empty or damaged` };
  }
  return { key: stateMacKey(raw) };
}

function whyUnreadable(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "it is missing";
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return "permission denied (run verify as the user who runs thoth to check it)";
  }
  if (error instanceof Deno.errors.InvalidData) return "it is not a regular file";
  return error instanceof Error ? error.message : String(error);
}
