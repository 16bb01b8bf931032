/**
 * Whether a process id the sandboxed proxy core names as its MCP server's may
 * be signalled by the unsandboxed thread that started it: the core could be
 * subverted, and that thread may signal anything this user owns. Pure: what
 * the system says of the process's parent comes in as data.
 *
 * @example
 * ```ts
 * serverPidProblem(-1, 4000); // "it is not a process id above 1"
 * serverPidProblem(4100, 4000, 4000); // undefined: a child of this process
 * serverPidProblem(4100, 4000, 1); // "it is not a child of thoth (its parent is 1)"
 * parentPidOfPs("  4000\n"); // 4000
 * ```
 */

/** The parent of a process: its id, `"gone"` when it is not running, `"unknown"` when unreadable. */
export type ParentPid = number | "gone" | "unknown";

/**
 * Why `pid` cannot be the server's, or undefined when it may be: a safe
 * integer above 1 (never a group such as 0 or -1), not this process (`self`),
 * and, when its `parent` is given and known, a running child of this process.
 */
export function serverPidProblem(
  pid: unknown,
  self: number,
  parent?: ParentPid,
): string | undefined {
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 1) {
    return "it is not a process id above 1";
  }
  if (pid === self) return "it is thoth's own";
  if (parent === "gone") return GONE;
  if (typeof parent === "number" && parent !== self) {
    return `it is not a child of thoth (its parent is ${parent})`;
  }
  return undefined;
}

/** The problem of a process that no longer runs: nothing to signal, nothing suspicious. */
export const GONE = "no such process is running";

/** The parent pid `ps -o ppid= -p PID` printed; undefined when it printed no number. */
export function parentPidOfPs(stdout: string): number | undefined {
  const text = stdout.trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
