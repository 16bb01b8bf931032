/**
 * Pure parsers for the OS machine identity sources. Private to
 * `src/platform/`; `machine_id.ts` feeds them what it read.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `/etc/machine-id`: 32 hex digits and a newline. Empty or "uninitialized"
 * (an image not yet booted) is no identity.
 */
export function parseLinuxMachineId(text: string): string | null {
  const value = text.trim().toLowerCase();
  return /^[0-9a-f]{32}$/.test(value) && !/^0+$/.test(value) ? value : null;
}

/** `ioreg -rd1 -c IOPlatformExpertDevice`: the `"IOPlatformUUID" = "…"` line. */
export function parseIoregPlatformUuid(stdout: string): string | null {
  const match = stdout.match(/"IOPlatformUUID"\s*=\s*"([^"]+)"/);
  const value = match?.[1];
  return value !== undefined && UUID.test(value) ? value.toLowerCase() : null;
}

/** `reg query HKLM\SOFTWARE\Microsoft\Cryptography /v MachineGuid`: the REG_SZ value. */
export function parseRegMachineGuid(stdout: string): string | null {
  const match = stdout.match(/MachineGuid\s+REG_SZ\s+(\S+)/i);
  const value = match?.[1];
  return value !== undefined && UUID.test(value) ? value.toLowerCase() : null;
}
