/**
 * One batch of a session's records into the chained log (see `LogBatches`):
 * written under the log's lock only while the spool files that cover it are
 * still this session's; the records of a file another session claimed
 * meanwhile leave the batch (see `ClaimedElsewhere.retaken`) and the rest is
 * tried again, up to {@linkcode RECLAIM_TRIES} times. An empty batch while
 * the log is failing is no proof that it works again: a checkpoint is
 * written to find out. What the log did not take goes back to the batches
 * through a {@linkcode LogBatchWriteHost}.
 *
 * @example
 * ```ts
 * if (await writeLogBatch(log, events, files, broken, elsewhere, host)) takenAt = cutAt;
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import { appendedBeforeFailure } from "../audit/append_failure.ts";
import { stillAt } from "../audit/spool_claims.ts";
import { LOCK_WAIT_ENDED } from "../audit/take_audit_lock.ts";
import { isAppError } from "../errors.ts";
import { type ClaimedElsewhere, RECLAIM_TRIES } from "./claimed_elsewhere.ts";
import { type HeldFile, type Queued, removeQuietly } from "./held_spool_files.ts";

/** What a batch's write tells the batches when the log did not take all of it. */
export interface LogBatchWriteHost {
  /** Arms the next try in `RETRY_MS`, unless one is armed or the session has ended. */
  retrySoon(): void;
  /** Puts `events` back in front of the queue, with the `files` that hold them. */
  putBack(events: Queued[], files: HeldFile[]): void;
  /**
   * The log refused the batch (`error`, said with `hints`, else the generic
   * one): `events` are held for the next try with their `files` (`partial`:
   * the log took records of the batch before it failed).
   */
  refused(
    error: unknown,
    hints: readonly string[],
    events: Queued[],
    files: HeldFile[],
    partial: boolean,
  ): void;
}

/**
 * Writes `events` into `log` (`broken`: the log refused the last batch);
 * true when it took them all and the spool `files` that covered them are
 * removed, false when `host` was told what it did not take.
 */
export async function writeLogBatch(
  log: AuditLog,
  events: Queued[],
  files: HeldFile[],
  broken: boolean,
  elsewhere: ClaimedElsewhere,
  host: LogBatchWriteHost,
): Promise<boolean> {
  if (events.length === 0) {
    // A file whose only write failed (and was cut back): nothing of it is waiting.
    for (const file of files) removeQuietly(file.path);
    if (!broken) return true;
    // The last batch was refused after all of its records were in (its
    // checkpoint, sync or state failed): a write says whether the log works now.
    try {
      await log.checkpoint();
    } catch (error) {
      host.refused(error, [], [], [], false);
      return false;
    }
    return true;
  }
  try {
    for (let tries = 0;; tries++) {
      // Under the log's lock: the files are still this session's, so no other
      // session took their records in (and none can before these are in the log).
      const checked = files.filter((file) => file.items !== undefined);
      const mine = () => checked.every((file) => stillAt(file.path, file.ino));
      if (await log.appendMany(events, checked.length === 0 ? undefined : mine)) break;
      const left = tries < RECLAIM_TRIES ? await elsewhere.retaken(log, events, files) : undefined;
      if (left === undefined) {
        // Another session took a file this session meant to claim back just now: tried again soon.
        host.putBack(events, files);
        host.retrySoon();
        return false;
      }
      ({ events, files } = left);
      if (elsewhere.length > 0) host.retrySoon();
      if (events.length === 0) break;
    }
  } catch (error) {
    // A held lock's own remedies (how to find the holder), not the generic hint.
    const hints = isAppError(error, "audit.locked") || isAppError(error, LOCK_WAIT_ENDED)
      ? error.hints
      : [];
    const taken = appendedBeforeFailure(error);
    host.refused(error, hints, events.slice(taken), files, taken > 0);
    return false;
  }
  for (const file of files) removeQuietly(file.path);
  return true;
}
