/**
 * Reads this process's umask without changing it. `Deno.umask()` with no
 * argument reads it by setting it to 0 and back (libc has no call that only
 * reads it), and the umask belongs to the whole process: a file or folder
 * another thread (Deno runs async file work on a thread pool, and a Worker
 * is a thread of the same process) makes in that instant without an
 * explicit mode gets 0666 or 0777.
 *
 * So on Linux the umask is read from the `Umask:` line of
 * `/proc/self/status`. Deno lets only a process with all permissions read
 * under `/proc/self`; elsewhere (and on kernels before 4.7, which have no
 * such line, and on other systems) `Deno.umask()` is called once, at the
 * first call that needs it, and its answer is kept for the rest of the
 * process: the residual is that one read. A umask this process later sets
 * with `Deno.umask(mask)` is not seen by that kept answer (thoth sets none).
 *
 * @example
 * ```ts
 * const mode = 0o666 & ~(processUmask() ?? 0o022); // what a new file gets here
 * ```
 */

const STATUS = "/proc/self/status";

/** The fallback read, once per process; `null` until made. */
let kept: number | undefined | null = null;

/** This process's umask, or undefined where there is none to read (Windows). */
export function processUmask(): number | undefined {
  if (Deno.build.os === "linux") {
    const fromStatus = umaskFromStatus(readStatus());
    if (fromStatus !== undefined) return fromStatus;
  }
  if (kept === null) {
    try {
      kept = Deno.umask();
    } catch {
      kept = undefined;
    }
  }
  return kept;
}

/**
 * The umask on the `Umask:` line of a `/proc/<pid>/status` text (octal);
 * undefined when there is no such line.
 *
 * @example
 * ```ts
 * umaskFromStatus("Name:\tdeno\nUmask:\t0027\n"); // 0o027
 * ```
 */
export function umaskFromStatus(status: string | undefined): number | undefined {
  const digits = status?.match(/^Umask:[ \t]*([0-7]{1,4})[ \t]*$/m)?.[1];
  return digits === undefined ? undefined : parseInt(digits, 8);
}

/**
 * The text of `/proc/self/status`, or undefined when it cannot be read. Read
 * only when read access to it is already granted, so that no permission
 * prompt is ever shown for it.
 */
function readStatus(): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "read", path: STATUS }).state !== "granted") {
      return undefined;
    }
    return Deno.readTextFileSync(STATUS);
  } catch {
    return undefined;
  }
}
