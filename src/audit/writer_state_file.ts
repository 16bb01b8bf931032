/**
 * The state file an audit writer holds open, and what the writer last
 * wrote to it: read under the lock before each batch (at the path anew when
 * it was removed or moved under the writer, or the lock was), written in
 * place with a MAC after it (see `state_mac.ts`), and the count the writer
 * last wrote kept (see `own_state.ts`), so that a state read back unchanged
 * is trusted as its own and a state rolled back or cut under it is told
 * from it (see `state_loader.ts`).
 *
 * @example
 * ```ts
 * const held = new WriterStateFile(paths, lock, file, () => closeOtherFiles());
 * const text = held.readText();
 * held.write(state, keys.stateKey);
 * ```
 */
import type { FileLock } from "../platform/file_lock.ts";
import type { AuditPaths } from "./log_paths.ts";
import { encodeLogStateText, type LogState } from "./log_state.ts";
import { MAX_STATE_FILE_BYTES } from "./read_state_settled.ts";
import type { StateWitness } from "./state_witness.ts";
import type { HmacSha256Key } from "./sha256.ts";
import { stateMac, stateMacVerifies } from "./state_mac.ts";
import type { StateTrust } from "./unvouched_tail.ts";
import { heldFileStat } from "./held_file_stat.ts";
import { OwnState } from "./own_state.ts";
import { readAt, type SegmentReads } from "./segment_reads.ts";
import type { LogEvent } from "./record.ts";
import { rollbackWitness } from "./rollback_witness.ts";
import { sameHashes, type SpanBase } from "./checkpoint_start.ts";
import { STATE_FILE_OPEN } from "./state_before.ts";

const encoder = new TextEncoder();

/** The writer's state file, and what it last counted in it. */
export class WriterStateFile {
  readonly #paths: AuditPaths;
  readonly #lock: FileLock;
  #file: Deno.FsFile;
  /** Closes the writer's other files when the state file is opened at its path anew. */
  readonly #reopened: () => void;
  /** The state file as this writer last wrote it: read back unchanged, its MAC is not checked, nor is it parsed. */
  readonly #own = new OwnState();
  /** The size of the state file when it was last read or written. */
  #bytesRead = 0;
  /** The size of a state file too large to read, when the last read found one. */
  #overLimit: number | undefined;
  /** The lock's generation when this writer last opened its files (see `FileLock`). */
  #lockGeneration = 0;
  /** The files were removed or moved under this writer since its last batch. */
  #removedUnder = false;
  /**
   * Where the records a failed batch of this writer wrote whole end, its
   * state file not counting them: the next batch takes them in as its own.
   */
  uncounted: { size: number; last: string } | undefined;
  /** What this writer's last batch counted, with its frontier. */
  #lastCount: StateWitness | undefined;
  /** Where the records this writer last counted end. */
  #lastEnd: { segment: string; offset: number } | undefined;

  constructor(paths: AuditPaths, lock: FileLock, file: Deno.FsFile, reopened: () => void) {
    this.#paths = paths;
    this.#lock = lock;
    this.#file = file;
    this.#reopened = reopened;
  }

  /** The size of a state file too large to read, when the last read found one. */
  get overLimit(): number | undefined {
    return this.#overLimit;
  }

  /** Whether the files were removed or moved under this writer since its last batch. */
  get removedUnder(): boolean {
    return this.#removedUnder;
  }

  /** What this writer's last batch counted, with its frontier. */
  get lastCount(): StateWitness | undefined {
    return this.#lastCount;
  }

  /** Where the records this writer last counted end. */
  get lastEnd(): { segment: string; offset: number } | undefined {
    return this.#lastEnd;
  }

  /** A batch was written: files removed under the writer before it are recorded. */
  batchWritten(): void {
    this.#removedUnder = false;
  }

