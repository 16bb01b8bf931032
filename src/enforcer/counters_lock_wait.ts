/**
 * How a decision in progressive mode waits for the counters' lock
 * (`<thothHome>/state/progressive.lock`), and what it says: the note a long
 * wait gives on stderr, and the failure once the wait runs out (the call is
 * then blocked, see `ProgressiveStore`). Pure text and a constant.
 *
 * @example
 * ```ts
 * const { message, hints } = countersLocked("/home/ana/.thoth/state/progressive.lock", 5_000);
 * ```
 */
import { folderOf } from "../platform/durable_file.ts";
import {
  lockHolderCommand,
  type LockPatience,
  secondsText,
} from "../platform/take_lock_patiently.ts";

/**
 * How long a decision waits for the counters' lock. Its holders keep it for
 * the milliseconds a small file takes to read and replace; past 5 s the
 * holder is stuck (a stopped process), and the call is blocked rather than
 * left undecided.
 */
export const PROGRESSIVE_LOCK_PATIENCE: LockPatience = { waitMs: 5_000, noteAfterMs: 1_000 };

/** The stderr note of a decision still waiting for the lock at `path`. */
export function countersLockNote(path: string, waitMs: number): string {
  return `warning: waiting for the progressive counters' lock "${path}", which another ` +
    "process holds (another thoth session counting a violation, or a thoth process that " +
    `was stopped, as with Ctrl-Z); the call is blocked if it is not free within ${
      secondsText(waitMs)
    }; ${lockHolderCommand(path)}`;
}

/** Why a decision gave up on the lock at `path` after `waitMs`, and the remedy. */
export function countersLocked(path: string, waitMs: number): { message: string; hints: string[] } {
  return {
    message: `cannot update the progressive counters in "${folderOf(path)}": their lock ` +
      `"${path}" was held by another process for ${secondsText(waitMs)}`,
    hints: [
      lockHolderCommand(path),
      "a stopped process (Ctrl-Z, or SIGSTOP) holds it until it goes on or ends: resume it " +
      '("fg", or "kill -CONT PID") or end it',
    ],
  };
}
