/**
 * A growable UTF-8 byte buffer that is reused instead of allocated: the
 * audit path encodes a few records per tool call, and a fresh `Uint8Array`
 * per record is memory outside the JavaScript heap that the allocator and
 * the garbage collector both pay for. Pure.
 *
 * @example
 * ```ts
 * const buffer = new Utf8Buffer();
 * const line = buffer.append('{"seq":0}\n'); // a view into the buffer
 * buffer.bytes();                             // everything appended since clear()
 * buffer.clear();
 * ```
 */

const encoder = new TextEncoder();

/** Bytes appended as UTF-8 text, in one reused allocation. */
export class Utf8Buffer {
  #buffer: Uint8Array;
  #length = 0;

  constructor(initialBytes = 4096) {
    this.#buffer = new Uint8Array(initialBytes);
  }

  /** Number of bytes held. */
  get length(): number {
    return this.#length;
  }

  /**
   * Appends `text` as UTF-8 and returns a view of exactly its bytes, valid
   * until the next `append` or `clear`.
   */
  append(text: string): Uint8Array {
    // UTF-8 never takes more than three bytes per UTF-16 code unit.
    const room = this.#length + text.length * 3;
    if (room > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(room, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    const start = this.#length;
    const { written } = encoder.encodeInto(text, this.#buffer.subarray(start));
    this.#length += written;
    return this.#buffer.subarray(start, this.#length);
  }

  /** Everything appended since the last `clear`, as a view. */
  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  /** Forgets the contents, keeping the allocation (up to `keepBytes`). */
  clear(keepBytes = 1 << 20): void {
    this.#length = 0;
    if (this.#buffer.length > keepBytes) this.#buffer = new Uint8Array(keepBytes);
  }
}
