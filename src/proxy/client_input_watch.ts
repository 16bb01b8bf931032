/**
 * The client's input, read while the session is not relaying yet (its
 * start waits for the audit log's lock): so that a client that closes its
 * input then is heard at once (`ended`), as a stop signal is, instead of
 * once the wait is over. What it read is kept, at most `limitBytes` (then it
 * reads no further until the relay takes over), and handed on unchanged:
 * {@linkcode ClientInputWatch.stream} gives the input as if it had not been
 * read, its first bytes first. {@linkcode ClientInputWatch.read} gives what
 * was read, for a session that ends before it relays (its requests are
 * answered).
 *
 * @example
 * ```ts
 * const watch = new ClientInputWatch(Deno.stdin.readable);
 * watch.ended.addEventListener("abort", () => console.error("the client closed its input"));
 * // … later, to relay:
 * const clientIn = watch.stream();
 * ```
 */

/**
 * How much of the client's input is read while it is watched: the few
 * messages a client sends at its start (an `initialize`, a listing), and a
 * bound on what one that floods costs.
 */
export const WATCH_LIMIT_BYTES = 1024 * 1024;

/** The client's input while the session does not relay yet (see the module doc). */
export class ClientInputWatch {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #limit: number;
  readonly #ended = new AbortController();
  /** What was read and not handed on yet. */
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  /** The read in progress, which the stream takes over when it starts. */
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  /** A read failed: the stream fails with it. */
  #failure: { error: unknown } | undefined;
  #watching = true;
  #done = false;

  constructor(input: ReadableStream<Uint8Array>, limitBytes: number = WATCH_LIMIT_BYTES) {
    this.#reader = input.getReader();
    this.#limit = limitBytes;
    void this.#watch();
  }

  /**
   * Aborted (reason `"input closed"`) once the input ends, while it is
   * watched or once the stream has read it to its end.
   */
  get ended(): AbortSignal {
    return this.#ended.signal;
  }

  /**
   * What was read so far, in order, whether the input ended after it, and
   * whether the watch stopped reading at its bound (`limited`).
   */
  read(): { chunks: readonly Uint8Array[]; ended: boolean; limited: boolean } {
    return { chunks: [...this.#chunks], ended: this.#done, limited: this.#bytes >= this.#limit };
  }

  /**
   * Stops watching and returns the input as a stream: the bytes read, then
   * the rest as it comes. Cancelling it cancels the input. Call it once.
   */
  stream(): ReadableStream<Uint8Array> {
    this.#watching = false;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = this.#chunks.shift();
        if (chunk !== undefined) {
          controller.enqueue(chunk);
          return;
        }
        if (this.#failure !== undefined) throw this.#failure.error;
        if (this.#done) {
          controller.close();
          return;
        }
        const pending = this.#pending ?? this.#reader.read();
        this.#pending = undefined;
        const result = await pending;
        if (result.done) {
          // Heard while relaying too: the session's end then waits no longer for the audit lock.
          this.#ended.abort("input closed");
          controller.close();
        } else controller.enqueue(result.value);
      },
      cancel: (reason) => this.#reader.cancel(reason),
    }, { highWaterMark: 0 });
  }

  /** Stops reading: the input is cancelled (a session that ends before it relays). */
  async cancel(): Promise<void> {
    this.#watching = false;
    await this.#reader.cancel().catch(() => {});
  }

  async #watch(): Promise<void> {
    while (this.#watching && this.#bytes < this.#limit) {
      const pending = this.#reader.read();
      this.#pending = pending;
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await pending;
      } catch (error) {
        if (this.#pending === pending) {
          this.#pending = undefined;
          this.#failure = { error };
        }
        return;
      }
      // Taken over by the stream, which hands this read on itself.
      if (this.#pending !== pending) return;
      this.#pending = undefined;
      if (result.done) {
        this.#done = true;
        this.#ended.abort("input closed");
        return;
      }
      this.#chunks.push(result.value);
      this.#bytes += result.value.length;
    }
  }
}
