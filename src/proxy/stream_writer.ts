/**
 * An ordered, back-pressured writer over a byte stream. Writes never throw:
 * the first failure is reported once and later writes are dropped, because a
 * peer that went away is a lifecycle event, not an exception.
 *
 * @example
 * ```ts
 * const out = new StreamWriter(Deno.stdout.writable, (e) => console.error(e));
 * out.write(new TextEncoder().encode("{}\n"));
 * await out.ready();
 * ```
 */

/** Serializes writes to one stream and exposes its back-pressure. */
export class StreamWriter {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #onError: (error: unknown) => void;
  #failed = false;
  #closed = false;

  constructor(stream: WritableStream<Uint8Array>, onError: (error: unknown) => void) {
    this.#writer = stream.getWriter();
    this.#onError = onError;
  }

  /** Whether a write has failed (the peer is gone). */
  get failed(): boolean {
    return this.#failed;
  }

  /** Queues bytes behind every earlier write. */
  write(bytes: Uint8Array): void {
    if (this.#failed || this.#closed) return;
    this.#writer.write(bytes).catch((error) => this.#fail(error));
  }

  /** Resolves when the stream wants more (never rejects). */
  async ready(): Promise<void> {
    if (this.#failed || this.#closed) return;
    try {
      await this.#writer.ready;
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Waits for queued writes, then closes the stream (never rejects). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#writer.close();
    } catch (error) {
      if (!this.#failed) this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#onError(error);
  }
}
