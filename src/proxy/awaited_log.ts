/**
 * A session's audit log that could not be opened at its start, for a cause
 * that passes, while tries open it (see `audit_log_reopen.ts`): whether the
 * log is still awaited, whether it has not taken a batch yet (its first one
 * is said as the log opening), and the tries themselves. `LogBatches` holds
 * and counts the records meanwhile.
 *
 * @example
 * ```ts
 * const awaited = new AwaitedLog((log) => batches.opened(log));
 * awaited.start(tries, keyed); // `keyed.log` is set once a try opens it
 * await awaited.lastTry(); // at the session's end
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import type { Digests } from "../audit/key_digests.ts";

/** The tries to open a log the session's start could not open (see `AuditLogReopen`). */
export interface LogOpening {
  /** Tries until one opens the log, given to `opened`, or the tries stop. */
  run(opened: (log: AuditLog) => void): void;
  /** Stops the tries, and makes a last short one: the log it opened, or undefined. */
  finish(): Promise<AuditLog | undefined>;
  /** Stops the tries, with no last one. */
  stop(): void;
}

/** The log a session awaits, and the tries to open it. */
export class AwaitedLog {
  readonly #opened: (log: AuditLog) => void;
  /** The log is not open yet, but may be. */
  #awaiting = false;
  /** Those tries, and where the records take their digests from until then. */
  #opening: { tries: LogOpening; keyed: { log: Digests | undefined } } | undefined;
  /** The awaited log has not taken a batch yet. */
  #unopened = false;

  /** `opened` is given the log a try opened (after `keyed.log` is set to it). */
  constructor(opened: (log: AuditLog) => void) {
    this.#opened = opened;
  }

  /** Whether the log is not open yet, but may be. */
  get awaiting(): boolean {
    return this.#awaiting;
  }

  /** Starts `tries`; once one opens the log, `keyed` takes its digests from it. */
  start(tries: LogOpening, keyed: { log: Digests | undefined }): void {
    this.#awaiting = true;
    this.#unopened = true;
    this.#opening = { tries, keyed };
    tries.run((log) => this.#open(log));
  }

  /** Stops the tries, with no last one; returns whether there were tries to stop. */
  stop(): boolean {
    if (!this.#awaiting) return false;
    this.#opening?.tries.stop();
    this.#opening = undefined;
    this.#awaiting = false;
    this.#unopened = false;
    return true;
  }

  /** The session's end: a last short try to open a log still not open. */
  async lastTry(): Promise<void> {
    const log = await this.#opening?.tries.finish();
    if (log !== undefined) this.#open(log);
  }

  /**
   * The log took a batch: whether it is the first one of a log that was
   * awaited (said as the log opening), once.
   */
  tookFirst(): boolean {
    const first = this.#unopened;
    this.#unopened = false;
    return first;
  }

  #open(log: AuditLog): void {
    this.#awaiting = false;
    if (this.#opening !== undefined) this.#opening.keyed.log = log;
    this.#opened(log);
  }
}
