/**
 * The device's append-only audit log, shared by every thoth process through
 * an exclusive file lock. `append` resolves once the record is written to the
 * OS (before the relay forwards the call); a background sync runs at least
 * every 100 ms and at each checkpoint; with `sync: "always"` every append is
 * synced before it resolves, and appends in flight share one sync (group
 * commit). Checkpoints (signed RFC 6962 roots) are written every N records
 * (at most one a second for that reason), every T seconds, and at `close`. A
 * partial line left by a crashed writer is cut and recorded by the next
 * writer. A state file that does not match the log is rebuilt from it, and
 * the `state_rebuilt` record keeps what the state file counted: when that is
 * more than the log holds, records were lost, and `verify` says so. Each
 * state write carries a MAC under a key derived from the device's audit key
 * (see `state_mac.ts`); records a writer takes in that no such state (nor a
 * signed checkpoint) vouched for are kept, and a `tail_taken_in` record that
 * names them is written before any checkpoint signs them (see
 * `unvouched_tail.ts`); a state whose MAC does not verify is rebuilt as a
 * forged one is. Every checkpoint it signs carries a line saying so (see
 * `state_mac_signal.ts`), and a writer that finds a state without a MAC
 * signs one before its first records: `verify` warns of a state without a
 * MAC beside a log whose newest checkpoint carries it. A batch's lines are
 * written in parts of at most 64 records, and before each the writer leaves
 * a MAC'd intent naming the state it builds on and the part's leaf hashes
 * (`pending_batch.ts`): the records of a writer killed before it counted
 * them, wherever the kill landed, are vouched for by it; records past the
 * count that no intent vouches for are taken in under a `tail_taken_in`
 * record that says so (see `past_the_count.ts`). A writer that has written records and finds
 * fewer of them, or not its last one where it wrote it (an older genuine
 * state put back, the log cut to match), records what it counted
 * (`rollback_witness.ts`), so `verify` reports the loss. The writer's parts
 * live beside it: the lines of a batch (`line_writer.ts`), reads of its
 * segments (`segment_reads.ts`), records taken in past the state's count
 * (`take_in_tail.ts`), the state file at open (`state_before.ts`), the
 * checkpoint it starts checks from (`checkpoint_start.ts`) and the one it
 * signs (`checkpoint_signing.ts`), key rotation (`key_rotation_record.ts`),
 * and failures (`append_failure.ts`).
 *
 * @example
 * ```ts
 * const audit = await openAuditLog({ thothHome: "/home/ana/.thoth" });
 * await audit.append({ type: "session_start", session: "s-1", server: "fs",
 *   commandDigest: await sha256Json(["npx", "server-fs"]), envKeys: ["HOME"] });
 * await audit.close();
 * ```
 */
import { AppError } from "../errors.ts";
import { FileLock } from "../platform/file_lock.ts";
import { stderrNote } from "../platform/stderr_note.ts";
import { takeAuditLock } from "./take_audit_lock.ts";
import { BatchLock } from "./audit_log_batch_lock.ts";
import { type DeviceKeys, firstKeyCreated, loadDeviceKeys } from "./device_keys.ts";
import { bytesEqual, fromHex, toBase64, toHex } from "./encoding.ts";
import { MerkleFrontier } from "./merkle_frontier.ts";
import { type AuditPaths, auditPaths } from "./log_paths.ts";
import { listSegments, segmentsFingerprint } from "./log_files.ts";
import { logHoldsRecords } from "./log_holds_records.ts";
import { LOG_GONE } from "./lost_records.ts";
import { chainBrokenError, writerRemedy } from "./seq_break.ts";
import { syncFolder, writeFileSynced } from "../platform/durable_file.ts";
import {
  emptyLogState,
  encodeLogState,
  encodeLogStateText,
  frontierBytes,
  type LogState,
  MAX_STATE_FILE_BYTES,
  parseLogState,
  readStateWitness,
  scanLogState,
  stateMismatch,
  type StateWitness,
} from "./log_state.ts";
import type { AuditEvent, LogEvent, RedactedValue } from "./record.ts";
import type { HmacSha256Key } from "./sha256.ts";
import { stateMac, stateMacKey, stateMacVerifies } from "./state_mac.ts";
import { BadMacSearch, type ScanReason } from "./earlier_state_read.ts";
import { PAST_THE_COUNT, type StateTrust, tailTakenIn, untrustedReason } from "./unvouched_tail.ts";
import {
  encodePendingBatch,
  insideUnnamedBatch,
  type LogPoint,
  parsePendingBatch,
  PENDING_FILE_BYTES,
  type PendingBatch,
  pendingMacKey,
  pendingVouch,
} from "./pending_batch.ts";
import { writePendingIntent } from "./write_pending_intent.ts";
import { heldFileStat } from "./held_file_stat.ts";
import { OwnState } from "./own_state.ts";
import { NO_INTENT } from "./past_the_count.ts";
import { rollbackWitness } from "./rollback_witness.ts";
import { KeyDigests } from "./key_digests.ts";
import { type CancelTimer, unrefTimer } from "../platform/unref_timer.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { openRegularFileSync } from "../platform/open_regular_file.ts";
import type {
  AppendReceipt,
  CheckpointReceipt,
  KeyRotationReceipt,
  OpenAuditLogOptions,
} from "./audit_log_options.ts";
import { partlyWritten, unwritable } from "./append_failure.ts";
import { type LogGone, STATE_FILE_OPEN, stateBefore } from "./state_before.ts";
import { LineWriter } from "./line_writer.ts";
import { readAt, type RecordPlace, SegmentReads } from "./segment_reads.ts";
import { absorbTail, cutTornTail, type Loaded, nextSegmentWritten } from "./take_in_tail.ts";
import {
  type CheckpointBase,
  sameHashes,
  signedCheckpointAt,
  type SpanBase,
} from "./checkpoint_start.ts";
import { signCheckpointRoot, storeCheckpointNote } from "./checkpoint_signing.ts";
import { keyRotation } from "./key_rotation_record.ts";

