/**
 * An ordered, back-pressured writer over a byte stream or a file written
 * synchronously. Writes never throw: the first failure is reported once and
 * later writes are not made, because a peer that went away is a lifecycle
 * event, not an exception. Nothing is dropped unseen: each write that did not
 * reach the peer (made after a failure or after `close`, or queued when the
 * stream failed) goes to `onDropped`, so the caller can say so and answer
 * whoever waits for it.
 *
 * @example
 * ```ts
 * const out = new StreamWriter(Deno.stdout, (e) => console.error(e));
 * out.write(new TextEncoder().encode("{}\n"));
 * await out.ready();
 * ```
 */

import { joinParts } from "../protocol/byte_parts.ts";
import type { ByteBudget } from "./byte_budget.ts";

/**
 * A file written with blocking system calls (`Deno.stdout`). An async write
 * to stdout is handed to another thread and back, which added 10–40 µs to
 * every response measured; a direct write does not. The cost: while the
 * reader's pipe is full, the write waits, and so does everything else on
 * this thread (see `start_sandboxed_proxy.ts` for how a stuck core is ended).
 */
export interface SyncSink {
  writeSync(bytes: Uint8Array): number;
  close?(): void;
}

/**
 * Told of bytes that did not reach the peer: written after the stream failed
 * or was closed, or queued when it failed.
 */
export type DroppedWrite = (bytes: Uint8Array, why: "failed" | "closed") => void;

const LF = 0x0a;
const NEWLINE = new Uint8Array([LF]);

