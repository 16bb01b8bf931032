/**
 * Rotates the device's audit signing key for `thoth audit rotate-key`: as a
 * writer of the log, under its lock (waited for as a session's start waits,
 * with the lock's remedies when it is held), the new key is made, a
 * `key_rotation` record signed by the old key endorses it, and a checkpoint
 * signed by the new key covers that record (see `rotateSigningKey` in
 * `audit_log.ts`). Sessions already running read the key again before each
 * checkpoint they sign, so their next checkpoints are signed by the new key.
 * A device with no signing key yet has nothing to rotate: its first key is
 * made with the log's first record (`audit.nothing_to_rotate`); nothing is
 * created then, not even the profile's folders.
 *
 * @example
 * ```ts
 * const rotated = await rotateAuditKey("/home/ana/.thoth");
 * rotated.seq; // the key_rotation record's seq
 * rotated.newKey; // "thoth.local/audit/0f3a…+9c1e77d0"
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { type KeyRotationReceipt, openAuditLog } from "./audit_log.ts";
import { auditPaths } from "./log_paths.ts";
import { logHoldsRecords } from "./log_holds_records.ts";
import type { LockPatience } from "../platform/take_lock_patiently.ts";

/** What {@linkcode rotateAuditKey} takes besides the profile. */
export interface RotateAuditKeyOptions {
  /** Where the note about a wait for the lock goes (default: stderr). */
  note?: (message: string) => void;
  /** How long the lock is waited for (default 10 s, as a session's start waits). */
  lockPatience?: LockPatience;
}

/** Rotates the signing key of the device under `thothHome`; the rotation record and checkpoint. */
export async function rotateAuditKey(
  thothHome: string,
  options: RotateAuditKeyOptions = {},
): Promise<KeyRotationReceipt> {
  const paths = auditPaths(thothHome);
  if (!(await signingKeyThere(paths.signingKey)) && !(await logHoldsRecords(paths.dir))) {
    throw new AppError(
      "audit.nothing_to_rotate",
      `there is no audit signing key to rotate in "${paths.keysDir}": this profile's audit log has no records yet`,
      {
        hints: [
          "thoth makes the key with the log's first record (the first session), new then: nothing to rotate before it",
          'check that THOTH_HOME names the profile whose key you mean ("thoth status" shows it)',
        ],
      },
    );
  }
  const log = await openAuditLog({
    thothHome,
    ...(options.note === undefined ? {} : { note: options.note }),
    ...(options.lockPatience === undefined ? {} : {
      lockPatience: options.lockPatience,
      batchLockPatience: options.lockPatience,
    }),
  });
  try {
    return await log.rotateSigningKey();
  } catch (error) {
    throw isAppError(error, "audit.unwritable")
      ? new AppError(
        "audit.unwritable",
        `cannot rotate the audit signing key: ${error.message}`,
        {
          hints: [
            ...error.hints,
            'then run "thoth audit rotate-key" again: "thoth audit verify" says whether the rotation was recorded',
          ],
          cause: error,
        },
      )
      : error;
  } finally {
    await log.close().catch(() => {});
  }
}

/**
 * Whether something may stand at the signing key's path: what it is, and a
 * failure to look, are the writer's to judge and report (`audit.bad_key`…).
 */
async function signingKeyThere(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory);
  }
}
