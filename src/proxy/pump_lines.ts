/**
 * Reads one direction of the relay: chunks from a byte stream go through a
 * {@linkcode LineDecoder} into a sink, with the writers on the way corked
 * per chunk (the lines of one chunk leave in one write) and the reading
 * paced by the writer the lines go to.
 *
 * @example
 * ```ts
 * const pump = pumpLines(child.stdout, 1024 * 1024, sink, toClient, [toClient]);
 * await pump.done;
 * ```
 */
import { LineDecoder, type LineSink } from "../protocol/line_decoder.ts";
import type { StreamWriter } from "./stream_writer.ts";

/** A running pump. */
export interface Pump {
  /** Resolves at the end of the stream (or a read error), after the last line was handed over. */
  done: Promise<void>;
  /** Stops reading; a line still incomplete is not handed over. */
  cancel(): void;
}

/** Options of {@linkcode pumpLines} beyond its stream, sink and writers. */
export interface PumpOptions {
  /** Lines at least this long that arrived in pieces go to `lineParts`. */
  partsFrom?: number;
  /** Checked before each read: true stops the pump as an end of stream would. */
  until?: () => boolean;
  /** Called once, right after the last line was handed over (not after `cancel`). */
  ended?: () => void;
}

/** Starts pumping `stream` into `sink`. */
export function pumpLines(
  stream: ReadableStream<Uint8Array>,
  maxLineBytes: number,
  sink: LineSink,
  backpressure: StreamWriter,
  coalesce: readonly StreamWriter[],
  options: PumpOptions = {},
): Pump {
  const reader = new ChunkReader(stream);
  const decoder = new LineDecoder(maxLineBytes, sink, options.partsFrom ?? Infinity);
  const until = options.until;
  let cancelled = false;
  const done = (async () => {
    try {
      while (until === undefined || !until()) {
        const value = await reader.read();
        if (value === undefined) break;
        for (const writer of coalesce) writer.cork();
        try {
          decoder.push(value);
        } finally {
          for (const writer of coalesce) writer.uncork();
        }
        await backpressure.ready();
      }
    } catch {
      // A read error ends this direction like an EOF.
    }
    if (!cancelled) {
      decoder.end();
      options.ended?.();
    }
  })();
  return {
    done,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      reader.cancel();
    },
  };
}

/** Bytes asked for per read: the size of a pipe's buffer on Linux. */
const READ_BYTES = 64 * 1024;

/**
 * Reads a byte stream into one reused buffer and hands out each chunk in an
 * array of its own size. A runtime byte stream otherwise allocates a fresh
 * 64 KiB buffer for every read, most of it empty when messages are small:
 * under load that garbage was a tenth of thoth's memory. A read that fills
 * most of the buffer hands the buffer over instead of copying it. Streams
 * that are not byte streams are read as they are.
 */
class ChunkReader {
  readonly #byob: ReadableStreamBYOBReader | undefined;
  readonly #plain: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #buffer: Uint8Array | undefined;

  constructor(stream: ReadableStream<Uint8Array>) {
    try {
      this.#byob = stream.getReader({ mode: "byob" });
    } catch {
      this.#plain = stream.getReader();
    }
  }

  /** The next chunk, or undefined at the end of the stream. */
  async read(): Promise<Uint8Array | undefined> {
    if (this.#byob === undefined) {
      const { value, done } = await this.#plain!.read();
      return done ? undefined : value;
    }
    const { value, done } = await this.#byob.read(this.#buffer ?? new Uint8Array(READ_BYTES));
    if (done || value === undefined) return undefined;
    if (value.length > READ_BYTES / 2) {
      this.#buffer = undefined;
      return value;
    }
    this.#buffer = new Uint8Array(value.buffer);
    return value.slice();
  }

  cancel(): void {
    (this.#byob ?? this.#plain)!.cancel().catch(() => {});
  }
}