export type {
  AppendReceipt,
  CheckpointReceipt,
  KeyRotationReceipt,
  OpenAuditLogOptions,
} from "./audit_log_options.ts";
export { appendedBeforeFailure } from "./append_failure.ts";

/** Events appended together, each an event or its JSON text (see `appendMany`). */
interface Many {
  many: readonly (AuditEvent | string)[];
  /** Run under the lock before the items are added: they are written only when it says true. */
  check?: () => boolean;
  /** Whether `check` let them be written. */
  checked?: boolean;
}

interface Pending {
  event: AuditEvent | Many | "checkpoint" | "rotate" | "gone" | "tick";
  resolve(receipt: Receipt): void;
  reject(error: unknown): void;
}

/** What a queued event resolves with. */
type Receipt = AppendReceipt | CheckpointReceipt | KeyRotationReceipt | null;

const encoder = new TextEncoder();

/**
 * Opens the log under `thothHome`, creating folders and keys on first use.
 * Another process's hold on the writers' lock is waited for without
 * blocking the thread, and at most 10 s (`lockPatience`): then `audit.locked`.
 */
export async function openAuditLog(options: OpenAuditLogOptions): Promise<AuditLog> {
  const paths = auditPaths(options.thothHome);
  const now = options.now ?? (() => new Date());
  let lock: FileLock | undefined;
  try {
    await Deno.mkdir(paths.checkpoints, { recursive: true, mode: 0o700 });
    lock = await FileLock.open(paths.lock);
    // Waited for off the thread, as each batch does: a holder that never lets go ends in an error.
    await takeAuditLock(lock, {
      doing: "cannot write the audit log",
      note: options.note ?? stderrNote,
      ...(options.lockPatience === undefined ? {} : { patience: options.lockPatience }),
      ...(options.lockWaitEnd === undefined ? {} : { end: options.lockWaitEnd }),
    });
    let keys: DeviceKeys;
    let stateFile: Deno.FsFile;
    let gone: LogGone | undefined;
    try {
      const before = await stateBefore(paths.state);
      const noLog = before !== undefined && !(await logHoldsRecords(paths.dir));
      const keysCreated = noLog ? await firstKeyCreated(paths) : null;
      if (noLog && keysCreated === null) {
        // A new log: the state counting no records is on disk before the keys
        // are, so no crash or power cut leaves keys beside no state (which reads
        // as a log that was removed).
        const temp = `${paths.state}.tmp-${toHex(crypto.getRandomValues(new Uint8Array(4)))}`;
        await writeFileSynced(temp, encodeLogState(emptyLogState()), 0o600);
        await Deno.rename(temp, paths.state);
        syncFolder(paths.dir);
      } else if (before !== undefined && keysCreated !== null) {
        // Keys without a log: the log was removed (or an older thoth stopped
        // before its first record). Recorded at once, below.
        gone = { state: before, keysCreated };
      }
      keys = await loadDeviceKeys(options.thothHome, now());
      stateFile = await Deno.open(paths.state, STATE_FILE_OPEN);
    } finally {
      await lock.release();
    }
    const log = new AuditLog(paths, lock, stateFile, keys, now, options, gone);
    if (gone !== undefined) {
      try {
        await log.recordGone();
      } catch (error) {
        await log.close().catch(() => {});
        lock = undefined; // closed with the log
        throw error;
      }
    }
    return log;
  } catch (error) {
    lock?.close();
    if (error instanceof AppError) throw error;
    throw unwritable(paths.dir, error);
  }
}

/**
 * An open audit log. It takes its digests of arguments, results and
 * responses (`redactFast`, `redactSync`, `macParts`) as a
 * {@linkcode KeyDigests} under the device key it holds.
 */
