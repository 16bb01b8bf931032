/**
 * An exclusive advisory lock on a file, shared by every process on the
 * machine: `acquire` waits until no other holder is left. The lock dies with
 * the process, so a crashed holder never leaves it stuck. Holders on one
 * thread (two logs opened by one process, say) take turns in a queue of that
 * thread's own (`thread_lock_turns.ts`) before they lock the file: the file
 * lock blocks the thread, and a holder of the same thread could then never go
 * on to release it.
 * `acquireWithin` gives up after a while (a holder that never lets go: a
 * stopped process), or at once when its caller is told to stop; the file's
 * lock it asked for cannot be withdrawn, so it keeps this thread's turn until
 * that settles, and lets go at once of a lock that came too late.
 * `tryAcquire` takes it only if no one holds it, and never waits;
 * `acquireWithinPolling` gives up as `acquireWithin` does, but tries the
 * lock again and again for a moment before it asks for it (see there why).
 *
 * @example
 * ```ts
 * const lock = await FileLock.open("/home/ana/.thoth/audit/.lock");
 * await lock.acquire();
 * try {
 *   // … exclusive work …
 * } finally {
 *   await lock.release();
 * }
 * lock.close();
 * ```
 */

import { folderOf } from "./durable_file.ts";
import { fileIdentity, identityAtPath } from "./file_identity.ts";
import { fulfilsWithin, pauseFor } from "./stoppable_wait.ts";
import { ThreadLockTurns } from "./thread_lock_turns.ts";

/** Per lock path, this thread's turns (module state is per thread: each Worker has its own). */
const turns = new ThreadLockTurns();

