/**
 * The writers' lock as each batch of an open log takes it (see
 * `audit_log.ts`). When no other process holds it (nearly always), one
 * non-blocking try takes it: no more work than a blocking take. When another
 * process holds it (a thoth stopped with Ctrl-Z, a long export), the batch
 * waits for it off the thread (see `take_audit_lock.ts`), so a session goes
 * on relaying meanwhile: the records that gate its calls are in its spool
 * before the calls are forwarded, and the records wait for the lock. The
 * wait says once on `note`, after a second, what it waits for and how to
 * find the holder, and fails with `audit.locked` after 10 s (the session
 * then refuses the calls it cannot record, as with any log that refuses its
 * records, and tries again). Once it has failed, each later batch waits
 * only {@linkcode AFTER_GIVING_UP_MS}, quietly, until one takes the lock: a
 * session's end is not held up for long by a holder that never lets go.
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
import { AUDIT_LOCK_PATIENCE, auditLockedError, takeAuditLock } from "./take_audit_lock.ts";

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
  /** A wait ran out during the hold going on (`audit.locked`). */
  #gaveUp = false;

  constructor(
    lock: FileLock,
    note: (message: string) => void,
    patience: LockPatience = AUDIT_LOCK_PATIENCE,
  ) {
    this.#lock = lock;
    this.#note = note;
    this.#patience = patience;
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
    const patience = this.#gaveUp
      ? { waitMs: AFTER_GIVING_UP_MS, noteAfterMs: AFTER_GIVING_UP_MS }
      : this.#patience;
    try {
      await takeAuditLock(this.#lock, {
        doing: DOING,
        patience,
        note: (message) => {
          if (this.#noted) return;
          this.#noted = true;
          this.#note(message);
        },
      });
    } catch (error) {
      if (!isAppError(error, "audit.locked")) throw error;
      this.#gaveUp = true;
      // The hold has lasted the whole patience at least, whatever this wait was.
      throw auditLockedError(this.#lock.path, DOING, this.#patience.waitMs);
    }
    this.#noted = false;
    this.#gaveUp = false;
  }
}