export class AuditLog extends KeyDigests {
  readonly paths: AuditPaths;
  readonly #lock: FileLock;
  readonly #batchLock: BatchLock;
  #stateFile: Deno.FsFile;
  #keys: DeviceKeys;
  /** The key of the state file's MAC, derived from the audit HMAC key (see `state_mac.ts`). */
  #stateKey: HmacSha256Key;
  /** The key of the batch intent's MAC (see `pending_batch.ts`). */
  #pendingKey: HmacSha256Key;
  /** The intent file, open to be rewritten in place before each batch's lines are written. */
  #pendingFile: Deno.FsFile | undefined;
  /**
   * The state file the batch being written builds on, when this writer
   * vouched for every record up to where its own start: its intent names it.
   * Undefined: no intent is written (the next writer vouches as before).
   */
  #pendingBase: LogPoint | undefined;
  /** The state file as this writer last wrote it: read back unchanged, its MAC is not checked, nor is it parsed. */
  readonly #own = new OwnState();
  /**
   * This writer signed a checkpoint saying it keeps a MAC on its state
   * before chaining onto a state no MAC vouched for (see `#writeBatch`).
   */
  #signalled = false;
  /**
   * Where the records a failed batch of this writer wrote whole end, its
   * state file not counting them: the next batch takes them in as its own.
   */
  #uncounted: { size: number; last: string } | undefined;
  readonly #now: () => Date;
  readonly #always: boolean;
  readonly #every: number;
  readonly #intervalMs: number;
  readonly #minIntervalMs: number;
  readonly #maxSegmentBytes: number;
  readonly #thothHome: string;
  #segment: { name: string; file: Deno.FsFile } | undefined;
  #queue: Pending[] = [];
  #tail: Promise<void> = Promise.resolve();
  #scheduled = false;
  #dirty = false;
  #syncing: Promise<void> | undefined;
  #closed = false;
  #cancelTimer: CancelTimer | undefined;
  /** Armed while records wait for the checkpoint the interval owes them (see `#owe`). */
  #checkpointTimer: CancelTimer | undefined;
  /** A refusal of a log with a seq break and its segments' fingerprint, so a retry does not rescan it. */
  #broken: { fingerprint: string; error: AppError } | undefined;
  /** A removed log found at open, recorded by the first batch written. */
  #gone: LogGone | undefined;
  /** The size of the state file when it was last read or written. */
  #stateBytesRead = 0;
  /** The size of a state file too large to read, when the last read found one. */
  #stateOverLimit: number | undefined;
  /** The lock's generation when this writer last opened its files (see `FileLock`). */
  #lockGeneration = 0;
  /** The files were removed or moved under this writer since its last batch. */
  #removedUnder = false;
  /** What this writer's last batch counted, with its frontier. */
  #lastCount: StateWitness | undefined;
  /** Where the records this writer last counted end. */
  #lastEnd: { segment: string; offset: number } | undefined;
  /**
   * The last checkpoint record whose note a device key was found to sign
   * over the root its frontier folds to (checked outside the lock, see
   * `#verifyCheckpoint`), with the line it is: where `#frontierMismatch`
   * starts when that line is still there.
   */
  #checkpointBase: CheckpointBase | undefined;
  /**
   * The checkpoint record to check before the next batch takes the lock:
   * where a state another writer wrote (or this writer's own checkpoint)
   * puts it, or "state" to read that from the state file (at open).
   */
  #checkpointToCheck: RecordPlace | "state" | undefined = "state";
  /** The checkpoint record last checked, kept or not: not checked again. */
  #checkpointTried: RecordPlace | undefined;
  /** Reads of the segments, with a read handle kept beside the open one's (see `segment_reads.ts`). */
  readonly #reads: SegmentReads;

