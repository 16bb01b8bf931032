/**
 * The audit writer's line writer: encodes each record of a batch against
 * the state it chains onto (seq, time, previous leaf hash), frames and
 * hashes it into the Merkle frontier, starts a new segment on a new UTC day
 * or past the size limit, and writes the pending lines to the open segment
 * in parts of at most {@linkcode MAX_PENDING_LEAVES} records, each after the
 * intent that names it (see `pending_batch.ts`). The hot path of every tool
 * call: one batch's records share one buffer and one scratch leaf hash.
 *
 * @example
 * ```ts
 * const writer = new LineWriter(sink, state, new MerkleFrontier(state.size, frontierBytes(state)));
 * writer.add({ type: "session_end", session: "s-1" });
 * writer.flush();
 * ```
 */
import { toHex } from "./encoding.ts";
import { leafHashSync } from "./merkle_hash.ts";
import type { MerkleFrontier } from "./merkle_frontier.ts";
import { segmentName } from "./log_paths.ts";
import type { LogState } from "./log_state.ts";
import {
  type AuditEvent,
  encodeRecordLine,
  encodeRecordLineFromBody,
  type LogEvent,
  type RecordEnvelope,
} from "./record.ts";
import { type LogPoint, MAX_PENDING_LEAVES } from "./pending_batch.ts";
import { eventStamp, LATE_MS, splitStamp } from "./spool_stamp.ts";
import { Utf8Buffer } from "./utf8_buffer.ts";
import type { AppendReceipt } from "./audit_log_options.ts";

const encoder = new TextEncoder();

/** What a line writer writes through: the batch writer that holds the lock (see `batch_writer.ts`). */
export interface LineSink {
  /** The current clock and segment size limit. */
  readonly clock: { now: () => Date; maxSegmentBytes: number };
  /** Writes the intent for the part of a batch about to be written (see `pending_batch.ts`). */
  intend(start: LogPoint, done: LogPoint, end: LogPoint, part: string[]): void;
  /** Opens (or reuses) the append handle of a segment. */
  openSegment(name: string): Deno.FsFile;
}

/** A leaf hash's scratch bytes, read into hex and copied into the tree at once. */
export const LEAF_SCRATCH = new Uint8Array(32);

/** Encodes records against the state and writes them, one segment at a time. */
export class LineWriter {
  readonly state: LogState;
  readonly tree: MerkleFrontier;
  readonly #log: LineSink;
  /** The encoded lines not yet written, newline-terminated. */
  readonly #pending = new Utf8Buffer(64 * 1024);
  /** Lines in `#pending`. */
  #pendingLines = 0;
  /** Lines encoded so far. */
  added = 0;
  /** Lines that reached a segment whole (the rest of a failed batch did not). */
  written = 0;
  /** The count, and the last leaf hash, at the end of the last flush that wrote all it had. */
  flushedSize: number | undefined;
  flushedLast = "";
  /** The last timestamp written, by its time in ms: a batch's records mostly share one. */
  #lastTs: { ms: number; text: string } = { ms: Number.NaN, text: "" };
  /** The last `decidedAt` written, by its time in ms. */
  #lastDecided: { ms: number; text: string } = { ms: Number.NaN, text: "" };
  /** Where this batch's records start. */
  readonly #start: LogPoint;
  /** Where the lines written so far end. */
  #done: LogPoint;
  /** The leaf hashes (hex) of the lines not yet written: at most {@linkcode MAX_PENDING_LEAVES}. */
  #leaves: string[] = [];

  constructor(log: LineSink, state: LogState, tree: MerkleFrontier) {
    this.#log = log;
    this.state = state;
    this.tree = tree;
    this.#start = { size: state.size, last: state.last };
    this.#done = this.#start;
  }

