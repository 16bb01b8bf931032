/**
 * Reads the OS machine identity: Linux `/etc/machine-id` (then
 * `/var/lib/dbus/machine-id`), macOS `IOPlatformUUID` from `ioreg`, Windows
 * `MachineGuid` from `reg query`. Only macOS and Windows start a process,
 * given at most {@linkcode MACHINE_ID_READ_MS} to answer and then killed, so
 * an `ioreg` or `reg` that hangs neither holds the caller nor outlives it;
 * it gets none of thoth's environment but `PATH` (and `SystemRoot`).
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
import { helperEnv } from "./helper_env.ts";

/** A raw machine identity and where it came from. */
export interface MachineIdRead {
  readonly value: string;
  readonly origin: string;
}

/** The OS access {@linkcode readMachineId} needs; tests pass fakes. */
export interface MachineIdAccess {
  readTextFile(path: string): Promise<string>;
  /**
   * Runs a command and returns its standard output, or throws; when `signal`
   * aborts, the process is killed and the promise rejects.
   */
  runCommand(command: string, args: readonly string[], signal: AbortSignal): Promise<string>;
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
  runCommand: async (command, args, signal) => {
    const output = await new Deno.Command(command, {
      args: [...args],
      clearEnv: true,
      env: helperEnv(),
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      signal,
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

/** How long `ioreg` or `reg` may take before it is killed and the machine id counts as unknown. */
export const MACHINE_ID_READ_MS = 2000;

/**
 * Reads the machine identity for `os` (a `Deno.build.os` value); a command
 * that has not answered after `waitMs` is killed and gives null.
 */
export async function readMachineId(
  os: string,
  access: MachineIdAccess = denoMachineIdAccess,
  waitMs: number = MACHINE_ID_READ_MS,
): Promise<MachineIdRead | null> {
  const source = os === "darwin"
    ? {
      command: "/usr/sbin/ioreg",
      args: ["-rd1", "-c", "IOPlatformExpertDevice"],
      parse: parseIoregPlatformUuid,
      origin: "IOPlatformUUID",
    }
    : os === "windows"
    ? {
      command: regPath(access.systemRoot?.()),
      args: ["query", "HKLM\\SOFTWARE\\Microsoft\\Cryptography", "/v", "MachineGuid"],
      parse: parseRegMachineGuid,
      origin: "MachineGuid",
    }
    : null;
  if (source !== null) {
    const out = await boundedRun(access, source.command, source.args, waitMs);
    const value = out === null ? null : source.parse(out);
    return value === null ? null : { value, origin: source.origin };
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

/**
 * `command`'s output, or null when it fails or has not answered within
 * `waitMs`: then its signal aborts (the real access kills the process) and
 * the caller goes on without waiting for the runner to notice.
 */
async function boundedRun(
  access: MachineIdAccess,
  command: string,
  args: readonly string[],
  waitMs: number,
): Promise<string | null> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      access.runCommand(command, args, abort.signal),
      new Promise<null>((resolve) =>
        timer = setTimeout(() => {
          abort.abort();
          resolve(null);
        }, waitMs)
      ),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