/** Serializes writes to one stream and exposes its back-pressure. */
export class StreamWriter {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  readonly #sync: SyncSink | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #onDropped: DroppedWrite | undefined;
  #failed = false;
  #closed = false;
  #abandoned = false;
  #corked: Uint8Array[] | undefined;
  #endsLine = true;
  /**
   * Writes handed to the stream and not yet taken by it, oldest first (they
   * finish in order): the first is the one the stream is writing.
   */
  #unsent: Uint8Array[] = [];
  /** The bytes in `#unsent`. */
  #unsentBytes = 0;
  readonly #counted: ByteBudget | undefined;
  readonly #taken = () => {
    this.#forget(this.#unsent.shift());
  };

  /**
   * `counted`, when given, counts the bytes handed to the stream and not yet
   * taken, with whatever else its owner counts there (see `byte_budget.ts`).
   */
  constructor(
    target: WritableStream<Uint8Array> | SyncSink,
    onError: (error: unknown) => void,
    onDropped?: DroppedWrite,
    counted?: ByteBudget,
  ) {
    this.#counted = counted;
    if (target instanceof WritableStream) {
      this.#writer = target.getWriter();
    } else {
      this.#sync = target;
    }
    this.#onError = onError;
    this.#onDropped = onDropped;
  }

  /** Whether a write has failed (the peer is gone). */
  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Whether writes are waiting for the stream to take them (its reader is
   * behind): {@linkcode ready} would wait. Never true for a sync sink.
   */
  get blocked(): boolean {
    if (this.#failed || this.#closed || this.#writer === undefined) return false;
    const room = this.#writer.desiredSize;
    return room !== null && room <= 0;
  }

  /** Bytes handed to the stream that it has not taken yet. */
  get unsentBytes(): number {
    return this.#unsentBytes;
  }

  /**
   * Whether everything written so far ends with a newline (or nothing was
   * written): false after a line written without its terminator.
   */
  get endsLine(): boolean {
    return this.#endsLine;
  }

  /** Writes bytes behind every earlier write (a sync sink: now; a stream: queued). */
  write(bytes: Uint8Array): void {
    if (this.#failed || this.#closed) {
      this.#onDropped?.(bytes, this.#failed ? "failed" : "closed");
      return;
    }
    if (bytes.length > 0) this.#endsLine = bytes[bytes.length - 1] === LF;
    if (this.#corked !== undefined) {
      this.#corked.push(bytes);
      return;
    }
    if (this.#sync === undefined) {
      this.#unsent.push(bytes);
      this.#unsentBytes += bytes.length;
      this.#counted?.add(bytes.length);
      this.#writer!.write(bytes).then(this.#taken, (error) => {
        // Given up already: `abandon` dealt with these bytes.
        if (this.#abandoned) return;
        this.#forget(this.#unsent.shift());
        this.#fail(error);
        this.#onDropped?.(bytes, "failed");
      });
      return;
    }
    let rest = bytes;
    try {
      while (rest.length > 0) {
        const written = this.#sync.writeSync(rest);
        if (!(written > 0)) throw new Error("the output accepted no bytes");
        rest = rest.subarray(written);
      }
    } catch (error) {
      this.#fail(error);
      this.#onDropped?.(rest, "failed");
    }
  }

  /**
   * Ends the line written last when it has no terminator: a peer's last line
   * relayed as it came (without one) must not run into what follows.
   */
  endLine(): void {
    if (!this.#endsLine) this.write(NEWLINE);
  }

  /**
   * Holds writes until {@linkcode uncork}, which sends them as one write:
   * the lines of one input chunk leave in one system call instead of many.
   */
  cork(): void {
    this.#corked ??= [];
  }

  /**
   * Sends everything held since {@linkcode cork} as a single write, unless
   * it is large (the chunks of one long line): those leave as they are, in
   * order, rather than be copied into one array.
   */
  uncork(): void {
    const held = this.#corked;
    this.#corked = undefined;
    if (held === undefined || held.length === 0) return;
    if (held.length === 1) {
      this.write(held[0]!);
      return;
    }
    const joined = joinAdjacent(held, JOIN_LIMIT);
    if (joined !== undefined) {
      this.write(joined);
      return;
    }
    for (const part of held) this.write(part);
  }

  /** Resolves when the stream wants more (never rejects). */
  async ready(): Promise<void> {
    if (this.#failed || this.#closed || this.#writer === undefined) return;
    const room = this.#writer.desiredSize;
    if (room !== null && room > 0) return;
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
      if (this.#writer === undefined) this.#sync!.close?.();
      else await this.#writer.close();
    } catch (error) {
      if (!this.#failed) this.#fail(error);
    }
  }

  /**
   * Gives up on the writes the stream has not taken (its reader stopped
   * reading and will not start again): each write the stream has not
   * started goes to `onDropped` as "failed" now, in order, later writes are
   * dropped the same way, and the stream is aborted (it lets go of the peer
   * once the write in progress ends, which a stopped peer's exit ensures).
   * The write in progress is not reported: part of it may already be with
   * the peer, which can still read and act on it (a server that drains its
   * input when stopped), so whoever waits for it must wait for the peer's
   * answer or its end, not be told it was never delivered. `onError` is not
   * called: the caller says why it gave up. Returns how many bytes were
   * given up, the write in progress included.
   */
  abandon(reason: Error): number {
    if (this.#abandoned) return 0;
    this.#abandoned = true;
    this.#failed = true;
    const unsent = this.#unsent;
    const total = this.#unsentBytes;
    this.#unsent = [];
    this.#unsentBytes = 0;
    this.#counted?.remove(total);
    for (let i = 1; i < unsent.length; i++) this.#onDropped?.(unsent[i]!, "failed");
    this.#writer?.abort(reason).catch(() => {});
    return total;
  }

  /** A write the stream took, or failed: it is no longer unsent. */
  #forget(bytes: Uint8Array | undefined): void {
    if (bytes === undefined) return;
    this.#unsentBytes -= bytes.length;
    this.#counted?.remove(bytes.length);
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#onError(error);
  }
}

/** Held writes larger than this together are not copied into one. */
const JOIN_LIMIT = 256 * 1024;

/**
 * Joins byte arrays; views that sit next to each other in the same buffer
 * (lines cut from one chunk) become one view without copying. Undefined
 * when joining would copy more than `limit` bytes.
 */
function joinAdjacent(parts: readonly Uint8Array[], limit: number): Uint8Array | undefined {
  const first = parts[0]!;
  let contiguous = true;
  let total = first.length;
  for (let i = 1; i < parts.length; i++) {
    const previous = parts[i - 1]!;
    const part = parts[i]!;
    total += part.length;
    if (
      part.buffer !== previous.buffer || part.byteOffset !== previous.byteOffset + previous.length
    ) {
      contiguous = false;
    }
  }
  if (contiguous) return new Uint8Array(first.buffer, first.byteOffset, total);
  if (total > limit) return undefined;
  return joinParts(parts);
}
