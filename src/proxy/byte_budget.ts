/**
 * A count of bytes held on their way somewhere, with a limit a reader waits
 * under: the relay counts here the client's lines it holds for the server
 * (calls still being decided, and writes the server has not taken yet), and
 * the client's pump reads no further while the count is over the limit. Only
 * a counter: adding and removing cost two additions, nothing is allocated
 * unless a reader waits.
 *
 * @example
 * ```ts
 * const held = new ByteBudget(4 * 1024 * 1024);
 * held.add(line.length);
 * // … the line was decided and written …
 * held.remove(line.length);
 * await held.below();
 * ```
 */

/** Bytes held, against a limit. */
export class ByteBudget {
  /** Above this many bytes, {@linkcode over} is true. */
  readonly limit: number;
  #bytes = 0;
  #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether more than the limit is held. */
  get over(): boolean {
    return this.#bytes > this.limit;
  }

  /** Counts `bytes` more as held. */
  add(bytes: number): void {
    this.#bytes += bytes;
  }

  /** Counts `bytes` as no longer held; wakes the waiters once the count is within the limit. */
  remove(bytes: number): void {
    this.#bytes -= bytes;
    if (!this.over) this.#wake();
  }

  /** Resolves once {@linkcode over} is false (at once when that is so now). */
  below(): Promise<void> {
    if (!this.over) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #wake(): void {
    if (this.#waiting.length === 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }
}
