/**
 * Whether a process id the sandboxed proxy core names as its MCP server's may
 * be signalled by the unsandboxed thread that started it: the core could be
 * subverted, and that thread may signal anything this user owns. Pure: what
 * the system says of the process's parent comes in as data.
 *
 * @example
 * ```ts
 * serverPidProblem(-1, 4000); // "it is not a process id from 2 to 4194304"
 * serverPidProblem(4100, 4000, 4000); // undefined: a child of this process
 * serverPidProblem(4100, 4000, 1); // "it is not a child of thoth (its parent is 1)"
 * serverPidProblem(4100, 4000, "unknown"); // "thoth cannot tell whose child it is (…)"
 * parentPidOfPs("  4000\n"); // 4000
 * ```
 */

/**
 * The parent of a process: its id, `"gone"` when it is not running,
 * `"unknown"` when the system could not say (`ps` failed), `"unchecked"`
 * where thoth has no way to ask (Windows).
 */
export type ParentPid = number | "gone" | "unknown" | "unchecked";

/**
 * The largest process id any system thoth runs on gives out: Linux's
 * `pid_max` is at most 2^22 (macOS stops at 99999). A larger number is no
 * process, and `Deno.kill` would cut it to 32 bits (2^32 + pid signals pid;
 * 2^32 - 1 is -1, every process).
 */
export const MAX_PID = 4194304;

/**
 * Why `pid` cannot be the server's, or undefined when it may be: an integer
 * from 2 to {@linkcode MAX_PID} (never a group such as 0 or -1), not this
 * process (`self`), and, when its `parent` is given, known to be a running
 * child of this process: a parent that cannot be read refuses it too.
 */
export function serverPidProblem(
  pid: unknown,
  self: number,
  parent?: ParentPid,
): string | undefined {
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 1 || pid > MAX_PID) {
    return `it is not a process id from 2 to ${MAX_PID}`;
  }
  if (pid === self) return "it is thoth's own";
  if (parent === "gone") return GONE;
  if (parent === "unchecked") return UNCHECKED;
  if (parent === "unknown") {
    return "thoth cannot tell whose child it is (ps could not say)";
  }
  if (typeof parent === "number" && parent !== self) {
    return `it is not a child of thoth (its parent is ${parent})`;
  }
  return undefined;
}

/**
 * The problem of a process whose parent this system gives thoth no way to
 * read (Windows): never signalled, and nothing suspicious; the core ends its
 * own server.
 */
export const UNCHECKED = "thoth has no way to tell whose child it is on this system";

/** The problem of a process that no longer runs: nothing to signal, nothing suspicious. */
export const GONE = "no such process is running";

/** The parent pid `ps -o ppid= -p PID` printed; undefined when it printed no number. */
export function parentPidOfPs(stdout: string): number | undefined {
  const text = stdout.trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
