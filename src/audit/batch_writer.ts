/**
 * Writes an audit writer's queued events to the log, one batch at a time
 * under the writers' lock (see `audit_log.ts` for the log's promises): the
 * state to chain onto is read first (see `state_loader.ts`), the batch's
 * records are encoded and written in parts after their intent (see
 * `line_writer.ts`), a checkpoint is signed when one is due or asked for
 * (see `checkpoint_signing.ts`), a key rotation is recorded before its key
 * is used (see `key_rotation_record.ts`), and the state file is written
 * last (see `writer_state_file.ts`). It holds the writer's open segment
 * and intent file, and is the line writer's sink.
 *
 * @example
 * ```ts
 * const writer = new BatchWriter(paths, lock, batchLock, held, keys, options, owe);
 * await writer.write([{ event, resolve, reject }]);
 * ```
 */
import { AppError } from "../errors.ts";
import type { FileLock } from "../platform/file_lock.ts";
import type { BatchLock } from "./audit_log_batch_lock.ts";
import { toBase64, toHex } from "./encoding.ts";
import { MerkleFrontier } from "./merkle_frontier.ts";
import type { AuditPaths } from "./log_paths.ts";
import { syncFolder } from "../platform/durable_file.ts";
import { frontierBytes } from "./log_state.ts";
import type { AuditEvent } from "./record.ts";
import { encodePendingBatch, type LogPoint } from "./pending_batch.ts";
import { writePendingIntent } from "./write_pending_intent.ts";
import type {
  AppendReceipt,
  CheckpointReceipt,
  KeyRotationReceipt,
  OpenAuditLogOptions,
} from "./audit_log_options.ts";
import { partlyWritten, unwritable } from "./append_failure.ts";
import type { LogGone } from "./state_before.ts";
import { type LineSink, LineWriter } from "./line_writer.ts";
import { SegmentReads } from "./segment_reads.ts";
import { signCheckpointRoot, storeCheckpointNote } from "./checkpoint_signing.ts";
import { keyRotation } from "./key_rotation_record.ts";
import type { WriterKeys } from "./writer_keys.ts";
import { WriterStateFile } from "./writer_state_file.ts";
import { VerifiedCheckpoint } from "./verified_checkpoint.ts";
import { type SegmentHost, StateLoader } from "./state_loader.ts";

/** Events appended together, each an event or its JSON text (see `AuditLog.appendMany`). */
export interface Many {
  many: readonly (AuditEvent | string)[];
  /** Run under the lock before the items are added: they are written only when it says true. */
  check?: () => boolean;
  /** Whether `check` let them be written. */
  checked?: boolean;
}

/** A queued event of the log, with how to settle it. */
export interface Pending {
  event: AuditEvent | Many | "checkpoint" | "rotate" | "gone" | "tick";
  resolve(receipt: Receipt): void;
  reject(error: unknown): void;
}

/** What a queued event resolves with. */
export type Receipt = AppendReceipt | CheckpointReceipt | KeyRotationReceipt | null;

/** Writes the log's batches, under the lock, through its open files. */
export class BatchWriter implements LineSink, SegmentHost {
  readonly #paths: AuditPaths;
  readonly #lock: FileLock;
  readonly #batchLock: BatchLock;
  readonly #keys: WriterKeys;
  readonly #stateFile: WriterStateFile;
  readonly #checkpoints: VerifiedCheckpoint;
  readonly #loader: StateLoader;
  /** Reads of the segments, with a read handle kept beside the open one's (see `segment_reads.ts`). */
  readonly #reads: SegmentReads;
  /** Arms the timer that looks again for a checkpoint records are owed (see `AuditLog`). */
  readonly #owe: () => void;
  /** The intent file, open to be rewritten in place before each batch's lines are written. */
  #pendingFile: Deno.FsFile | undefined;
  /**
   * This writer signed a checkpoint saying it keeps a MAC on its state
   * before chaining onto a state no MAC vouched for (see {@linkcode write}).
   */
  #signalled = false;
  #segment: { name: string; file: Deno.FsFile } | undefined;
  /** Records were written that no sync has flushed yet. */
  #dirty = false;
  readonly #now: () => Date;
  readonly #always: boolean;
  readonly #every: number;
  readonly #intervalMs: number;
  readonly #minIntervalMs: number;
  readonly #maxSegmentBytes: number;
  readonly #thothHome: string;

