/**
 * Bounded NDJSON framing. Bytes arrive in chunks of any size; complete lines
 * come out with their original terminator (`\n` or `\r\n`) so they can be
 * forwarded byte for byte. A line longer than the cap is never held whole:
 * only its first and last {@linkcode OVERSIZE_WINDOW} bytes are kept, so a
 * caller can still find the JSON-RPC id of what it had to drop. A sink that
 * only forwards long lines may take them as the chunks they arrived in
 * (`lineParts`), which spares a copy the size of the line.
 *
 * @example
 * ```ts
 * const decoder = new LineDecoder(1024, {
 *   line: (bytes) => console.log(bytes.length),
 *   oversize: (info) => console.error(`dropped ${info.size} bytes`),
 * });
 * decoder.push(new TextEncoder().encode('{"a":1}\n{"b"'));
 * decoder.push(new TextEncoder().encode(":2}\r\n"));
 * decoder.end();
 * ```
 */

import { firstBytes, joinParts, lastBytes, partsLength, terminatorLength } from "./byte_parts.ts";

/** Bytes kept from each end of a line that exceeded the cap. */
export const OVERSIZE_WINDOW = 4096;

/** What is known of a line that exceeded the cap and was dropped. */
export interface OversizeLine {
  /** The line's length in bytes, without its terminator. */
  size: number;
  /** Its first bytes (at most {@linkcode OVERSIZE_WINDOW}). */
  head: Uint8Array;
  /** Its last bytes (at most {@linkcode OVERSIZE_WINDOW}). */
  tail: Uint8Array;
}

/** Receives decoded lines. */
export interface LineSink {
  /** A complete line with its terminator; an unterminated last line at `end()` has none. */
  line(bytes: Uint8Array): void;
  /**
   * A line of at least the decoder's `partsFrom` bytes that arrived in more
   * than one chunk, as those chunks, in order (with its terminator, as for
   * `line`). Without this method such lines come to `line`, joined.
   */
  lineParts?(parts: Uint8Array[]): void;
  /** A line over the cap, dropped. */
  oversize(info: OversizeLine): void;
}

const LF = 0x0a;

/** Splits a byte stream into lines, holding at most `maxLineBytes` of any line. */
export class LineDecoder {
  readonly #max: number;
  readonly #sink: LineSink;
  readonly #partsFrom: number;
  #parts: Uint8Array[] = [];
  #partsLength = 0;
  #overflow = false;
  #overflowSize = 0;
  #head: Uint8Array = new Uint8Array(0);
  #tail = new Uint8Array(OVERSIZE_WINDOW);
  #tailLength = 0;

  /**
   * @param maxLineBytes the cap on a line's length without its terminator
   * @param partsFrom lines this long or longer go to `sink.lineParts` (when it has one) unjoined
   */
  constructor(maxLineBytes: number, sink: LineSink, partsFrom = Infinity) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`line cap must be a positive integer, got ${maxLineBytes}`);
    }
    this.#max = maxLineBytes;
    this.#sink = sink;
    this.#partsFrom = partsFrom;
  }

  /** Feeds one chunk. The chunk must not be modified afterwards (lines may alias it). */
  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        this.#keep(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, newline + 1);
      start = newline + 1;
      if (this.#overflow) {
        this.#keep(piece);
        this.#finishOversize(true);
        continue;
      }
      if (this.#partsLength === 0) {
        this.#emit(piece, true);
      } else {
        this.#parts.push(piece);
        this.#partsLength += piece.length;
        this.#emitHeld(true);
      }
    }
  }

  /** Ends the stream: an unterminated last line is delivered as is. */
  end(): void {
    if (this.#overflow) {
      this.#finishOversize(false);
    } else if (this.#partsLength > 0) {
      this.#emitHeld(false);
    }
  }

  /** Bytes currently held for an incomplete line (bounded by the cap). */
  get buffered(): number {
    return this.#overflow ? this.#head.length + this.#tailLength : this.#partsLength;
  }

  #emit(line: Uint8Array, terminated: boolean): void {
    const size = terminated ? line.length - terminatorLength([line]) : line.length;
    if (size > this.#max) {
      this.#dropOversize([line], size);
    } else {
      this.#sink.line(line);
    }
  }

  /** Delivers the held parts as one line: unjoined when the sink takes parts and it is long. */
  #emitHeld(terminated: boolean): void {
    const parts = this.#parts;
    const length = this.#partsLength;
    if (this.#sink.lineParts === undefined || parts.length === 1 || length < this.#partsFrom) {
      this.#emit(this.#takeParts(), terminated);
      return;
    }
    this.#parts = [];
    this.#partsLength = 0;
    const size = terminated ? length - terminatorLength(parts) : length;
    if (size > this.#max) {
      this.#dropOversize(parts, size);
    } else {
      this.#sink.lineParts(parts);
    }
  }

  /** Reports a line of `size` content bytes over the cap, with copies of its ends. */
  #dropOversize(parts: readonly Uint8Array[], size: number): void {
    const window = Math.min(OVERSIZE_WINDOW, size);
    const terminator = partsLength(parts) - size;
    this.#sink.oversize({
      size,
      head: firstBytes(parts, window).slice(),
      tail: lastBytes(parts, terminator + window).slice(0, window),
    });
  }

  #keep(bytes: Uint8Array): void {
    if (!this.#overflow) {
      if (this.#partsLength + bytes.length <= this.#max + 2) {
        this.#parts.push(bytes);
        this.#partsLength += bytes.length;
        return;
      }
      // Switch to overflow: remember the head, forget the middle.
      const held = this.#takeParts();
      this.#overflow = true;
      this.#overflowSize = held.length;
      this.#head = held.slice(0, OVERSIZE_WINDOW);
      this.#tailLength = 0;
      this.#appendTail(held);
    }
    this.#overflowSize += bytes.length;
    this.#appendTail(bytes);
  }

  #appendTail(bytes: Uint8Array): void {
    const window = this.#tail;
    if (bytes.length >= OVERSIZE_WINDOW) {
      window.set(bytes.subarray(bytes.length - OVERSIZE_WINDOW));
      this.#tailLength = OVERSIZE_WINDOW;
      return;
    }
    const keep = Math.min(this.#tailLength, OVERSIZE_WINDOW - bytes.length);
    window.copyWithin(0, this.#tailLength - keep, this.#tailLength);
    window.set(bytes, keep);
    this.#tailLength = keep + bytes.length;
  }

  #finishOversize(terminated: boolean): void {
    const tail = this.#tail.slice(0, this.#tailLength);
    let size = this.#overflowSize;
    let end = tail.length;
    if (terminated) {
      const strip = terminatorLength([tail]);
      size -= strip;
      end -= strip;
    }
    this.#sink.oversize({
      size,
      head: this.#head,
      tail: tail.slice(Math.max(0, end - OVERSIZE_WINDOW), Math.max(0, end)),
    });
    this.#overflow = false;
    this.#overflowSize = 0;
    this.#head = new Uint8Array(0);
    this.#tailLength = 0;
  }

  #takeParts(): Uint8Array {
    const out = joinParts(this.#parts);
    this.#parts = [];
    this.#partsLength = 0;
    return out;
  }
}
