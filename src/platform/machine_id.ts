/**
 * Reads the OS machine identity: Linux `/etc/machine-id` (then
 * `/var/lib/dbus/machine-id`), macOS `IOPlatformUUID` from `ioreg`, Windows
 * `MachineGuid` from `reg query`. Only macOS and Windows start a process.
 * Returns null when the OS has none or it cannot be read; never throws.
 *
 * @example
 * ```ts
 * const reading = await readMachineId(Deno.build.os);
 * reading?.origin; // "/etc/machine-id" on Linux
 * ```
 */
import {
  parseIoregPlatformUuid,
  parseLinuxMachineId,
  parseRegMachineGuid,
} from "./_machine_id_parse.ts";

/** A raw machine identity and where it came from. */
export interface MachineIdRead {
  readonly value: string;
  readonly origin: string;
}

/** The OS access {@linkcode readMachineId} needs; tests pass fakes. */
export interface MachineIdAccess {
  readTextFile(path: string): Promise<string>;
  /** Runs a command and returns its standard output, or throws. */
  runCommand(command: string, args: readonly string[]): Promise<string>;
  /** Windows' folder (`SystemRoot`), for `reg.exe`'s full path; `C:\Windows` when unknown. */
  systemRoot?: () => string | undefined;
}

/**
 * `reg.exe` by its full path in Windows' own folder: looked up through
 * `PATH`, any `reg` a user's folder on it holds would run at every session.
 */
export function regPath(systemRoot: string | undefined): string {
  return `${systemRoot ?? "C:\\Windows"}\\System32\\reg.exe`;
}

/** The real OS. */
export const denoMachineIdAccess: MachineIdAccess = {
  readTextFile: (path) => Deno.readTextFile(path),
  runCommand: async (command, args) => {
    const output = await new Deno.Command(command, {
      args: [...args],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!output.success) throw new Error(`${command} exited with ${output.code}`);
    return new TextDecoder().decode(output.stdout);
  },
  systemRoot: () => {
    try {
      return Deno.env.get("SystemRoot") ?? Deno.env.get("SYSTEMROOT");
    } catch {
      return undefined;
    }
  },
};

/** Reads the machine identity for `os` (a `Deno.build.os` value). */
export async function readMachineId(
  os: string,
  access: MachineIdAccess = denoMachineIdAccess,
): Promise<MachineIdRead | null> {
  try {
    if (os === "darwin") {
      const out = await access.runCommand("/usr/sbin/ioreg", [
        "-rd1",
        "-c",
        "IOPlatformExpertDevice",
      ]);
      const value = parseIoregPlatformUuid(out);
      return value === null ? null : { value, origin: "IOPlatformUUID" };
    }
    if (os === "windows") {
      const out = await access.runCommand(regPath(access.systemRoot?.()), [
        "query",
        "HKLM\\SOFTWARE\\Microsoft\\Cryptography",
        "/v",
        "MachineGuid",
      ]);
      const value = parseRegMachineGuid(out);
      return value === null ? null : { value, origin: "MachineGuid" };
    }
  } catch {
    return null;
  }
  for (const path of ["/etc/machine-id", "/var/lib/dbus/machine-id"]) {
    try {
      const value = parseLinuxMachineId(await access.readTextFile(path));
      if (value !== null) return { value, origin: path };
    } catch {
      // Missing or unreadable: try the next source.
    }
  }
  return null;
}