  constructor(
    paths: AuditPaths,
    lock: FileLock,
    batchLock: BatchLock,
    stateFile: Deno.FsFile,
    keys: WriterKeys,
    now: () => Date,
    options: OpenAuditLogOptions,
    owe: () => void,
    gone?: LogGone,
  ) {
    this.#paths = paths;
    this.#lock = lock;
    this.#batchLock = batchLock;
    this.#keys = keys;
    this.#owe = owe;
    this.#now = now;
    this.#thothHome = options.thothHome;
    this.#always = options.sync === "always";
    this.#every = options.checkpointEvery ?? 1000;
    this.#intervalMs = options.checkpointIntervalMs ?? 60_000;
    this.#minIntervalMs = options.checkpointMinIntervalMs ?? 1000;
    this.#maxSegmentBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024;
    this.#reads = new SegmentReads(paths.dir, () => this.#segment);
    // A state file opened at its path anew: the files opened beside the old one are too.
    this.#stateFile = new WriterStateFile(paths, lock, stateFile, () => {
      this.#segment?.file.close();
      this.#segment = undefined;
      this.#pendingFile?.close();
      this.#pendingFile = undefined;
    });
    this.#checkpoints = new VerifiedCheckpoint(paths.state, this.#reads, keys);
    this.#loader = new StateLoader(
      paths,
      this.#stateFile,
      this.#checkpoints,
      this.#reads,
      keys,
      this,
      gone,
    );
  }

  /** Whether records were written that no sync has flushed yet. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** Flushes the open segment when records were written since the last sync. */
  async syncNow(): Promise<void> {
    if (!this.#dirty || this.#segment === undefined) return;
    this.#dirty = false;
    await this.#segment.file.syncData();
  }

  /** Closes every file the writer holds open but the lock. */
  close(): void {
    this.#segment?.file.close();
    this.#segment = undefined;
    this.#reads.close();
    this.#pendingFile?.close();
    this.#pendingFile = undefined;
    this.#stateFile.close();
  }

  /** Closes the open segment's handle (removed under the writer). */
  dropSegment(): void {
    this.#segment?.file.close();
    this.#segment = undefined;
  }

  /**
   * Writes one batch of queued events under the lock, and settles each:
   * with its receipt, or with the failure (naming how many of its records
   * reached the log whole, see `append_failure.ts`).
   */
  async write(batch: Pending[]): Promise<void> {
    const results: Receipt[] = [];
    /** The rotations of the batch, by index: their records' seqs and keys. */
    let rotated: Map<number, Omit<KeyRotationReceipt, "checkpoint">> | undefined;
    let writer: LineWriter | undefined;
    /** The writer's line count when each `appendMany` of the batch began. */
    const starts: (number | undefined)[] = [];
    try {
      // Checked before the lock is taken: the lock is held for as short a
      // time as can be (another process's writer waits for it).
      if (this.#checkpoints.due) await this.#checkpoints.verify();
      // Another process's hold is waited for off this thread, for 10 s at most: the relay goes
      // on meanwhile, and appends queue behind the batch (see `audit_log_batch_lock.ts`).
      await this.#batchLock.take();
      try {
        const { state, notes, macless } = await this.#loader.load();
        const tree = new MerkleFrontier(state.size, frontierBytes(state));
        writer = new LineWriter(this, state, tree);
        for (const note of notes) writer.add(note);
        // A state without a MAC (an earlier release's, or one lost): a checkpoint saying that
        // this writer keeps one comes before its records, so that, as soon as it has written
        // any, a state without a MAC beside the log is no writer's (see state_mac_signal.ts).
        if (macless && !this.#signalled && state.size > 0) {
          await this.#signCheckpoint(writer);
          this.#signalled = true;
        }
        let forced = false;
        for (const [i, pending] of batch.entries()) {
          const event = pending.event;
          if (event === "gone" || event === "tick") {
            results.push(null);
          } else if (event === "checkpoint") {
            forced = true;
            results.push(null);
          } else if (event === "rotate") {
            rotated ??= new Map();
            rotated.set(i, await this.#rotation(writer));
            forced = true;
            results.push(null);
          } else if ("many" in event) {
            starts[i] = writer.added;
            if (event.check !== undefined) {
              try {
                event.checked = event.check();
              } catch {
                event.checked = false;
              }
            }
            for (const item of event.checked === false ? [] : event.many) {
              if (typeof item === "string") writer.addBody(item);
              else writer.add(item);
            }
            results.push(null);
          } else {
            results.push(writer.add(event));
          }
        }
        const sinceLast = this.#now().getTime() - state.checkpointAt;
        // A clock that stepped back by more than an interval would otherwise sign nothing by
        // time until it had caught up with the last checkpoint: hours, or days.
        const due = state.size > state.checkpointSize &&
          ((state.size - state.checkpointSize >= this.#every && sinceLast >= this.#minIntervalMs) ||
            sinceLast >= this.#intervalMs || sinceLast < -this.#intervalMs);
        const covered = state.size <= state.checkpointSize + 1;
        let checkpoint: CheckpointReceipt | null = null;
        // A rotation is always signed by the new key at once, even as a log's only record.
        if ((forced && (!covered || rotated !== undefined)) || due) {
          checkpoint = await this.#signCheckpoint(writer);
        } else if (!covered) this.#owe();
        writer.flush();
        if (checkpoint !== null || this.#always) {
          await this.#segment?.file.syncData();
          this.#dirty = false;
        } else {
          this.#dirty = true;
        }
        // The frontier is written once per batch, not once per record.
        state.frontier = writer.tree.hashes.map(toHex);
        this.#stateFile.write(state, this.#keys.stateKey);
        this.#loader.batchWritten();
        batch.forEach((pending, i) => {
          const rotation = rotated?.get(i);
          if (pending.event === "checkpoint") results[i] = checkpoint;
          else if (rotation !== undefined && checkpoint !== null) {
            results[i] = { ...rotation, checkpoint };
          }
        });
      } finally {
        await this.#lock.release();
      }
    } catch (error) {
      const failure = error instanceof AppError ? error : unwritable(this.#paths.dir, error);
      if (writer?.flushedSize !== undefined) {
        this.#stateFile.uncounted = { size: writer.flushedSize, last: writer.flushedLast };
      }
      batch.forEach((pending, i) => {
        // Lines that reached a segment whole are taken in by the next write (see
        // `absorbTail` in `take_in_tail.ts`): the caller must not append those records again.
        const start = starts[i];
        const event = pending.event;
        const count = typeof event === "object" && "many" in event ? event.many.length : 0;
        const written = start === undefined || writer === undefined
          ? 0
          : Math.min(Math.max(writer.written - start, 0), count);
        pending.reject(written === 0 ? failure : partlyWritten(failure, written));
      });
      return;
    }
    batch.forEach((pending, i) => pending.resolve(results[i] ?? null));
  }

  /**
   * Writes the intent for the part of a batch about to be written (see
   * `pending_batch.ts`): where the batch's records start, where the lines
   * written so far end, where the log will end, and the part's leaf hashes;
   * in place and not synced. Fail closed (see `write_pending_intent.ts`):
   * throws `audit.unwritable` when it cannot, and the part is not written.
   * Internal to the writer.
   */
  intend(start: LogPoint, done: LogPoint, end: LogPoint, part: string[]): void {
    const base = this.#loader.pendingBase;
    if (base === undefined) return;
    const bytes = encodePendingBatch(this.#keys.pendingKey, { base, start, done, end, part });
    const held = this.#pendingFile;
    this.#pendingFile = undefined;
    this.#pendingFile = writePendingIntent(this.#paths.pending, held, bytes);
  }

  /** Opens (or reuses) the append handle of a segment. Internal to the writer. */
  openSegment(name: string): Deno.FsFile {
    if (this.#segment?.name === name) return this.#segment.file;
    const left = this.#segment;
    if (left !== undefined) {
      // The background sync and a checkpoint sync only the open segment: the
      // one left behind is synced now, so a checkpoint never covers records
      // a power loss could still take (once per segment, so cheap).
      this.#segment = undefined;
      try {
        left.file.syncDataSync();
      } finally {
        left.file.close();
      }
    }
    const path = `${this.#paths.dir}/${name}`;
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { append: true, createNew: true, mode: 0o600 });
      // Once per segment: its name is on disk before a checkpoint can cover its
      // records (syncing the file's data does not promise the name).
      syncFolder(this.#paths.dir);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      // Only a regular file: opening a FIFO to write would wait for a reader for ever.
      if (!Deno.lstatSync(path).isFile) {
        throw new Deno.errors.InvalidData(`the audit segment "${path}" is not a regular file`);
      }
      file = Deno.openSync(path, { append: true });
    }
    this.#segment = { name, file };
    return file;
  }

  /** The current clock and limits. Internal to the writer. */
  get clock(): { now: () => Date; maxSegmentBytes: number } {
    return { now: this.#now, maxSegmentBytes: this.#maxSegmentBytes };
  }

  /**
   * Adds the rotation's record and puts it on disk before the new key
   * replaces the old one: a failure between leaves a rotation recorded to a
   * key never used (the old key signs on), never a key in use that no
   * record endorses (which verify reads as tampering).
   */
  async #rotation(writer: LineWriter): Promise<Omit<KeyRotationReceipt, "checkpoint">> {
    const rotation = await keyRotation(this.#thothHome, this.#now());
    const { seq } = writer.add(rotation.record);
    writer.flush();
    await this.#segment?.file.syncData();
    await rotation.replace();
    const { old, signer, publicKeys } = rotation;
    this.#keys.rotated(signer, publicKeys);
    return {
      seq,
      oldKey: `${old.name}+${old.keyHash}`,
      newKey: `${signer.name}+${signer.keyHash}`,
    };
  }

  async #signCheckpoint(writer: LineWriter): Promise<CheckpointReceipt> {
    const keys = await this.#keys.reload();
    const size = writer.state.size;
    const root = await writer.tree.root();
    const note = await signCheckpointRoot(keys.signer, size, root);
    // The records a checkpoint covers reach the disk before the checkpoint
    // does, and the note appears whole or not at all: a writer killed in
    // between must not leave a signed root over records that do not exist.
    writer.flush();
    await this.#segment?.file.syncData();
    await storeCheckpointNote(this.#paths.checkpoints, size, note);
    const rootText = toBase64(root);
    const frontier = writer.tree.hashes.map(toHex);
    const segmentBefore = writer.state.segment;
    const offsetBefore = writer.state.segmentBytes;
    writer.add({ type: "checkpoint", size, root: rootText, note, frontier });
    writer.state.checkpointRecord = {
      segment: writer.state.segment!,
      offset: writer.state.segment === segmentBefore ? offsetBefore : 0,
    };
    // Checked like another writer's before the next batch: a start for
    // checking a state another writer writes in a later segment.
    this.#checkpoints.checkNext(writer.state.checkpointRecord);
    writer.state.checkpointSize = size;
    writer.state.checkpointAt = this.#now().getTime();
    return { size, root: rootText, note };
  }
}