  /** Use {@linkcode openAuditLog}. */
  constructor(
    paths: AuditPaths,
    lock: FileLock,
    stateFile: Deno.FsFile,
    keys: DeviceKeys,
    now: () => Date,
    options: OpenAuditLogOptions,
    gone?: LogGone,
  ) {
    super(keys.hmacRaw);
    this.#gone = gone;
    this.paths = paths;
    this.#lock = lock;
    this.#batchLock = new BatchLock(
      lock,
      options.note ?? stderrNote,
      options.batchLockPatience,
      options.lockWaitEnd,
    );
    this.#stateFile = stateFile;
    this.#keys = keys;
    this.#stateKey = stateMacKey(keys.hmacRaw);
    this.#pendingKey = pendingMacKey(keys.hmacRaw);
    this.#now = now;
    this.#thothHome = options.thothHome;
    this.#always = options.sync === "always";
    this.#every = options.checkpointEvery ?? 1000;
    this.#intervalMs = options.checkpointIntervalMs ?? 60_000;
    this.#minIntervalMs = options.checkpointMinIntervalMs ?? 1000;
    this.#maxSegmentBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024;
    this.#reads = new SegmentReads(paths.dir, () => this.#segment);
    if (!this.#always) {
      this.#cancelTimer = unrefTimer(
        () => {
          // Not queued behind appends, and appends do not wait for it: fdatasync
          // flushes whatever was written before it started, and the next tick or
          // checkpoint flushes the rest.
          if (this.#dirty && this.#syncing === undefined) {
            this.#syncing = this.#syncNow().catch(() => {}).finally(() => {
              this.#syncing = undefined;
            });
          }
        },
        options.syncIntervalMs ?? 100,
        { repeat: true },
      );
    }
  }

  /** The device HMAC key's digest and the shape of a value (see {@linkcode redactValue}). */
  redact(value: unknown, safeFields: readonly string[] = []): Promise<RedactedValue> {
    return Promise.resolve(this.redactFast(value, safeFields));
  }

  /** Appends one record; resolves once it is written (and synced, with `sync: "always"`). */
  append(event: AuditEvent): Promise<AppendReceipt> {
    return this.#enqueue(event) as Promise<AppendReceipt>;
  }

  /**
   * Appends several records in order, as one batch: the relay's path, where
   * a receipt per record is not needed. Each item is an event or the
   * `JSON.stringify` of one (the spool already made it): the stored line is
   * then built around that text instead of serializing the event again.
   * Throws `audit.bad_record` when a text is not one JSON object on one line.
   *
   * `check`, when given, runs under the log's lock (synchronously, so that
   * nothing else appends meanwhile) just before the items would be added:
   * when it returns false, none of them is written, and the promise resolves
   * false. A session uses it to see that the spool files the items come from
   * are still its own (no other session took them in). A check that throws
   * counts as false.
   *
   * @example
   * ```ts
   * const written = await log.appendMany(bodies, () => spoolFileStillMine());
   * ```
   */
  appendMany(
    items: readonly (AuditEvent | string)[],
    check?: () => boolean,
  ): Promise<boolean> {
    if (items.length === 0) return Promise.resolve(true);
    for (const item of items) {
      if (typeof item === "string" && !isRecordBody(item)) {
        return Promise.reject(
          new AppError(
            "audit.bad_record",
            "a record to append is not one JSON object on one line",
            {
              hints: ["this is a bug in thoth; report it with thoth's stderr"],
            },
          ),
        );
      }
    }
    const many: Many = { many: items, ...(check === undefined ? {} : { check }) };
    return this.#enqueue(many).then(() => many.checked !== false);
  }

  /** Signs a checkpoint now (if any record is not yet covered); returns it, or null. */
  checkpoint(): Promise<CheckpointReceipt | null> {
    return this.#enqueue("checkpoint") as Promise<CheckpointReceipt | null>;
  }

  /**
   * Replaces the signing key, records the rotation, and signs a checkpoint
   * with the new key. Other writers (running sessions) read the key again
   * before each checkpoint they sign, so they sign their next with it too.
   */
  rotateSigningKey(): Promise<KeyRotationReceipt> {
    return this.#enqueue("rotate") as Promise<KeyRotationReceipt>;
  }

  /**
   * Records at once that the log was gone when this writer opened it (see
   * {@linkcode openAuditLog}); rejects when that record cannot be written.
   */
  async recordGone(): Promise<void> {
    await this.#enqueue("gone");
  }

  /** Flushes written records to disk. */
  async sync(): Promise<void> {
    await this.#serial(() => this.#syncNow());
  }

  /** Writes a final checkpoint, syncs and releases every file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#batchLock.closing();
    try {
      await this.checkpoint();
      await this.sync();
    } finally {
      this.#closed = true;
      this.#cancelTimer?.();
      this.#checkpointTimer?.();
      await this.#tail;
      await this.#syncing;
      this.#segment?.file.close();
      this.#segment = undefined;
      this.#reads.close();
      this.#pendingFile?.close();
      this.#pendingFile = undefined;
      this.#stateFile.close();
      this.#lock.close();
    }
  }

  /**
   * Records written since the last checkpoint are owed one within the
   * interval even if no other record follows (an idle session): a timer that
   * holds no process open looks again one interval after the first of them
   * (real time, whatever the clock says), under the lock as a batch does, and
   * signs if the checkpoint is due then. It waits for the lock without
   * blocking the thread (see `#writeBatch`).
   */
  #owe(): void {
    if (this.#checkpointTimer !== undefined) return;
    this.#checkpointTimer = unrefTimer(() => {
      this.#checkpointTimer = undefined;
      // A look the lock held off (see `#writeBatch`) is owed again.
      if (!this.#closed) this.#enqueue("tick").catch(() => this.#closed || this.#owe());
    }, Math.max(this.#minIntervalMs, this.#intervalMs));
  }

  #enqueue(event: Pending["event"]): Promise<Receipt> {
    if (this.#closed) {
      return Promise.reject(
        new AppError("audit.closed", "the audit log is closed", {
          hints: ["open it again with openAuditLog"],
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ event, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        this.#serial(async () => {
          this.#scheduled = false;
          const batch = this.#queue;
          this.#queue = [];
          await this.#writeBatch(batch);
        }).catch(() => {});
      }
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.then(() => {}, () => {});
    return run;
  }

  async #syncNow(): Promise<void> {
    if (!this.#dirty || this.#segment === undefined) return;
    this.#dirty = false;
    await this.#segment.file.syncData();
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    const results: Receipt[] = [];
    /** The rotations of the batch, by index: their records' seqs and keys. */
    let rotated: Map<number, Omit<KeyRotationReceipt, "checkpoint">> | undefined;
    let writer: LineWriter | undefined;
    /** The writer's line count when each `appendMany` of the batch began. */
    const starts: (number | undefined)[] = [];
    try {
      // Checked before the lock is taken: the lock is held for as short a
      // time as can be (another process's writer waits for it).
      if (this.#checkpointToCheck !== undefined) await this.#verifyCheckpoint();
      // Another process's hold is waited for off this thread, for 10 s at most: the relay goes
      // on meanwhile, and appends queue behind the batch (see `audit_log_batch_lock.ts`).
      await this.#batchLock.take();
      try {
        const { state, notes, macless } = await this.#loadState();
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
        this.#writeState(state);
        this.#gone = undefined;
        this.#removedUnder = false;
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
      const failure = error instanceof AppError ? error : unwritable(this.paths.dir, error);
      if (writer?.flushedSize !== undefined) {
        this.#uncounted = { size: writer.flushedSize, last: writer.flushedLast };
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
  #witnessRollback(state: LogState, notes: LogEvent[], trust: StateTrust): number {
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
      mismatch = this.#reads.lastRecordMismatch({
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

  /**
   * The state to chain onto, and the records to write first. Records taken
   * in that no state file vouched for (see `unvouched_tail.ts`) are kept,
   * and a `tail_taken_in` record says which they are, before any checkpoint
   * signs them. `macless`: the state file read carried no MAC (an earlier
   * release's), or there was no state to read.
   */
  async #loadState(): Promise<{ state: LogState; notes: LogEvent[]; macless: boolean }> {
    const text = this.#readStateText();
    const cached = this.#own.parse(text);
    let trust = this.#trustOf(text, cached);
    if (trust === "bad" && await this.#keysReplaced()) trust = this.#trustOf(text, cached);
    // Taken before the state is read on: taking records in counts them in `cached` itself.
    const size = cached?.size ?? 0;
    const base = { size, last: cached?.last ?? "" };
    const hint = cached?.checkpointRecord;
    // A MAC that does not verify: an earlier state's, left by an earlier release's writer, or none.
    const macBad = trust === "bad" && cached !== undefined
      ? new BadMacSearch(cached, this.#stateKey)
      : undefined;
    const read = await this.#readState(text, cached, macBad);
    const { state, notes } = read;
    const trusted = cached !== undefined && read.matched && (trust === "own" || trust === "mac");
    // A failed batch's records this writer wrote itself, when the log ends with its last one.
    const own = trust === "own" && this.#uncounted?.size === state.size &&
      this.#uncounted.last === state.last;
    const mine = this.#witnessRollback(state, notes, trust);
    const counted = Math.max(own ? state.size : trusted ? size : 0, mine);
    let vouched = true;
    // A writer killed between writing its batch and counting it left its intent:
    // built on this very state, it vouches for the records it named.
    const intent = state.size > counted && trusted ? this.#readIntent() : undefined;
    const logEnd = { size: state.size, last: state.last };
    if (state.size > counted && !(trusted && pendingVouch(intent, base, logEnd) === state.size)) {
      // A signed checkpoint among the records taken in vouches for those before it.
      const signed = await this.#checkpointVouch(read.lastCheckpoint ?? hint);
      // Past a count whose MAC verified, only an earlier release's intent of a large batch
      // leaves a point a kill can leave unnamed: records there may be a thoth's.
      const reason = !trusted
        ? untrustedReason(trust, cached !== undefined)
        : insideUnnamedBatch(intent, base, state.size)
        ? PAST_THE_COUNT
        : NO_INTENT;
      const tail = tailTakenIn(Math.max(counted, signed), state.size, reason);
      if (tail !== undefined) notes.push(tail);
      vouched = tail === undefined;
    }
    this.#pendingBase = trusted && vouched ? base : undefined;
    return { state, notes, macless: trust === "none" };
  }

  /** The intent in `audit/.pending` (see `pending_batch.ts`), when its MAC verifies. */
  #readIntent(): PendingBatch | undefined {
    let text: string;
    try {
      const file = openRegularFileSync(this.paths.pending);
      try {
        // Never more than an intent takes: a huge file put there is not read whole.
        text = new TextDecoder().decode(readAt(file, 0, PENDING_FILE_BYTES));
      } finally {
        file.close();
      }
    } catch {
      return undefined;
    }
    return parsePendingBatch(this.#pendingKey, text);
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
    const base = this.#pendingBase;
    if (base === undefined) return;
    const bytes = encodePendingBatch(this.#pendingKey, { base, start, done, end, part });
    const held = this.#pendingFile;
    this.#pendingFile = undefined;
    this.#pendingFile = writePendingIntent(this.paths.pending, held, bytes);
  }

  /**
   * Whether the device's audit key is no longer the one this writer holds
   * (the keys were replaced under it, with the folder they were in, say):
   * it then takes the keys there now, as it does at each checkpoint.
   */
  async #keysReplaced(): Promise<boolean> {
    const keys = await loadDeviceKeys(this.#thothHome, this.#now());
    if (bytesEqual(keys.hmacRaw, this.#keys.hmacRaw)) return false;
    this.#keys = keys;
    this.rekey(keys.hmacRaw);
    this.#stateKey = stateMacKey(keys.hmacRaw);
    this.#pendingKey = pendingMacKey(keys.hmacRaw);
    return true;
  }

  /** How far the state file read (`text`, parsed as `cached`) is trusted. */
  #trustOf(text: string, cached: LogState | undefined): StateTrust {
    if (cached === undefined) return "none";
    if (text === this.#own.text) return "own";
    if (cached.mac === undefined) return "none";
    return stateMacVerifies(this.#stateKey, cached) ? "mac" : "bad";
  }

  /**
   * How many records from the log's start the last signed checkpoint this
   * writer verified vouches for (its size, and its own record), when its
   * record is still where it was; 0 when there is none. `hint`: where a
   * later checkpoint record may start, verified first (a rare path: a state
   * file without a valid MAC).
   */
  async #checkpointVouch(hint: RecordPlace | undefined): Promise<number> {
    const kept = this.#checkpointBase;
    if (
      hint !== undefined &&
      (kept === undefined || kept.from.segment !== hint.segment || kept.from.offset !== hint.offset)
    ) {
      const pending = this.#checkpointToCheck;
      this.#checkpointToCheck = hint;
      await this.#verifyCheckpoint();
      this.#checkpointToCheck = pending;
    }
    const base = this.#checkpointBase;
    if (base === undefined) return 0;
    const line = this.#reads.lineAt(base.from.segment, base.from.offset);
    return line !== undefined && bytesEqual(line, base.line) ? base.size + 1 : 0;
  }

  /**
   * {@linkcode #loadState} before the tail is accounted for: `matched` says
   * the state file's count was found to go with the log (the records it
   * counts are there), `lastCheckpoint` where a rebuild found the last
   * checkpoint record. `macBad`: the state's MAC did not verify (what the
   * rebuild's reason says of it, found in its own pass: see
   * `earlier_state_read.ts`), and it is rebuilt from the log as a forged one is.
   */
  async #readState(
    text: string,
    cached: LogState | undefined,
    macBad: BadMacSearch | undefined,
  ): Promise<Loaded & { matched: boolean }> {
    let actual = -1;
    if (cached !== undefined && cached.segment !== null) {
      const at = `${this.paths.dir}/${cached.segment}`;
      let segment = heldFileStat(this.openSegment(cached.segment), at);
      if (segment.nlink === 0) {
        // Removed while this writer ran: what is at its path now counts.
        this.#segment?.file.close();
        this.#segment = undefined;
        segment = this.openSegment(cached.segment).statSync();
      }
      actual = segment.size;
      // A state this writer did not write last is checked against the log
      // before anything is chained onto it: a count forged (to 0, say) over
      // a log that holds records would restart or fork the chain.
      // Its Merkle frontier too: every later checkpoint is signed over the
      // tree it starts, so a forged one would make them all fail to verify.
      const mismatch = stateMismatch(cached) ??
        (actual >= cached.segmentBytes && !this.#wroteLast(cached)
          ? this.#reads.lastRecordMismatch(cached) ?? this.#frontierMismatch(cached)
          : undefined);
      if (mismatch !== undefined || macBad !== undefined) {
        return {
          ...await this.#rebuild(
            await listSegments(this.paths.dir),
            macBad?.reason(mismatch) ?? `the state file did not match the log: ${mismatch}`,
            readStateWitness(text),
          ),
          matched: false,
        };
      }
      if (actual === cached.segmentBytes && !nextSegmentWritten(this.paths.dir, cached)) {
        return { state: cached, notes: [], matched: true };
      }
    }
    const segments = await listSegments(this.paths.dir);
    const witness = readStateWitness(text);
    const unmatched = (loaded: Loaded) => ({ ...loaded, matched: false });
    const matched = (loaded: Loaded) => ({ ...loaded, matched: true });
    if (cached === undefined) {
      if (witness !== undefined && witness.size === 0 && segments.length === 0) {
        return { state: emptyLogState(), notes: [], matched: false };
      }
      if (witness === undefined && !(await logHoldsRecords(this.paths.dir))) {
        // No count and no record beside this writer's keys: the log was gone when it
        // opened, or was removed while it ran. Never started again without a word
        // (a partial line left behind is cut first, as any torn tail).
        const gone: LogEvent = {
          type: "state_rebuilt",
          reason: LOG_GONE,
          size: 0,
          stateFile: this.#gone?.state ?? (text.trim() === "" ? "empty" : "damaged"),
          keysCreated: this.#gone?.keysCreated ?? (await firstKeyCreated(this.paths)) ??
            "an unknown date",
        };
        if (segments.length === 0) return { state: emptyLogState(), notes: [gone], matched: false };
        return unmatched(await this.#rebuild(segments, LOG_GONE, undefined, gone));
      }
      const reason = this.#stateOverLimit !== undefined
        ? `the state file was ${this.#stateOverLimit} bytes, over the ${
          MAX_STATE_FILE_BYTES / 1024 / 1024
        } MiB a state file can hold, and was not read`
        : text.trim() === ""
        ? "the state file was missing"
        : "the state file was damaged";
      return unmatched(await this.#rebuild(segments, reason, witness));
    }
    if (macBad !== undefined) {
      const reason = macBad.reason();
      return unmatched(await this.#rebuild(segments, reason, witness));
    }
    if (cached.segment === null) {
      if (segments.length > 0) {
        return matched(await this.#rebuild(segments, "the state file was behind the log", witness));
      }
      return { state: cached, notes: [], matched: true };
    }
    if (segments[segments.length - 1] !== cached.segment) {
      return matched(
        await this.#rebuild(
          segments,
          "the state file names a segment that is not the last",
          witness,
        ),
      );
    }
    if (actual < cached.segmentBytes) {
      return matched(
        await this.#rebuild(segments, "the log was shorter than the state file", witness),
      );
    }
    return matched(await absorbTail(this.paths.dir, cached, actual));
  }

  /** Whether `state` counts what this writer's last state write counted, with the same frontier. */
  #wroteLast(state: LogState): boolean {
    const last = this.#lastCount;
    return last !== undefined && last.size === state.size && last.last === state.last &&
      sameHashes(last.frontier, state.frontier);
  }

  /**
   * What is wrong with the Merkle frontier of a state this writer did not
   * write last: it must be the one the log's records give. Checked from a
   * frontier known good, with only the records after it read: the one this
   * writer last wrote, when the state goes on from it in the same segment
   * (another writer's batch), else the one a checkpoint record carries
   * whose note a device key signed over the root it folds to, checked
   * before the lock was taken (see `#verifyCheckpoint`; the common open:
   * the records since it are few). Only when neither serves
   * (a log an older thoth checkpointed, say) are the records read from the
   * start. `undefined` when it agrees.
   */
  #frontierMismatch(state: LogState): string | undefined {
    const end = { segment: state.segment!, offset: state.segmentBytes };
    const base = this.#ownBase(state) ?? this.#checkpointStart(state);
    const start = base ?? { size: 0, frontier: [], from: undefined };
    const tree = new MerkleFrontier(start.size, start.frontier.map((h) => fromHex(h)!));
    const read = this.#reads.appendSpan(tree, start.from, end);
    const from = base === undefined ? "the log's start" : base.what;
    if (read === undefined || tree.size !== state.size) {
      return `it counts ${state.size} records, but the log holds ${
        read === undefined ? "no whole records" : `${tree.size}`
      } up to where it ends (read from ${from})`;
    }
    if (!sameHashes(tree.hashes.map(toHex), state.frontier)) {
      return `its Merkle frontier of ${state.size} records is not the one the log's records give (read from ${from}), though its last record is`;
    }
    return undefined;
  }

  /** This writer's last state, when `state` goes on from it in the same segment. */
  #ownBase(state: LogState): SpanBase | undefined {
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
   * The frontier the last checkpoint record this writer verified carries
   * (see `#verifyCheckpoint`), when the record is still where it was, before
   * the state's end: the log is append-only, so an older checkpoint than the
   * state's last is as good a start. Notes the state's last checkpoint
   * record to check before the next batch when it is a later one.
   */
  #checkpointStart(state: LogState): SpanBase | undefined {
    const hint = state.checkpointRecord;
    const base = this.#checkpointBase;
    const tried = this.#checkpointTried;
    if (
      hint !== undefined && state.checkpointSize > (base?.size ?? 0) &&
      (tried?.segment !== hint.segment || tried.offset !== hint.offset)
    ) {
      this.#checkpointToCheck = hint;
    }
    if (base === undefined || base.size >= state.size) return undefined;
    const { segment, offset } = base.from;
    if (segment > state.segment! || (segment === state.segment && offset >= state.segmentBytes)) {
      return undefined;
    }
    const line = this.#reads.lineAt(segment, offset);
    return line !== undefined && bytesEqual(line, base.line) ? base : undefined;
  }

  /**
   * Checks the checkpoint record `#checkpointToCheck` names, outside the
   * lock: a checkpoint record whose seq is its size, whose frontier folds to
   * the root its note states, and whose note a device key signed. Kept as
   * `#checkpointBase` when it is one and later than the one kept; anything
   * else (a hint to no such record, a state file mid-write) is passed over,
   * and the frontier is then checked from further back.
   */
  async #verifyCheckpoint(): Promise<void> {
    const want = this.#checkpointToCheck;
    this.#checkpointToCheck = undefined;
    try {
      const place = want === "state"
        ? parseLogState(
          new TextDecoder().decode(
            await readRegularFile(this.paths.state, { limit: MAX_STATE_FILE_BYTES }),
          ),
        )
          ?.checkpointRecord
        : want;
      if (place === undefined) return;
      this.#checkpointTried = { segment: place.segment, offset: place.offset };
      const kept = this.#checkpointBase;
      if (kept?.from.segment === place.segment && kept.from.offset === place.offset) return;
      const line = this.#reads.lineAt(place.segment, place.offset);
      if (line === undefined) return;
      const base = await signedCheckpointAt(line, place, kept?.size ?? 0, this.#keys.publicKeys);
      if (base !== undefined) this.#checkpointBase = base;
    } catch {
      // No checkpoint to start from: the frontier is checked from further back.
    }
  }

  /**
   * Rebuilds the state from the segments and records why, with what the
   * state file said: when it counted more records than the log now holds,
   * the difference is evidence of records lost, and `verify` reports it.
   */
  async #rebuild(
    segments: string[],
    reason: string | ScanReason,
    witness: StateWitness | undefined,
    instead?: LogEvent,
  ): Promise<Loaded> {
    const dir = this.paths.dir;
    // A log refused before and unchanged since is refused again without
    // reading it whole: a session retries its writes every few hundred ms.
    const fingerprint = await segmentsFingerprint(dir, segments);
    if (this.#broken?.fingerprint === fingerprint) throw this.#broken.error;
    const visit = typeof reason === "string" ? undefined : reason.visit;
    const { state, tree, torn, broken, lastCheckpoint } = await scanLogState(dir, segments, visit);
    // A gap or a repeated seq: the next record would repeat a seq the log
    // holds. Nothing is cut or written (fail closed; see `seq_break.ts`).
    if (broken) {
      const error = chainBrokenError(dir, broken, "no record was written", writerRemedy(dir));
      this.#broken = { fingerprint, error };
      throw error;
    }
    const notes: LogEvent[] = [];
    if (torn) notes.push(await cutTornTail(this.paths.dir, torn));
    if (witness !== undefined && witness.size > state.size) {
      state.lost = { seq: state.size + notes.length, counted: witness.size, held: state.size };
    } else if (witness?.lost !== undefined) {
      state.lost = witness.lost;
    }
    notes.push(
      instead ?? {
        type: "state_rebuilt",
        reason: typeof reason === "string" ? reason : reason.text(tree),
        size: state.size,
        ...(witness === undefined ? {} : {
          stateSize: witness.size,
          stateLast: witness.last,
          stateCheckpointSize: witness.checkpointSize,
          ...(witness.frontier === undefined ? {} : { stateFrontier: witness.frontier }),
        }),
      },
    );
    return { state, notes, ...(lastCheckpoint === undefined ? {} : { lastCheckpoint }) };
  }

  #readStateText(): string {
    let stat = heldFileStat(this.#stateFile, this.paths.state);
    if (stat.nlink === 0 || this.#lock.generation !== this.#lockGeneration) {
      // Removed or moved away while this writer ran (the audit folder too,
      // perhaps): read what is at the path now, as the next writer would, and
      // record what this writer last counted (see #loadState).
      this.#lockGeneration = this.#lock.generation;
      this.#removedUnder = true;
      Deno.mkdirSync(this.paths.checkpoints, { recursive: true, mode: 0o700 });
      const file = Deno.openSync(this.paths.state, STATE_FILE_OPEN);
      this.#stateFile.close();
      this.#stateFile = file;
      this.#segment?.file.close();
      this.#segment = undefined;
      this.#pendingFile?.close();
      this.#pendingFile = undefined;
      stat = this.#stateFile.statSync();
    }
    this.#stateBytesRead = stat.size;
    // A real state is a few KiB: a huge (or sparse) file is not read into
    // memory. Read as no state, it is rebuilt from the log, and the next state
    // write cuts it back to size.
    this.#stateOverLimit = stat.size > MAX_STATE_FILE_BYTES ? stat.size : undefined;
    if (this.#stateOverLimit !== undefined) return "";
    return new TextDecoder().decode(readAt(this.#stateFile, 0, stat.size));
  }

  #writeState(state: LogState): void {
    // One MAC per state write: the next writer takes it as this writer's word for the count.
    state.mac = stateMac(this.#stateKey, state);
    const text = encodeLogStateText(state);
    const encoded = encoder.encode(text);
    let bytes = encoded;
    this.#stateFile.seekSync(0, Deno.SeekMode.Start);
    while (bytes.length > 0) bytes = bytes.subarray(this.#stateFile.writeSync(bytes));
    // A longer file (damaged, or written by hand) would keep its tail and stay unreadable.
    if (this.#stateBytesRead > encoded.length) this.#stateFile.truncateSync(encoded.length);
    this.#stateBytesRead = encoded.length;
    this.#own.remember(text, state);
    this.#uncounted = undefined;
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
    const path = `${this.paths.dir}/${name}`;
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { append: true, createNew: true, mode: 0o600 });
      // Once per segment: its name is on disk before a checkpoint can cover its
      // records (syncing the file's data does not promise the name).
      syncFolder(this.paths.dir);
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
    this.#keys = { ...this.#keys, signer, publicKeys };
    return {
      seq,
      oldKey: `${old.name}+${old.keyHash}`,
      newKey: `${signer.name}+${signer.keyHash}`,
    };
  }

  async #signCheckpoint(writer: LineWriter): Promise<CheckpointReceipt> {
    const keys = await loadDeviceKeys(this.#thothHome, this.#now());
    this.#keys = keys;
    this.rekey(keys.hmacRaw);
    this.#stateKey = stateMacKey(keys.hmacRaw);
    this.#pendingKey = pendingMacKey(keys.hmacRaw);
    const size = writer.state.size;
    const root = await writer.tree.root();
    const note = await signCheckpointRoot(keys.signer, size, root);
    // The records a checkpoint covers reach the disk before the checkpoint
    // does, and the note appears whole or not at all: a writer killed in
    // between must not leave a signed root over records that do not exist.
    writer.flush();
    await this.#segment?.file.syncData();
    await storeCheckpointNote(this.paths.checkpoints, size, note);
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
    this.#checkpointToCheck = writer.state.checkpointRecord;
    writer.state.checkpointSize = size;
    writer.state.checkpointAt = this.#now().getTime();
    return { size, root: rootText, note };
  }
}

/** Whether `text` can be the body of one stored line: a JSON object with members, no newline. */
function isRecordBody(text: string): boolean {
  return text.length > 2 && text[0] === "{" && text[text.length - 1] === "}" &&
    !text.includes("\n") && !text.includes("\r");
}
