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

/** A lock file held open by this process. */
export class FileLock {
  readonly path: string;
  #file: Deno.FsFile;
  #held = false;
  #closed = false;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
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
    // A lock file removed while held locks nothing for the next process, which
    // makes a new one: lock that instead (its folder made again if need be).
    while (this.#file.statSync().nlink === 0) {
      this.#file.close();
      const cut = Math.max(this.path.lastIndexOf("/"), this.path.lastIndexOf("\\"));
      if (cut > 0) Deno.mkdirSync(this.path.slice(0, cut), { recursive: true, mode: 0o700 });
      this.#file = Deno.openSync(this.path, { read: true, write: true, create: true, mode: 0o600 });
      this.#file.lockSync(true);
    }
    this.#held = true;
    return Promise.resolve();
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
