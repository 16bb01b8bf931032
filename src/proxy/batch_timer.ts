/**
 * When a session's next batch of records moves into the chained log (see
 * `log_batches.ts`): one batch armed at a time, {@linkcode INGEST_MS} after
 * the record that arms it, or {@linkcode RETRY_MS} while the log refuses
 * batches; never armed again once stopped (the session has ended). The
 * timer never holds the process open (see `unref_timer.ts`).
 *
 * @example
 * ```ts
 * const timer = new BatchTimer(() => void batches.flush());
 * timer.arm(INGEST_MS); // a record was queued
 * timer.arm(RETRY_MS); // does nothing: a batch is armed already
 * timer.disarm(); // the flush runs now instead
 * timer.stop(); // the session's end
 * ```
 */
import { type CancelTimer, unrefTimer } from "../platform/unref_timer.ts";

/** How often spooled and trailing records move into the chained log. */
export const INGEST_MS = 10;

/** How soon a batch the log refused is tried again (new records do not wait longer). */
export const RETRY_MS = 250;

/** The timer of a session's next batch. */
export class BatchTimer {
  readonly #fire: () => void;
  #cancel: CancelTimer | undefined;
  #stopped = false;

  /** `fire` runs the batch, when the timer armed for it goes off. */
  constructor(fire: () => void) {
    this.#fire = fire;
  }

  /** Whether a batch is armed. */
  get armed(): boolean {
    return this.#cancel !== undefined;
  }

  /** Whether the timer is stopped for good (see {@linkcode BatchTimer.stop}). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Arms the next batch in `ms`, unless one is armed or the timer is stopped. */
  arm(ms: number): void {
    if (this.#cancel !== undefined || this.#stopped) return;
    this.#cancel = unrefTimer(() => {
      this.#cancel = undefined;
      this.#fire();
    }, ms);
  }

  /** Disarms the batch armed, if any (one that runs now needs no timer). */
  disarm(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  /** The session has ended: the batch armed is disarmed, and none is armed again. */
  stop(): void {
    this.#stopped = true;
    this.disarm();
  }
}
