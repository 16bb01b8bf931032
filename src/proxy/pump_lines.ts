/**
 * Reads one direction of the relay: chunks from a byte stream go through a
 * {@linkcode LineDecoder} into a sink, with the writers on the way corked
 * per chunk (the lines of one chunk leave in one write) and the reading
 * paced by the writer the lines go to. While that writer is blocked (its
 * reader is behind), the pump still reads ahead, up to
 * {@linkcode READ_AHEAD_BYTES} held undecoded, so that the end of its input
 * is seen: a peer that closed its end is noticed even when the other one
 * stopped reading, and a peer that floods one that does not read holds no
 * more than that. Lines handed over may also be held on the way, not yet
 * written (a tool call waits for its decision): with a {@linkcode ByteBudget}
 * counting them, the pump waits the same way while it is over its limit.
 *
 * @example
 * ```ts
 * const pump = pumpLines(child.stdout, 1024 * 1024, sink, toClient, [toClient]);
 * await pump.done;
 * ```
 */
import { LineDecoder, type LineSink } from "../protocol/line_decoder.ts";
import type { StreamWriter } from "./stream_writer.ts";
import type { ByteBudget } from "./byte_budget.ts";
import { unrefTimer } from "../platform/unref_timer.ts";

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
  /**
   * The bytes of the lines handed over still held on their way (not yet
   * taken by the writer's stream, or not yet written to it): while over its
   * limit the pump waits, reading ahead, as for a blocked writer.
   */
  held?: ByteBudget;
  /**
   * Called once for each time the writer stays blocked for `stalledMs`
   * (default {@linkcode STALLED_MS}) without taking more, with that time
   * (not for a wait on `held` while the writer takes what it gets).
   */
  stalled?: (ms: number) => void;
  stalledMs?: number;
}

/**
 * Bytes a pump reads ahead, undecoded, while its writer is blocked: enough
 * for the messages a client sends before it closes its input, and a bound
 * on what a peer flooding a stopped one costs.
 */
export const READ_AHEAD_BYTES = 1024 * 1024;

/**
 * The limit of the client's bytes the relay holds for the server: calls
 * still being decided (a synced audit record, a person's approval, thoth
 * listing the server's tools first) and writes the server has not taken.
 * 4 MiB: 64 calls in flight of up to 64 KiB each never wait on it, and a
 * client flooding calls to a server that does not read (or faster than they
 * are decided) costs no more than this, the read-ahead and a chunk.
 */
export const HELD_BYTES = 4 * 1024 * 1024;

/** How long a blocked writer waits before `stalled` is told. */
export const STALLED_MS = 10_000;

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
  const held = options.held;
  let cancelled = false;
  /** Chunks read ahead while the writer was blocked, not decoded yet. */
  const ahead: Uint8Array[] = [];
  let aheadBytes = 0;
  /** A read started while the writer was blocked, not yet taken. */
  let next: Promise<Uint8Array | undefined> | undefined;
  /** The input ended while the writer was blocked: decode what is ahead without waiting. */
  let endSeen = false;
  const stalled = options.stalled;
  const stall = stalled === undefined
    ? undefined
    : new StallWatch(options.stalledMs ?? STALLED_MS, (ms) => {
      if (held === undefined || backpressure.blocked) stalled(ms);
    });

  /**
   * Waits until the writer wants more, reading ahead meanwhile (bounded) so
   * that the end of the input is seen, which ends the wait.
   */
  const readAhead = async (): Promise<void> => {
    // Null: the writer wants more (a read gives bytes, or undefined at the end).
    const ready = held === undefined ? backpressure.ready().then(() => null) : roomFor(held);
    if (stall !== undefined) stall.begin();
    try {
      while (aheadBytes < READ_AHEAD_BYTES) {
        // A read error ends the input like an EOF.
        next ??= reader.read().catch(() => undefined);
        const first = await Promise.race([ready, next]);
        if (first === null) return;
        next = undefined;
        if (first === undefined) {
          endSeen = true;
          return;
        }
        ahead.push(first);
        aheadBytes += first.length;
      }
      await ready;
    } finally {
      stall?.end();
    }
  };

  /** Resolves (null) once the writer wants more and `budget` is within its limit. */
  const roomFor = async (budget: ByteBudget): Promise<null> => {
    for (;;) {
      await backpressure.ready();
      if (!budget.over) return null;
      await budget.below();
    }
  };

  const done = (async () => {
    try {
      while (until === undefined || !until()) {
        let value: Uint8Array | undefined;
        if (ahead.length > 0) {
          value = ahead.shift()!;
          aheadBytes -= value.length;
        } else if (endSeen) {
          break;
        } else if (next !== undefined) {
          value = await next;
          next = undefined;
        } else {
          value = await reader.read();
        }
        if (value === undefined) break;
        for (const writer of coalesce) writer.cork();
        try {
          decoder.push(value);
        } finally {
          for (const writer of coalesce) writer.uncork();
        }
        // Blocked: wait, reading ahead. Not blocked: read on (the read yields).
        if (!endSeen && (backpressure.blocked || held?.over === true)) await readAhead();
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

/**
 * Tells `stalled` once of each wait that lasts `ms`. A loaded relay waits for
 * its writer after most chunks, and those waits are short: one timer, armed
 * when a wait begins and none is armed, looks at the wait in progress when
 * it fires (and is armed again for that wait's rest), instead of a timer set
 * and cleared for every wait. Its wait is an {@linkcode unrefTimer}: a Web
 * timer would load the Node timers module into the proxy core (see there).
 */
class StallWatch {
  readonly #ms: number;
  readonly #stalled: (ms: number) => void;
  /** When the wait in progress began (`performance.now()`); undefined between waits. */
  #since: number | undefined;
  #told = false;
  #armed = false;

  constructor(ms: number, stalled: (ms: number) => void) {
    this.#ms = ms;
    this.#stalled = stalled;
  }

  begin(): void {
    this.#since = performance.now();
    this.#told = false;
    if (!this.#armed) this.#arm(this.#ms);
  }

  end(): void {
    this.#since = undefined;
  }

  #arm(ms: number): void {
    this.#armed = true;
    unrefTimer(() => {
      this.#armed = false;
      const since = this.#since;
      if (since === undefined || this.#told) return;
      const waited = performance.now() - since;
      if (waited < this.#ms) {
        this.#arm(this.#ms - waited);
        return;
      }
      this.#told = true;
      this.#stalled(this.#ms);
    }, ms);
  }
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
