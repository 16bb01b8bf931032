/**
 * Which PID namespace and which boot of the machine a process runs in (Linux:
 * the `/proc/self/ns/pid` link and `/proc/sys/kernel/random/boot_id`). A
 * queued approval request records its thoth's, so that `thoth approvals`
 * trusts the request's pid only where that pid means the same process: a
 * thoth in a container sharing the profile (another PID namespace, where it
 * may well be pid 1) or before a reboot names a process that is not there.
 * Unknown (`null`) off Linux, and where Deno may not read `/proc` (it lets
 * only a process with every permission do so: thoth's sandboxed core never
 * can, so the thread that starts it probes for it and hands it the result
 * with its enforcer config), in which case a reader trusts no pid at all
 * (see `ApprovalQueue`).
 * `readlink` and `cat`, when asked, get only `PATH` of thoth's environment.
 *
 * @example
 * ```ts
 * readHostIdentity(); // { pidNamespace: "pid:[4026531836]", bootId: "7757a212-…" } or nulls
 * await probeHostIdentity(); // the same, asking `readlink` and `cat` when /proc is closed to Deno
 * ```
 */
import { helperEnv } from "../platform/helper_env.ts";

/** A process's PID namespace and the machine's boot, each null when unknown. */
export interface HostIdentity {
  pidNamespace: string | null;
  bootId: string | null;
}

const NS_LINK = "/proc/self/ns/pid";
const BOOT_ID = "/proc/sys/kernel/random/boot_id";
/** What a namespace link and a boot id look like; anything else is not trusted. */
const NS_TEXT = /^pid:\[\d{1,20}\]$/;
const BOOT_TEXT = /^[0-9a-f-]{32,36}$/;

/** Nothing known: no pid can be trusted. */
export const UNKNOWN_HOST: HostIdentity = { pidNamespace: null, bootId: null };

/** Whether this process holds every permission (Deno's condition for reading `/proc/self`). */
function allGranted(): boolean {
  try {
    const names = ["read", "write", "net", "env", "sys", "run", "ffi"] as const;
    return names.every((name) => Deno.permissions.querySync({ name }).state === "granted");
  } catch {
    return false;
  }
}

function checked(text: string | null, pattern: RegExp): string | null {
  const trimmed = text?.trim();
  return trimmed !== undefined && pattern.test(trimmed) ? trimmed : null;
}

/** This process's identity, read without spawning anything (never prompts). */
export function readHostIdentity(os: string = Deno.build.os): HostIdentity {
  if (os !== "linux" || !allGranted()) return UNKNOWN_HOST;
  const read = (what: () => string) => {
    try {
      return what();
    } catch {
      return null;
    }
  };
  return {
    pidNamespace: checked(read(() => Deno.readLinkSync(NS_LINK)), NS_TEXT),
    bootId: checked(read(() => Deno.readTextFileSync(BOOT_ID)), BOOT_TEXT),
  };
}

/**
 * This process's identity as {@linkcode readHostIdentity} reads it, else as
 * `readlink` and `cat` report it: a child shares its parent's PID namespace
 * and boot. Null for what neither can tell.
 */
export async function probeHostIdentity(os: string = Deno.build.os): Promise<HostIdentity> {
  const own = readHostIdentity(os);
  if (os !== "linux" || (own.pidNamespace !== null && own.bootId !== null)) return own;
  const run = async (command: string, path: string, pattern: RegExp) => {
    try {
      if (Deno.permissions.querySync({ name: "run", command }).state !== "granted") return null;
      const out = await new Deno.Command(command, {
        args: [path],
        clearEnv: true,
        env: helperEnv(),
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).output();
      return out.success ? checked(new TextDecoder().decode(out.stdout), pattern) : null;
    } catch {
      return null;
    }
  };
  // Both at once: each is a program to start.
  const [pidNamespace, bootId] = await Promise.all([
    own.pidNamespace ?? run("readlink", NS_LINK, NS_TEXT),
    own.bootId ?? run("cat", BOOT_ID, BOOT_TEXT),
  ]);
  return { pidNamespace, bootId };
}
