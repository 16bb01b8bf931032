/**
 * The spool MAC key of a test profile (see `src/audit/spool_mac.ts`), made
 * from its device keys (created on first use, as a session's log does), and
 * spool lines signed with it: what a session of that profile writes.
 *
 * @example
 * ```ts
 * const mac = await spoolMacOf(home);
 * writeSpoolFile(path, await signedLines(home, "s-dead", [decision]), Date.now());
 * ```
 */
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { fromBase64 } from "../../src/audit/encoding.ts";
import type { SpoolBodies } from "../../src/audit/write_spool_file.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { SpoolMac } from "../../src/audit/spool_mac.ts";

/**
 * The spool MAC key of the profile `home`. A profile without keys gets its
 * log first, as a session's does (keys without a log say the log was
 * removed): opened and closed, with no record.
 */
export async function spoolMacOf(home: string): Promise<SpoolMac> {
  try {
    Deno.statSync(auditPaths(home).hmacKey);
  } catch {
    await (await openAuditLog({ thothHome: home })).close();
  }
  return new SpoolMac((await loadDeviceKeys(home, new Date())).hmacRaw);
}

/** {@linkcode spoolMacOf}, read synchronously from a profile whose keys exist (its log was opened). */
export function spoolMacOfSync(home: string): SpoolMac {
  const raw = fromBase64(Deno.readTextFileSync(auditPaths(home).hmacKey).trim());
  if (raw === undefined) throw new Error(`no audit HMAC key under ${home}`);
  return new SpoolMac(raw);
}

/**
 * `events` (or their JSON) as `writeSpoolFile` takes them for a spool file of
 * `session` in `home`: it chains and signs them as that session does.
 */
export async function signedLines(
  home: string,
  session: string,
  events: readonly unknown[],
): Promise<SpoolBodies> {
  const mac = (await spoolMacOf(home)).forSession(session);
  return {
    mac,
    bodies: events.map((event) => typeof event === "string" ? event : JSON.stringify(event)),
  };
}