  /** The state file's text; empty when there is none, or it is too large to read. */
  readText(): string {
    let stat = heldFileStat(this.#file, this.#paths.state);
    if (stat.nlink === 0 || this.#lock.generation !== this.#lockGeneration) {
      // Removed or moved away while this writer ran (the audit folder too,
      // perhaps): read what is at the path now, as the next writer would, and
      // record what this writer last counted (see state_loader.ts).
      this.#lockGeneration = this.#lock.generation;
      this.#removedUnder = true;
      Deno.mkdirSync(this.#paths.checkpoints, { recursive: true, mode: 0o700 });
      const file = Deno.openSync(this.#paths.state, STATE_FILE_OPEN);
      this.#file.close();
      this.#file = file;
      this.#reopened();
      stat = this.#file.statSync();
    }
    this.#bytesRead = stat.size;
    // A real state is a few KiB: a huge (or sparse) file is not read into
    // memory. Read as no state, it is rebuilt from the log, and the next state
    // write cuts it back to size.
    this.#overLimit = stat.size > MAX_STATE_FILE_BYTES ? stat.size : undefined;
    if (this.#overLimit !== undefined) return "";
    return new TextDecoder().decode(readAt(this.#file, 0, stat.size));
  }

  /** `parseLogState(text)`, without parsing the text this writer last wrote (see `own_state.ts`). */
  parse(text: string): LogState | undefined {
    return this.#own.parse(text);
  }

  /** How far the state file read (`text`, parsed as `cached`) is trusted. */
  trustOf(text: string, cached: LogState | undefined, key: HmacSha256Key): StateTrust {
    if (cached === undefined) return "none";
    if (text === this.#own.text) return "own";
    if (cached.mac === undefined) return "none";
    return stateMacVerifies(key, cached) ? "mac" : "bad";
  }

  /** Writes `state` in place, with its MAC under `key`, and keeps what it counts. */
  write(state: LogState, key: HmacSha256Key): void {
    // One MAC per state write: the next writer takes it as this writer's word for the count.
    state.mac = stateMac(key, state);
    const text = encodeLogStateText(state);
    const encoded = encoder.encode(text);
    let bytes = encoded;
    this.#file.seekSync(0, Deno.SeekMode.Start);
    while (bytes.length > 0) bytes = bytes.subarray(this.#file.writeSync(bytes));
    // A longer file (damaged, or written by hand) would keep its tail and stay unreadable.
    if (this.#bytesRead > encoded.length) this.#file.truncateSync(encoded.length);
    this.#bytesRead = encoded.length;
    this.#own.remember(text, state);
    this.uncounted = undefined;
    this.#lastCount = {
      size: state.size,
      last: state.last,
      checkpointSize: state.checkpointSize,
      frontier: [...state.frontier],
    };
    this.#lastEnd = state.segment === null
      ? undefined
      : { segment: state.segment, offset: state.segmentBytes };
  }

  /** Whether `state` counts what this writer's last state write counted, with the same frontier. */
  wroteLast(state: LogState): boolean {
    const last = this.#lastCount;
    return last !== undefined && last.size === state.size && last.last === state.last &&
      sameHashes(last.frontier, state.frontier);
  }

  /** This writer's last state, when `state` goes on from it in the same segment. */
  ownBase(state: LogState): SpanBase | undefined {
    const own = this.#lastCount;
    const at = this.#lastEnd;
    if (own?.frontier === undefined || at === undefined) return undefined;
    if (at.segment !== state.segment || at.offset > state.segmentBytes || own.size > state.size) {
      return undefined;
    }
    return {
      size: own.size,
      frontier: own.frontier,
      from: at,
      what: `the ${own.size} records this writer last counted`,
    };
  }

  /**
   * What this writer last counted, checked against the log it opens for its
   * next batch: when the log now holds fewer records (its files were removed
   * or moved under it, or an older state file was put back and the log cut to
   * match it), or the record at that count is not the last one it wrote (put
   * back and written on), it records what it counted in a `state_rebuilt`
   * record: `verify` then reports the records as lost (or the record as
   * replaced), whatever the state file at the path says. A state file's MAC
   * shows that a thoth wrote it, not that it is the newest. Returns how many
   * records from the start this writer vouches for itself: its last count,
   * when its last record is still where it wrote it; else 0.
   */
  witnessRollback(
    state: LogState,
    notes: LogEvent[],
    trust: StateTrust,
    reads: SegmentReads,
  ): number {
    const counted = this.#lastCount;
    if (counted === undefined || counted.size === 0) return 0;
    if (!this.#removedUnder && trust === "own") return 0;
    const rebuilt = notes.filter((note) => note.type === "state_rebuilt");
    // A loss already recorded (a rebuild that kept a count at least this writer's) is not recorded again.
    const recorded = this.#removedUnder
      ? rebuilt.length > 0
      : rebuilt.some((note) => (note.stateSize ?? -1) >= counted.size) &&
        counted.size > state.size;
    if (recorded) return 0;
    const at = state.size + notes.length;
    if (counted.size > state.size) {
      if (this.#removedUnder) {
        state.lost = { seq: at, counted: counted.size, held: state.size };
        notes.push({
          type: "state_rebuilt",
          reason: "the log was removed or moved while this writer ran",
          size: state.size,
          stateSize: counted.size,
          stateLast: counted.last,
          stateCheckpointSize: counted.checkpointSize,
        });
        return 0;
      }
      const { lost, note } = rollbackWitness(counted, state.size, at, false);
      if (lost !== undefined) state.lost = lost;
      notes.push(note);
      return 0;
    }
    const end = this.#lastEnd;
    if (this.#removedUnder || end === undefined) return 0;
    let mismatch: string | undefined;
    try {
      mismatch = reads.lastRecordMismatch({
        ...state,
        segment: end.segment,
        segmentBytes: end.offset,
        size: counted.size,
        last: counted.last,
      });
    } catch {
      mismatch = "its segment could not be read";
    }
    if (mismatch === undefined) return counted.size;
    notes.push(rollbackWitness(counted, state.size, at, true).note);
    return 0;
  }

  close(): void {
    this.#file.close();
  }
}
