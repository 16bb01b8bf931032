/**
 * Takes the audit writers' lock for work that may wait on it (a session's
 * start, `thoth audit export`, `thoth audit checkpoint`): without blocking
 * the thread, with one stderr note when the wait passes a second (naming the
 * lock file, what may hold it and how to find it), and, past the deadline,
 * an `audit.locked` error with the remedy. A session's start fails that way
 * long before an MCP client's request timeout (60 s in the SDK), so the
 * client hears why instead of nothing. A stop (a signal, or the client
 * closing its input: see {@linkcode LockWaitEnd}) ends the wait before its
 * time, with `audit.lock_wait_ended`: nothing was written, nothing is held.
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

/** The code of the error that says a stop ended the wait for the audit log's lock. */
export const LOCK_WAIT_ENDED = "audit.lock_wait_ended";

/** What ends the wait for the lock before its time. */
export interface LockWaitEnd {
  /**
   * A stop signal arrived: ends the wait at once (aborted already, the lock
   * is not asked for). Its abort reason names the signal ("SIGTERM").
   */
  stop?: AbortSignal;
  /**
   * The client closed its input: ends the wait once it is one, when the
   * note says so (`patience.noteAfterMs`), so that a client that writes
   * its requests and closes its input at once (a pipe) is still served when
   * the lock is free or soon is.
   */
  inputClosed?: AbortSignal;
}

/** What the caller was doing, and where its note goes. */
export interface AuditLockWait {
  /** How the error begins: `cannot write the audit log`, `cannot export the audit log`. */
  doing: string;
  note: (message: string) => void;
  patience?: LockPatience;
  /** What ends the wait early, with {@linkcode LOCK_WAIT_ENDED}. */
  end?: LockWaitEnd;
}

/**
 * Takes `lock` (the audit writers' lock) or throws `audit.locked` once the
 * wait runs out, or {@linkcode LOCK_WAIT_ENDED} once `wait.end` ends it.
 */
export async function takeAuditLock(lock: FileLock, wait: AuditLockWait): Promise<void> {
  const patience = wait.patience ?? AUDIT_LOCK_PATIENCE;
  const ended = new AbortController();
  let why = "";
  const endWith = (reason: string) => {
    if (ended.signal.aborted) return;
    why = reason;
    ended.abort();
  };
  const { stop, inputClosed } = wait.end ?? {};
  const onStop = () => endWith(`received ${String(stop?.reason ?? "a stop signal")}`);
  const onClosed = () => endWith("the client closed its input");
  if (stop?.aborted) onStop();
  else stop?.addEventListener("abort", onStop, { once: true });
  try {
    const taken = await takeLockPatiently(
      lock,
      patience,
      () => {
        wait.note(
          `warning: waiting for the audit log's lock "${lock.path}", which another process holds ` +
            `(another thoth session writing, a "thoth audit export", or a thoth process that was ` +
            `stopped, as with Ctrl-Z); giving up after ${secondsText(patience.waitMs)}; ` +
            lockHolderCommand(lock.path),
        );
        // A real wait now: the client's end ends it.
        if (inputClosed?.aborted) onClosed();
        else inputClosed?.addEventListener("abort", onClosed, { once: true });
      },
      ended.signal,
    );
    if (taken) return;
    if (ended.signal.aborted) throw lockWaitEndedError(lock.path, wait.doing, why);
    throw auditLockedError(lock.path, wait.doing, patience.waitMs);
  } finally {
    stop?.removeEventListener("abort", onStop);
    inputClosed?.removeEventListener("abort", onClosed);
  }
}

/**
 * The {@linkcode LOCK_WAIT_ENDED} error: the wait for `path` ended before its
 * time because of `why` ("received SIGTERM", "the client closed its input").
 */
export function lockWaitEndedError(path: string, doing: string, why: string): AppError {
  return new AppError(
    LOCK_WAIT_ENDED,
    `${doing} in "${folderOf(path)}": ${why} while waiting for its lock "${path}", which ` +
      "another process holds",
    { hints: [lockHolderCommand(path)] },
  );
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
