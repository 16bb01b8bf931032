/**
 * The writers' lock as each batch of an open log takes it (see
 * `audit_log.ts`). When no other process holds it (nearly always), one
 * non-blocking try takes it: no more work than a blocking take. When another
 * process holds it (another writer's batch; a thoth stopped with Ctrl-Z, a
 * long export), the batch waits for it off the thread (see
 * `take_audit_lock.ts`), so a session goes on relaying meanwhile: the records
 * that gate its calls are in its spool before the calls are forwarded, and
 * the records wait for the lock. It waits by trying the lock every
 * millisecond or so, not by asking for it on the thread pool (see
 * `FileLock.acquireWithinPolling`): a lock given to this process while its
 * thread is not running stays held, unused, and writers that take turns at
 * it many times a second lost about a fifth of their appends to that. The
 * wait says once on `note`, after a second, what it waits for and how to
 * find the holder, and fails with `audit.locked` after 10 s (the session
 * then refuses the calls it cannot record, as with any log that refuses its
 * records, and tries again). Once it has failed, each later batch waits
 * only {@linkcode AFTER_GIVING_UP_MS}, quietly, until one takes the lock: a
 * session's end is not held up for long by a holder that never lets go.
 *
 * What ends the session's start's wait ends a batch's too (`end`, see
 * {@linkcode LockWaitEnd}): a stop signal at once, the client closing its
 * input once the wait is said. The batch then fails with
 * `audit.lock_wait_ended`, and the session takes the path of a log that did
 * not take its records (its end kept in its spool, counting what the log
 * lacks), so that thoth exits within the grace its client gives it instead
 * of being killed mid-write. Once a wait has run out or been ended, a batch
 * taken by `AuditLog.close` (the final checkpoint) only tries the lock: a
 * closing log does not wait again for a holder that kept it that long.
 *
 * @example
 * ```ts
 * const batchLock = new BatchLock(lock, stderrNote);
 * await batchLock.take(); // audit.locked after 10 s of another process's hold
 * try {
 *   // … write the batch …
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
import { isAppError } from "../errors.ts";
import type { FileLock } from "../platform/file_lock.ts";
import type { LockPatience } from "../platform/take_lock_patiently.ts";
import {
  AUDIT_LOCK_PATIENCE,
  auditLockedError,
  LOCK_WAIT_ENDED,
  type LockWaitEnd,
  lockWaitEndedError,
  takeAuditLock,
} from "./take_audit_lock.ts";

/** How long each batch waits for the lock once a wait ran out, until one takes it. */
export const AFTER_GIVING_UP_MS = 1_000;

/** What the batch's error says it was doing. */
const DOING = "cannot write the audit log";

/** Takes the writers' lock for each batch of one open log. */
export class BatchLock {
  readonly #lock: FileLock;
  readonly #note: (message: string) => void;
  readonly #patience: LockPatience;
  /** The hold going on was said on `note` already. */
  #noted = false;
  /** A wait ran out during the hold going on (`audit.locked`), or `end` ended one. */
  #gaveUp = false;
  readonly #end: LockWaitEnd | undefined;
  /** The log is closing: a hold that already made a wait give up is not waited for again. */
  #closing = false;

  constructor(
    lock: FileLock,
    note: (message: string) => void,
    patience: LockPatience = AUDIT_LOCK_PATIENCE,
    end?: LockWaitEnd,
  ) {
    this.#lock = lock;
    this.#note = note;
    this.#patience = patience;
    this.#end = end;
  }

  /**
   * The log is closing (its last batch, the final checkpoint, comes next):
   * when a wait for the hold going on has run out or been ended already, the
   * batches after only try the lock, and fail at once with
   * `audit.lock_wait_ended` when another process still holds it.
   */
  closing(): void {
    this.#closing = true;
  }

  /**
   * Takes the lock: at once when it is free (resolved already), else once
   * the holder lets go; rejects with `audit.locked` when the wait runs out.
   */
  take(): Promise<void> {
    if (this.#lock.tryAcquire()) {
      this.#noted = false;
      this.#gaveUp = false;
      return Promise.resolve();
    }
    return this.#wait();
  }

  async #wait(): Promise<void> {
    if (this.#closing && this.#gaveUp) {
      throw lockWaitEndedError(this.#lock.path, DOING, "the audit log was closing");
    }
    const patience = this.#gaveUp
      ? { waitMs: AFTER_GIVING_UP_MS, noteAfterMs: AFTER_GIVING_UP_MS, polling: true }
      : { ...this.#patience, polling: true };
    try {
      await takeAuditLock(this.#lock, {
        doing: DOING,
        patience,
        note: (message) => {
          if (this.#noted) return;
          this.#noted = true;
          this.#note(message);
        },
        ...(this.#end === undefined ? {} : { end: this.#end }),
      });
    } catch (error) {
      if (isAppError(error, LOCK_WAIT_ENDED)) {
        this.#gaveUp = true;
        throw error;
      }
      if (!isAppError(error, "audit.locked")) throw error;
      this.#gaveUp = true;
      // The hold has lasted the whole patience at least, whatever this wait was.
      throw auditLockedError(this.#lock.path, DOING, this.#patience.waitMs);
    }
    this.#noted = false;
    this.#gaveUp = false;
  }
}
