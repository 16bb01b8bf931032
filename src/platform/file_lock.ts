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
  readonly #file: Deno.FsFile;
  #held = false;

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

  /** Waits for and takes the exclusive lock. */
  async acquire(): Promise<void> {
    await this.#file.lock(true);
    this.#held = true;
  }

  /** Gives the lock back. */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    await this.#file.unlock();
  }

  /** Closes the file (which also drops the lock). */
  close(): void {
    this.#held = false;
    this.#file.close();
  }
}
