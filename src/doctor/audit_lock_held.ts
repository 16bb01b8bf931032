/**
 * Whether another process holds the audit writers' lock (`audit/.lock`)
 * longer than a session's start waits for it (10 s, see
 * `take_audit_lock.ts`): a thoth stopped with Ctrl-Z while it wrote, say.
 * Sessions that start meanwhile refuse their calls until it is let go, so
 * `thoth doctor` and `thoth health` warn of it, naming the lock file and how
 * to find its holder. The lock is waited for as a session's start waits
 * (without blocking the thread), let go at once when taken, and never made:
 * a profile without a lock file has no holder to find.
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
 * The warning when the audit lock of `thothHome` stays held by another
 * process for `waitMs` (a session start's wait by default); null when it is
 * free or let go within it, or there is no lock file to look at.
 */
export async function auditLockHeld(
  thothHome: string,
  waitMs: number = AUDIT_LOCK_PATIENCE.waitMs,
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
    message: `the audit log's lock "${path}" was held by another process for more than ` +
      `${secondsText(waitMs)}: a session that starts meanwhile refuses its calls (in observe ` +
      "mode it forwards them) until it is let go, and no session's records reach the log",
    hint: `${lockHolderCommand(path)}; a thoth stopped with Ctrl-Z (state T in ` +
      '"ps -o pid,stat,args") holds it until it goes on or ends: resume it ("fg", or ' +
      '"kill -CONT PID") or end it',
  };
}
