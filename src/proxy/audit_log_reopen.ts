/**
 * Opening a session's audit log again when its first try, at the session's
 * start, failed for a cause that passes: its lock held by another process
 * past the wait (a stopped thoth, a long export), or a write the file
 * system refused (a full disk). The session then runs as it does when the
 * log fails in its middle (see `session_audit.ts`): calls are refused but in
 * observe mode, their records wait in the spool, and once a try opens the
 * log they are written to it, after the session's start.
 *
 * A try waits for the lock as the start did ({@linkcode AUDIT_LOCK_PATIENCE}),
 * without a note (the start's error said it already): the lock is taken as
 * soon as it is let go. Tries follow each other {@linkcode RETRY_MS} apart,
 * until one opens the log or the session ends, which makes a last short
 * one ({@linkcode LAST_TRY_MS}). Another cause (a key thoth cannot read, a
 * state file that is not one), or a profile with no keys yet, is not tried
 * again.
 *
 * @example
 * ```ts
 * const reopen = (await reopenable(error, home)) ? new AuditLogReopen(open, stop) : undefined;
 * reopen?.run((log) => useTheLog(log));
 * const late = await reopen?.finish(); // at the session's end: the last try's log, if it opened
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import { AUDIT_LOCK_PATIENCE } from "../audit/take_audit_lock.ts";
import type { LockPatience } from "../platform/take_lock_patiently.ts";
import { isAppError } from "../errors.ts";
import { firstKeyCreated } from "../audit/device_keys.ts";
import { auditPaths } from "../audit/log_paths.ts";
import { unrefTimer } from "../platform/unref_timer.ts";
import { RETRY_MS } from "./batch_timer.ts";

/** Opens the log, waiting for its lock with `patience`, the wait ended early by `stop`. */
export type OpenLog = (patience: LockPatience, stop: AbortSignal) => Promise<AuditLog>;

/** How long the session's end waits for the lock in its last try. */
export const LAST_TRY_MS = 1_000;

/**
 * Whether a failed open of the audit log under `thothHome` may succeed when
 * tried again (the lock, the file system), and the session may spool
 * meanwhile: only under keys made already. Keys are made with the log's
 * state, under its lock (see `openAuditLog`): a session that made them
 * while another process held it could leave keys beside no log.
 */
export async function reopenable(error: unknown, thothHome: string): Promise<boolean> {
  if (!isAppError(error, "audit.locked") && !isAppError(error, "audit.unwritable")) return false;
  try {
    return (await firstKeyCreated(auditPaths(thothHome))) !== null;
  } catch {
    return false;
  }
}

/** The tries to open a session's audit log after its start could not. */
export class AuditLogReopen {
  readonly #open: OpenLog;
  readonly #stopped = new AbortController();
  readonly #stop: AbortSignal;
  /** The loop of tries (see {@linkcode run}): the log it opened, or undefined. */
  #running: Promise<AuditLog | undefined> = Promise.resolve(undefined);
  /** Whether a try opened the log (no later try is made). */
  #opened = false;

  /** `stop` (the session's stop signal) ends a try's wait as {@linkcode stop} does. */
  constructor(open: OpenLog, stop?: AbortSignal) {
    this.#open = open;
    this.#stop = stop === undefined
      ? this.#stopped.signal
      : AbortSignal.any([this.#stopped.signal, stop]);
  }

  /** Whether the tries were stopped (by {@linkcode stop}, or the session's stop signal). */
  get stopped(): boolean {
    return this.#stop.aborted;
  }

  /** One try, waiting for the lock as the start did: the log, or undefined. */
  attempt(): Promise<AuditLog | undefined> {
    if (this.#stop.aborted) return Promise.resolve(undefined);
    const quiet = { waitMs: AUDIT_LOCK_PATIENCE.waitMs, noteAfterMs: AUDIT_LOCK_PATIENCE.waitMs };
    return this.#try(quiet, this.#stop);
  }

  /** A short last try, whatever stopped the others. */
  last(): Promise<AuditLog | undefined> {
    return this.#try(
      { waitMs: LAST_TRY_MS, noteAfterMs: LAST_TRY_MS },
      new AbortController().signal,
    );
  }

  /** Ends the wait of a try in progress, and every later {@linkcode attempt}. */
  stop(): void {
    this.#stopped.abort();
  }

  /**
   * Tries again and again, {@linkcode RETRY_MS} apart, until one try opens
   * the log (given to `opened`) or the tries are stopped.
   */
  run(opened: (log: AuditLog) => void): void {
    this.#running = this.#loop().then((log) => {
      if (log !== undefined) {
        this.#opened = true;
        opened(log);
      }
      return log;
    });
  }

  /**
   * The session's end: stops the tries, waits for the one in progress and,
   * when none opened the log, makes a last short one. Returns the log that
   * last try opened (one opened before went to `run`'s `opened`).
   */
  async finish(): Promise<AuditLog | undefined> {
    this.stop();
    await this.#running;
    return this.#opened ? undefined : await this.last();
  }

  async #loop(): Promise<AuditLog | undefined> {
    while (!this.stopped) {
      const log = await this.attempt();
      if (log !== undefined) return log;
      if (this.stopped) return undefined;
      await pause(RETRY_MS, this.#stop);
    }
    return undefined;
  }

  async #try(patience: LockPatience, stop: AbortSignal): Promise<AuditLog | undefined> {
    try {
      return await this.#open(patience, stop);
    } catch {
      // Said at the start already; the next try (or the session's end) says what follows.
      return undefined;
    }
  }
}

/** Resolves after `ms`, or at once when `stop` aborts (the timer keeps no process alive). */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      cancel();
      stop.removeEventListener("abort", done);
      resolve();
    };
    const cancel = unrefTimer(done, ms);
    stop.addEventListener("abort", done);
  });
}
