/**
 * Whether another process holds the audit writers' lock (`audit/.lock`):
 * a thoth stopped with Ctrl-Z while it wrote, say. A session that starts
 * while it is held waits for it (10 s, see `take_audit_lock.ts`), then
 * refuses its calls until it is let go, so `thoth doctor` and `thoth
 * health` warn of it, naming the lock file, how long they waited and how to
 * find its holder. They wait a second, no more ({@linkcode
 * DOCTOR_LOCK_WAIT_MS}: when a session's start says it is waiting), so that
 * they answer at once; its holders keep it for milliseconds. The lock is
 * waited for without blocking the thread, let go at once when taken, and
 * never made: a profile without a lock file has no holder to find.
 *
 * @example
 * ```ts
 * const held = await auditLockHeld(thothHome); // null, or { message, hint }
 * ```
 */
import { auditPaths } from "../audit/log_paths.ts";
import { AUDIT_LOCK_PATIENCE } from "../audit/take_audit_lock.ts";
import { FileLock } from "../platform/file_lock.ts";
import { lockHolderCommand, secondsText } from "../platform/take_lock_patiently.ts";

/** The warning of a held lock, in doctor's words. */
export interface AuditLockHeld {
  readonly message: string;
  readonly hint: string;
}

/**
 * How long doctor and health wait for the audit lock: as long as a session's
 * start waits before it says it is waiting, not the whole of its wait.
 */
export const DOCTOR_LOCK_WAIT_MS = AUDIT_LOCK_PATIENCE.noteAfterMs;

/**
 * The warning when the audit lock of `thothHome` stays held by another
 * process for `waitMs` ({@linkcode DOCTOR_LOCK_WAIT_MS} by default); null
 * when it is free or let go within it, or there is no lock file to look at.
 */
export async function auditLockHeld(
  thothHome: string,
  waitMs: number = DOCTOR_LOCK_WAIT_MS,
): Promise<AuditLockHeld | null> {
  const path = auditPaths(thothHome).lock;
  let lock: FileLock;
  try {
    // Only a lock file that is there (doctor makes nothing in the profile), followed by no link.
    if (!(await Deno.lstat(path)).isFile) return null;
    lock = await FileLock.open(path);
  } catch {
    return null; // Missing, or not openable: the write access check judges the file.
  }
  try {
    if (await lock.acquireWithin(waitMs)) {
      await lock.release();
      return null;
    }
  } catch {
    return null;
  } finally {
    lock.close();
  }
  return {
    message: `the audit log's lock "${path}" was held by another process for all of the ` +
      `${secondsText(waitMs)} this check waits for it: a session that starts while it is ` +
      `held waits ${secondsText(AUDIT_LOCK_PATIENCE.waitMs)} for it, then refuses its calls ` +
      "(in observe mode it forwards them) until it is let go, and no session's records reach " +
      "the log meanwhile",
    hint: `${lockHolderCommand(path)}; a thoth stopped with Ctrl-Z (state T in ` +
      '"ps -o pid,stat,args") holds it until it goes on or ends: resume it ("fg", or ' +
      '"kill -CONT PID") or end it',
  };
}
