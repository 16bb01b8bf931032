/**
 * An exclusive advisory lock on a file, shared by every process on the
 * machine: `acquire` waits (without blocking the event loop) until no other
 * holder is left. The lock dies with the process, so a crashed holder never
 * leaves it stuck.
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

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
    this.#id = identity(file.statSync());
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
   */
  acquire(): Promise<void> {
    this.#file.lockSync(true);
    this.#held = true;
    this.#relockIfReplaced();
    return Promise.resolve();
  }

  /**
   * Takes the exclusive lock as {@linkcode acquire} does, but waits on the
   * runtime's thread pool instead of blocking this thread: for work that may
   * wait (an idle writer's checkpoint) while the thread goes on with the rest.
   */
  async acquireWithoutBlocking(): Promise<void> {
    await this.#file.lock(true);
    this.#held = true;
    this.#relockIfReplaced();
  }

  #relockIfReplaced(): void {
    // A lock file removed or moved away while held locks nothing for the next
    // process, which makes a new one at the path: lock that one instead (its
    // folder made again if need be). The new file is locked before the old
    // one is let go, so a failure leaves the old lock as it was.
    while (this.#id !== atPath(this.path)) {
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
      this.#id = identity(file.statSync());
      this.#generation++;
    }
  }

  /** Gives the lock back. */
  release(): Promise<void> {
    if (!this.#held) return Promise.resolve();
    this.#held = false;
    this.#file.unlockSync();
    return Promise.resolve();
  }

  /** Closes the file (which also drops the lock). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#held = false;
    this.#file.close();
  }
}

/** A file's device and inode ("" where the platform has none: nothing to compare). */
function identity(info: Deno.FileInfo): string {
  return info.ino === null ? "" : `${info.dev}:${info.ino}`;
}

/** The identity of what is at `path` now; "gone" when nothing is. */
function atPath(path: string): string {
  try {
    return identity(Deno.statSync(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "gone";
    throw error;
  }
}
