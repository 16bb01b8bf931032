/**
 * The client's `initialize` while it is on its way: forwarded to the server
 * and not yet answered. A tool call that comes meanwhile (a client that
 * writes `initialize` and its first call together) waits for that answer
 * before thoth lists the server's tools for it: a server may refuse requests
 * before its handshake, and the listing must not fail for that. The wait is
 * bounded: an `initialize` that stays unanswered (its answer dropped,
 * cancelled) lets the waiting calls go on after `ms`.
 *
 * @example
 * ```ts
 * const handshake = new HandshakeWait();
 * handshake.begin();                  // an initialize was forwarded
 * const wait = handshake.settled(5_000); // a promise: a call waits on it
 * handshake.end();                    // the server answered: the wait ends
 * ```
 */

/** An `initialize` in flight, and who waits for its answer. */
export class HandshakeWait {
  /** Resolvers of the waits on the `initialize` in flight; undefined when none is. */
  #waiters: (() => void)[] | undefined;

  /** Whether an `initialize` is in flight. */
  get inFlight(): boolean {
    return this.#waiters !== undefined;
  }

  /** An `initialize` was forwarded (a second one replaces the first: its waits end). */
  begin(): void {
    this.end();
    this.#waiters = [];
  }

  /** The `initialize` in flight was answered, or never will be: every wait on it ends. */
  end(): void {
    const waiters = this.#waiters;
    if (waiters === undefined) return;
    this.#waiters = undefined;
    for (const resolve of waiters) resolve();
  }

  /**
   * Resolves once the `initialize` in flight was answered, or after `ms`;
   * undefined when none is in flight (nothing to wait for).
   */
  settled(ms: number): Promise<void> | undefined {
    const waiters = this.#waiters;
    if (waiters === undefined) return undefined;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      waiters.push(done);
    });
  }
}
