/**
 * Takes the audit writers' lock for work that may wait on it (a session's
 * start, `thoth audit export`, `thoth audit checkpoint`): without blocking
 * the thread, with one stderr note when the wait passes a second (naming the
 * lock file, what may hold it and how to find it), and, past the deadline,
 * an `audit.locked` error with the remedy. A session's start fails that way
 * long before an MCP client's request timeout (60 s in the SDK), so the
 * client hears why instead of nothing.
 *
 * @example
 * ```ts
 * const lock = await FileLock.open(auditPaths(home).lock);
 * await takeAuditLock(lock, { doing: "cannot write the audit log", note: console.error });
 * ```
 */
import { AppError } from "../errors.ts";
import type { FileLock } from "../platform/file_lock.ts";
import { folderOf } from "../platform/durable_file.ts";
import {
  lockHolderCommand,
  type LockPatience,
  secondsText,
  takeLockPatiently,
} from "../platform/take_lock_patiently.ts";

/**
 * How long the audit lock is waited for. Its holders keep it for
 * milliseconds (a batch of records; an export reads two key files under it;
 * a writer that finds its state file out of step rebuilds it from the log
 * under it, seconds for a log of gigabytes); 10 s covers all of them and
 * leaves a session's start most of a client's 60 s for the server's own.
 */
export const AUDIT_LOCK_PATIENCE: LockPatience = { waitMs: 10_000, noteAfterMs: 1_000 };

/** What the caller was doing, and where its note goes. */
export interface AuditLockWait {
  /** How the error begins: `cannot write the audit log`, `cannot export the audit log`. */
  doing: string;
  note: (message: string) => void;
  patience?: LockPatience;
}

/** Takes `lock` (the audit writers' lock) or throws `audit.locked` once the wait runs out. */
export async function takeAuditLock(lock: FileLock, wait: AuditLockWait): Promise<void> {
  const patience = wait.patience ?? AUDIT_LOCK_PATIENCE;
  const taken = await takeLockPatiently(lock, patience, () =>
    wait.note(
      `warning: waiting for the audit log's lock "${lock.path}", which another process holds ` +
        `(another thoth session writing, a "thoth audit export", or a thoth process that was ` +
        `stopped, as with Ctrl-Z); giving up after ${secondsText(patience.waitMs)}; ` +
        lockHolderCommand(lock.path),
    ));
  if (!taken) throw auditLockedError(lock.path, wait.doing, patience.waitMs);
}

/** The `audit.locked` error: `path` held by another process for `waitMs`. */
export function auditLockedError(path: string, doing: string, waitMs: number): AppError {
  return new AppError(
    "audit.locked",
    `${doing} in "${folderOf(path)}": its lock "${path}" was held by another process ` +
      `for ${secondsText(waitMs)}`,
    {
      hints: [
        lockHolderCommand(path),
        "a stopped process (Ctrl-Z, or SIGSTOP) holds it until it goes on or ends: resume it " +
        '("fg", or "kill -CONT PID") or end it, then try again',
      ],
    },
  );
}