  /**
   * Encodes, frames and hashes one record (written at {@linkcode flush}). An
   * event read back from a spool carries its spool time (see
   * `spool_stamp.ts`): the record carries it as `decidedAt` when late.
   */
  add(event: AuditEvent | LogEvent): AppendReceipt {
    const stamp = eventStamp(event as unknown as Record<string, unknown>);
    return this.#addLine(
      (envelope) => encodeRecordLine(envelope, event),
      typeof stamp === "number" ? stamp : undefined,
    );
  }

  /**
   * {@linkcode add} for an event already serialized with `JSON.stringify`;
   * a spooled one ends in its spool stamp, which is taken off.
   */
  addBody(body: string): AppendReceipt {
    const stamped = splitStamp(body);
    if (stamped === undefined) {
      return this.#addLine((envelope) => encodeRecordLineFromBody(envelope, body));
    }
    return this.#addLine(
      (envelope) => encodeRecordLineFromBody(envelope, stamped.body),
      stamped.ms,
    );
  }

  /** A late record's `decidedAt`: reused for records of the same millisecond (a held batch). */
  #decidedAt(ms: number): string {
    if (ms !== this.#lastDecided.ms) {
      this.#lastDecided = { ms, text: new Date(ms).toISOString() };
    }
    return this.#lastDecided.text;
  }

  /** `date.toISOString()`, reused while the millisecond is the same (it costs about 1 µs). */
  #timestamp(date: Date): string {
    const ms = date.getTime();
    if (ms !== this.#lastTs.ms) this.#lastTs = { ms, text: date.toISOString() };
    return this.#lastTs.text;
  }

  /**
   * `spooledMs`: when a gating record was spooled (its decision's time); the
   * record carries it as `decidedAt` when it is more than
   * {@linkcode LATE_MS} away from the record's own time.
   */
  #addLine(encode: (envelope: RecordEnvelope) => string, spooledMs?: number): AppendReceipt {
    const state = this.state;
    const { now, maxSegmentBytes } = this.#log.clock;
    const date = now();
    const ts = this.#timestamp(date);
    const day = ts.slice(0, 10);
    const envelope: RecordEnvelope = { v: 1, seq: state.size, ts, prev: state.last };
    if (spooledMs !== undefined && Math.abs(date.getTime() - spooledMs) > LATE_MS) {
      envelope.decidedAt = this.#decidedAt(spooledMs);
    }
    const text = encode(envelope);
    const bytes = text.length * 3 + 1; // an upper bound, enough to decide on rotation
    const rotate = state.segment === null || day !== state.segmentDay ||
      (state.segmentBytes > 0 && state.segmentBytes + bytes > maxSegmentBytes &&
        state.segmentBytes + encoder.encode(text).length + 1 > maxSegmentBytes);
    if (rotate) {
      this.flush();
      state.segment = segmentName(state.size, day);
      state.segmentDay = day;
      state.segmentBytes = 0;
      // The file is made by the first write to it (see flush): a writer killed
      // before then leaves no empty segment behind.
    }
    const framed = this.#pending.append(text + "\n");
    this.#pendingLines += 1;
    this.added += 1;
    // Read into hex and copied into the tree at once: one array serves every record.
    const leaf = leafHashSync(framed.subarray(0, framed.length - 1), LEAF_SCRATCH);
    this.tree.appendSync(leaf);
    const receipt = { seq: state.size, leafHash: toHex(leaf) };
    state.size += 1;
    state.last = receipt.leafHash;
    state.segmentBytes += framed.length;
    this.#leaves.push(receipt.leafHash);
    // A part is named whole in the intent written before it: a kill anywhere in its
    // write leaves the log ending at a leaf the intent lists.
    if (this.#leaves.length >= MAX_PENDING_LEAVES) this.flush();
    return receipt;
  }

  /** Writes the pending lines to the open segment in one write, after their intent. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const end = { size: this.state.size, last: this.state.last };
    this.#log.intend(this.#start, this.#done, end, this.#leaves);
    this.#leaves = [];
    this.#done = end;
    const file = this.#log.openSegment(this.state.segment!);
    let bytes = this.#pending.bytes();
    let lines = this.#pendingLines;
    this.#pending.clear();
    this.#pendingLines = 0;
    while (bytes.length > 0) {
      const n = file.writeSync(bytes);
      if (n === bytes.length) {
        this.written += lines;
        this.flushedSize = this.state.size;
        this.flushedLast = this.state.last;
        return;
      }
      // A short write: count the lines it finished (the next one may still fail).
      const whole = countNewlines(bytes.subarray(0, n));
      this.written += whole;
      lines -= whole;
      bytes = bytes.subarray(n);
    }
  }
}

/** How many newline bytes `bytes` holds. */
function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}