/** A lock file held open by this process. */
export class FileLock {
  readonly path: string;
  #file: Deno.FsFile;
  /** The identity of the file held, to tell it from another at the same path. */
  #id: string;
  #held = false;
  #closed = false;
  /** How many times the lock file was found removed or replaced and locked again at its path. */
  #generation = 0;
  /**
   * A bounded take that ran out of time while the file's lock was still
   * asked for: settles once that request ended and what it took was let go.
   * This thread's turn stays with this lock until then.
   */
  #late: Promise<void> | undefined;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
    this.#id = fileIdentity(file.statSync());
  }

  /**
   * Counts the times the lock file was found removed or replaced (its
   * folder moved, say) and the lock taken again on the file now at the path:
   * whatever the holder had open beside it may be gone too.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Opens (creating, mode 0600) the lock file. */
  static async open(path: string): Promise<FileLock> {
    const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
    return new FileLock(path, file);
  }

  /** Whether this process holds the lock. */
  get held(): boolean {
    return this.#held;
  }

  /**
   * Waits for and takes the exclusive lock. Synchronous underneath: a lock
   * is held for microseconds, and the asynchronous call's trip through the
   * runtime's thread pool cost more than the wait it avoided on every append.
   * A holder of this thread is waited for without blocking it.
   */
  acquire(): Promise<void> {
    if (this.#late !== undefined) return this.#late.then(() => this.acquire());
    if (!this.#firstInLine()) return this.#turn().then(() => this.#lockNow());
    this.#lockNow();
    return Promise.resolve();
  }

  /**
   * Takes the exclusive lock now if no one holds it, without waiting:
   * true when it is held then, false when another process holds it, a
   * holder of this thread has the turn, or a bounded take that ran out of
   * time is still asked for (nothing is then held or queued). As cheap as
   * {@linkcode acquire} on a free lock. Throws what locking the file throws.
   */
  tryAcquire(): boolean {
    if (this.#held) return true;
    if (this.#late !== undefined || !this.#firstInLine()) return false;
    if (this.#tryWithTurn()) return true;
    this.#passTurn();
    return false;
  }

  /**
   * One try at the file's lock, this lock's turn held: true once taken; on a
   * miss the turn is still held (the caller passes it or tries again); lets
   * go of everything and throws what locking the file throws.
   */
  #tryWithTurn(): boolean {
    try {
      if (!this.#file.tryLockSync(true)) return false;
      this.#held = true;
      this.#relockIfReplaced();
      return true;
    } catch (error) {
      this.#letGo();
      throw error;
    }
  }

  /**
   * Takes the exclusive lock as {@linkcode acquire} does, but waits on the
   * runtime's thread pool instead of blocking this thread: for work that may
   * wait (an idle writer's checkpoint) while the thread goes on with the rest.
   */
  async acquireWithoutBlocking(): Promise<void> {
    if (this.#late !== undefined) await this.#late;
    if (!this.#firstInLine()) await this.#turn();
    try {
      await this.#file.lock(true);
      this.#held = true;
      this.#relockIfReplaced();
    } catch (error) {
      this.#letGo();
      throw error;
    }
  }

  /**
   * Takes the lock as {@linkcode acquireWithoutBlocking} does, but gives up
   * once `ms` milliseconds have passed: resolves true when the lock is held,
   * false when the time ran out (the lock is then not held). A holder of this
   * thread is waited for in turn, within the same time. The file's lock,
   * once asked for, cannot be withdrawn: when it comes after the time ran
   * out, it is let go at once, and until that request ends this lock keeps
   * the turn of this thread (a holder of it that blocked the thread on the
   * file would keep the late lock from ever being let go), and `close` waits
   * for it. `stop`, once aborted, ends the wait as the time running out
   * does (false), at once; aborted already, nothing is asked for. Throws
   * what locking the file throws.
   */
  async acquireWithin(ms: number, stop?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + ms;
    if (this.#held) return true;
    if (stop?.aborted) return false;
    if (this.#late !== undefined && !(await fulfilsWithin(this.#late, ms, stop))) return false;
    if (!this.#firstInLine() && !(await this.#turnWithin(deadline - Date.now(), stop))) {
      return false;
    }
    const left = deadline - Date.now();
    if (left <= 0 || stop?.aborted) {
      this.#passTurn();
      return false;
    }
    const taking = this.#file.lock(true);
    try {
      if (!(await fulfilsWithin(taking, left, stop))) {
        this.#takeLate(taking);
        return false;
      }
      this.#held = true;
      this.#relockIfReplaced();
      return true;
    } catch (error) {
      this.#letGo();
      throw error;
    }
  }

  /**
   * Takes the lock as {@linkcode acquireWithin} does (false once `ms` pass,
   * or at once when `stop` is aborted), but for its first
   * {@linkcode POLL_FOR_MS} by trying it without waiting every `pauseMs`,
   * this thread free between tries (a timer that keeps the process open, as
   * the file's lock asked for would), and only then by asking for it. For
   * other writers' batches, taken and let go many times a second: a lock
   * asked for on the thread pool is given to this process when the holder
   * lets go and stays held, unused, until this thread runs again (on a busy
   * machine that cost four writers about a fifth of their appends), whereas
   * a lock tried is taken only by a running thread. Asked for after that, a
   * longer wait is not left to the luck of the tries (a lock asked for is
   * given in turn when let go; a try may keep missing it). This thread's
   * turn is kept throughout, as `acquireWithin` keeps it while it waits.
   * Throws what locking the file throws.
   */
  async acquireWithinPolling(
    ms: number,
    stop?: AbortSignal,
    pauseMs: number = POLL_PAUSE_MS,
  ): Promise<boolean> {
    const started = Date.now();
    const deadline = started + ms;
    if (this.#held) return true;
    if (stop?.aborted) return false;
    if (this.#late !== undefined && !(await fulfilsWithin(this.#late, ms, stop))) return false;
    if (!this.#firstInLine() && !(await this.#turnWithin(deadline - Date.now(), stop))) {
      return false;
    }
    for (;;) {
      if (this.#tryWithTurn()) return true;
      const now = Date.now();
      if (now >= deadline || stop?.aborted) {
        this.#passTurn();
        return false;
      }
      // With the turn still this lock's, `acquireWithin` goes on with it.
      if (now - started >= POLL_FOR_MS) return await this.acquireWithin(deadline - now, stop);
      await pauseFor(Math.min(pauseMs, deadline - now), stop);
    }
  }

  /** Lets go of the file's lock asked for by a take that ran out of time, once it comes. */
  #takeLate(taking: Promise<void>): void {
    this.#late = taking.then(
      () => {
        try {
          this.#file.unlockSync();
        } catch {
          // Closing the file (below, or with the process) lets go of it too.
        }
      },
      () => {
        // Not taken: nothing to let go.
      },
    ).finally(() => {
      this.#late = undefined;
      if (this.#closed) {
        try {
          this.#file.close();
        } catch {
          // Closed already.
        }
      }
      this.#passTurn();
    });
  }

  /** Takes the turn of this thread when no holder of it has one; says whether it did. */
  #firstInLine(): boolean {
    return turns.takeIfFree(this.path, this);
  }

  /** Waits in this thread's line until the holder before passes the turn on. */
  #turn(): Promise<void> {
    return turns.wait(this.path, this);
  }

  /**
   * Waits in this thread's line as {@linkcode #turn} does, leaving it when
   * `ms` pass first, or `stop` is aborted.
   */
  #turnWithin(ms: number, stop: AbortSignal | undefined): Promise<boolean> {
    return turns.waitWithin(this.path, this, ms, stop);
  }

  /** Locks the file with the turn of this thread held (passed on again if the lock fails). */
  #lockNow(): void {
    try {
      this.#file.lockSync(true);
      this.#held = true;
      this.#relockIfReplaced();
    } catch (error) {
      this.#letGo();
      throw error;
    }
  }

  /** After a failed take: the file unlocked if it was locked, and the turn passed on. */
  #letGo(): void {
    try {
      if (this.#held) this.#file.unlockSync();
    } finally {
      this.#held = false;
      this.#passTurn();
    }
  }

  /** Gives this thread's turn to the next holder waiting, if any. */
  #passTurn(): void {
    turns.pass(this.path, this);
  }

  #relockIfReplaced(): void {
    // A lock file removed or moved away while held locks nothing for the next
    // process, which makes a new one at the path: lock that one instead (its
    // folder made again if need be). The new file is locked before the old
    // one is let go, so a failure leaves the old lock as it was.
    while (this.#id !== identityAtPath(this.path)) {
      Deno.mkdirSync(folderOf(this.path), { recursive: true, mode: 0o700 });
      const file = Deno.openSync(this.path, { read: true, write: true, create: true, mode: 0o600 });
      try {
        file.lockSync(true);
      } catch (error) {
        file.close();
        throw error;
      }
      this.#file.close();
      this.#file = file;
      this.#id = fileIdentity(file.statSync());
      this.#generation++;
    }
  }

  /** Gives the lock back. */
  release(): Promise<void> {
    if (!this.#held) return Promise.resolve();
    this.#held = false;
    try {
      this.#file.unlockSync();
    } finally {
      this.#passTurn();
    }
    return Promise.resolve();
  }

  /**
   * Closes the file (which also drops the lock); after a bounded take that
   * ran out of time, once the lock it asked for is let go.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#held = false;
    if (this.#late !== undefined) return; // closed when the late take ends (see #takeLate)
    try {
      this.#file.close();
    } finally {
      this.#passTurn();
    }
  }
}

/** How long {@linkcode FileLock.acquireWithinPolling} pauses between two tries. */
export const POLL_PAUSE_MS = 1;
/**
 * For how long it tries before it asks for the lock: many times as long as
 * a writer's batch holds it, so that a longer wait is a longer hold.
 */
export const POLL_FOR_MS = 50;
