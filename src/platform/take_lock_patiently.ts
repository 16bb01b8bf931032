/**
 * Takes a {@linkcode FileLock} within a bounded time, saying once when the
 * wait grows long: for the waits a person may see (a session's start, a
 * command, a decision), where a holder that never lets go (a stopped process)
 * must end in an answer, not a silent hang. Also: how to find the process
 * that holds a lock file, as a command to paste on this OS.
 *
 * @example
 * ```ts
 * const lock = await FileLock.open("/home/ana/.thoth/audit/.lock");
 * const taken = await takeLockPatiently(lock, { waitMs: 10_000, noteAfterMs: 1_000 }, () =>
 *   console.error(`still waiting; ${lockHolderCommand(lock.path)}`)
 * );
 * ```
 */
import type { FileLock } from "./file_lock.ts";
import { unrefTimer } from "./unref_timer.ts";

/** How long a lock is waited for. */
export interface LockPatience {
  /** Give up after this many milliseconds. */
  readonly waitMs: number;
  /** Say so (once) when the lock is not taken after this many milliseconds. */
  readonly noteAfterMs: number;
  /**
   * Try the lock again and again instead of asking for it (see
   * `FileLock.acquireWithinPolling`): for locks other writers take and let
   * go many times a second.
   */
  readonly polling?: boolean;
}

/**
 * Takes `lock` within `patience.waitMs`; calls `waiting` once if it is still
 * not taken after `patience.noteAfterMs`. Resolves whether it was taken: not
 * when `stop` is aborted first, which ends the wait at once.
 */
export async function takeLockPatiently(
  lock: FileLock,
  patience: LockPatience,
  waiting: () => void,
  stop?: AbortSignal,
): Promise<boolean> {
  const cancel = patience.noteAfterMs < patience.waitMs
    ? unrefTimer(waiting, patience.noteAfterMs)
    : () => {};
  try {
    return await (patience.polling === true
      ? lock.acquireWithinPolling(patience.waitMs, stop)
      : lock.acquireWithin(patience.waitMs, stop));
  } finally {
    cancel();
  }
}

/**
 * What to run to see which process holds the lock file `path`, as a sentence
 * naming the command for `os` (Linux: `fuser`, or `lsof`; macOS: `lsof`).
 */
export function lockHolderCommand(path: string, os: typeof Deno.build.os = Deno.build.os): string {
  const quoted = `"${path}"`;
  if (os === "windows") {
    return `to see which process holds it, search for "${
      path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1)
    }" under Associated Handles in Resource Monitor (resmon)`;
  }
  if (os === "darwin") return `to see which process holds it, run: lsof ${quoted}`;
  return `to see which process holds it, run: fuser -v ${quoted} (or: lsof ${quoted})`;
}

/** Seconds, for a message: "10 s", "0.3 s". */
export function secondsText(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
