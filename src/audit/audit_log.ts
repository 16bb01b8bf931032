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
 * (`rollback_witness.ts`), so `verify` reports the loss.
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
import type { LockPatience } from "../platform/take_lock_patiently.ts";
import { stderrNote } from "../platform/stderr_note.ts";
import { type LockWaitEnd, takeAuditLock } from "./take_audit_lock.ts";
import { formatCheckpoint, parseCheckpoint } from "./checkpoint.ts";
import {
  type DeviceKeys,
  firstKeyCreated,
  loadDeviceKeys,
  rotateDeviceSigningKey,
  verifiersOf,
} from "./device_keys.ts";
import { bytesEqual, fromHex, toBase64, toHex } from "./encoding.ts";
import { leafHashSync, nodeHashSync } from "./merkle_hash.ts";
import { isFrontierOf, MerkleFrontier } from "./merkle_frontier.ts";
import {
  type AuditPaths,
  auditPaths,
  checkpointName,
  SEGMENT_PATTERN,
  segmentName,
} from "./log_paths.ts";
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
  type TornTail,
} from "./log_state.ts";
import {
  type AuditEvent,
  encodeRecordLine,
  encodeRecordLineFromBody,
  keyRotationMessage,
  type LogEvent,
  type RecordEnvelope,
  type RedactedValue,
} from "./record.ts";
import {
  describeRedacted,
  LARGE_VALUE_CHARS,
  redactCanonicalSync,
  redactValueSync,
} from "./redact.ts";
import { canonicalJson } from "./canonical_json.ts";
import { noteVerifierKey, openNote, signNote } from "./signed_note.ts";
import { HmacSha256Key } from "./sha256.ts";
import { stateMac, stateMacKey, stateMacVerifies } from "./state_mac.ts";
import { STATE_MAC_EXTENSION } from "./state_mac_signal.ts";
import {
  MAC_DID_NOT_VERIFY,
  PAST_THE_COUNT,
  type StateTrust,
  tailTakenIn,
  untrustedReason,
} from "./unvouched_tail.ts";
import { macParts } from "./mac_parts.ts";
import {
  encodePendingBatch,
  insideUnnamedBatch,
  type LogPoint,
  MAX_PENDING_LEAVES,
  parsePendingBatch,
  PENDING_FILE_BYTES,
  type PendingBatch,
  pendingMacKey,
  pendingVouch,
} from "./pending_batch.ts";
import { writePendingIntent } from "./write_pending_intent.ts";
import { NO_INTENT } from "./past_the_count.ts";
import { rollbackWitness } from "./rollback_witness.ts";
import { nativeHmacStream } from "./native_hmac.ts";
import { eventStamp, LATE_MS, splitStamp } from "./spool_stamp.ts";
import { Utf8Buffer } from "./utf8_buffer.ts";
import { type CancelTimer, unrefTimer } from "../platform/unref_timer.ts";
import { FileOverLimitError, readRegularFile } from "../platform/read_regular_file.ts";
import { openRegularFileSync } from "../platform/open_regular_file.ts";

/** How to open the log. */
export interface OpenAuditLogOptions {
  thothHome: string;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
  /** `always`: fsync before each append resolves. Default: background sync every `syncIntervalMs`. */
  sync?: "default" | "always";
  /** Sign a checkpoint after this many records (default 1000). */
  checkpointEvery?: number;
  /** …or when this much time passed since the last one (default 60 s). */
  checkpointIntervalMs?: number;
  /**
   * A count-triggered checkpoint waits until this long after the previous one
   * (default 1 s): under heavy load, signing every N records would cost more
   * than it protects, and the records in between still reach the next one.
   */
  checkpointMinIntervalMs?: number;
  /** Start a new segment past this size (default 64 MiB); a new UTC day also starts one. */
  maxSegmentBytes?: number;
  /** Background sync period (default 100 ms). */
  syncIntervalMs?: number;
  /**
   * How long opening waits for the writers' lock before it fails with
   * `audit.locked` (default 10 s, see `take_audit_lock.ts`), and when it
   * says so on `note` (after 1 s): the wait never blocks the thread.
   */
  lockPatience?: LockPatience;
  /** Where that note goes (default: stderr, as `thoth: …`). */
  note?: (message: string) => void;
  /** What ends that wait early (a stop): then `audit.lock_wait_ended` (see `take_audit_lock.ts`). */
  lockWaitEnd?: LockWaitEnd;
}

/** What an append produced. */
export interface AppendReceipt {
  seq: number;
  /** Leaf hash (hex) of the stored line. */
  leafHash: string;
}

/** A checkpoint just signed. */
export interface CheckpointReceipt {
  size: number;
  root: string;
  note: string;
}

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
  resolve(receipt: AppendReceipt | CheckpointReceipt | null): void;
  reject(error: unknown): void;
}

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
    // Not the per-batch lock's blocking take: a holder that never lets go (a
    // stopped process) would freeze the session's start without a word.
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

function unwritable(dir: string, cause: unknown): AppError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AppError("audit.unwritable", `cannot write the audit log in "${dir}": ${reason}`, {
    hints: [
      `check that "${dir}" is a writable folder on a disk with free space`,
      'run "thoth audit verify" once it is writable again',
    ],
    cause,
  });
}

/**
 * The state file is no regular file (a FIFO, a device, or a link to one):
 * named, with the remedy. A writer never opens it, so no read blocks, and
 * never replaces it in silence; moved away, it is rebuilt from the log by the
 * next writer, which records that it was.
 */
function stateNotAFile(path: string, cause: Error): AppError {
  const dir = path.slice(0, path.lastIndexOf("/"));
  return new AppError(
    "audit.unwritable",
    `cannot write the audit log in "${dir}": its state file "${path}" is not a regular file (a FIFO, a device, or a link to one)`,
    {
      hints: [
        `move "${path}" away: the next writer rebuilds the state from the log and records that it did`,
        'run "thoth audit verify" once it is writable again',
      ],
      cause,
    },
  );
}

/** How a writer opens its state file: read and rewritten in place, made (0600) when missing. */
const STATE_FILE_OPEN: Deno.OpenOptions = { read: true, write: true, create: true, mode: 0o600 };

/** What a writer found at open where a log should be: no segment, no usable state, but keys. */
interface LogGone {
  state: "missing" | "empty" | "damaged";
  /** When the device's first signing key was made. */
  keysCreated: string;
}

/** Why the state file cannot count the log (missing, empty, damaged), or undefined when it can. */
async function stateBefore(path: string): Promise<LogGone["state"] | undefined> {
  let text: string;
  try {
    // Only a regular file (a FIFO in its place would hold thoth run, and its
    // client, for ever), and never a huge one whole: see `#readStateText`.
    text = new TextDecoder().decode(await readRegularFile(path, { limit: MAX_STATE_FILE_BYTES }));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "missing";
    if (error instanceof FileOverLimitError) return "damaged";
    if (error instanceof Deno.errors.InvalidData) throw stateNotAFile(path, error);
    throw error;
  }
  if (text.trim() === "") return "empty";
  return readStateWitness(text) === undefined ? "damaged" : undefined;
}

/** An open audit log. */
export class AuditLog {
  readonly paths: AuditPaths;
  readonly #lock: FileLock;
  #stateFile: Deno.FsFile;
  #keys: DeviceKeys;
  #hmac: HmacSha256Key;
  #hmacRaw: Uint8Array;
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
  /** The state file's text as this writer last wrote it: read back unchanged, its MAC is not checked. */
  #stateText: string | undefined;
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
  /**
   * A read handle on the open segment, for checking a state another writer
   * wrote (see `#lastRecordMismatch`); kept while that segment's append
   * handle (`of`) is.
   */
  #reader: { name: string; file: Deno.FsFile; of: Deno.FsFile } | undefined;

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
    this.#gone = gone;
    this.paths = paths;
    this.#lock = lock;
    this.#stateFile = stateFile;
    this.#keys = keys;
    this.#hmac = new HmacSha256Key(keys.hmacRaw);
    this.#hmacRaw = keys.hmacRaw;
    this.#stateKey = stateMacKey(keys.hmacRaw);
    this.#pendingKey = pendingMacKey(keys.hmacRaw);
    this.#now = now;
    this.#thothHome = options.thothHome;
    this.#always = options.sync === "always";
    this.#every = options.checkpointEvery ?? 1000;
    this.#intervalMs = options.checkpointIntervalMs ?? 60_000;
    this.#minIntervalMs = options.checkpointMinIntervalMs ?? 1000;
    this.#maxSegmentBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024;
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

  /**
   * {@linkcode redact} without a promise for ordinary values (the relay's
   * hot path). A value whose canonical JSON is over
   * {@linkcode LARGE_VALUE_CHARS} characters (a file written through a
   * tool, say) is digested by the runtime's native HMAC instead, several
   * times faster at that size (20 MiB: about 15 ms against 85 ms or more),
   * and the result comes as a promise.
   */
  redactFast(
    value: unknown,
    safeFields: readonly string[] = [],
  ): RedactedValue | Promise<RedactedValue> {
    const text = canonicalJson(value);
    if (text.length <= LARGE_VALUE_CHARS) {
      return redactCanonicalSync(this.#hmac, text, value, safeFields);
    }
    return this.#redactLarge(text, value, safeFields);
  }

  async #redactLarge(
    text: string,
    value: unknown,
    safeFields: readonly string[],
  ): Promise<RedactedValue> {
    const stream = (await nativeHmacStream(this.#hmacRaw)) ?? this.#hmac.begin();
    stream.update(new TextEncoder().encode(text));
    return describeRedacted(stream.mac(), value, safeFields, this.#hmac);
  }

  /** {@linkcode redact}, synchronously (the relay's hot path). */
  redactSync(value: unknown, safeFields: readonly string[] = []): RedactedValue {
    return redactValueSync(this.#hmac, value, safeFields);
  }

  /**
   * The device HMAC key's digest (hex) of the first `length` bytes of
   * `parts`, hashed a slice at a time so the thread keeps serving meanwhile.
   */
  async macParts(parts: readonly Uint8Array[], length: number): Promise<string> {
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
    const stream = (await nativeHmacStream(this.#hmacRaw)) ?? this.#hmac.begin();
    return toHex(await macParts(stream, parts, length, pause));
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

  /** Replaces the signing key, records the rotation, and signs a checkpoint with the new key. */
  async rotateSigningKey(): Promise<void> {
    await this.#enqueue("rotate");
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
      this.#reader?.file.close();
      this.#reader = undefined;
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
      if (!this.#closed) this.#enqueue("tick").catch(() => {});
    }, Math.max(this.#minIntervalMs, this.#intervalMs));
  }

  #enqueue(event: Pending["event"]): Promise<AppendReceipt | CheckpointReceipt | null> {
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
    const results: (AppendReceipt | CheckpointReceipt | null)[] = [];
    let writer: LineWriter | undefined;
    /** The writer's line count when each `appendMany` of the batch began. */
    const starts: (number | undefined)[] = [];
    try {
      // Checked before the lock is taken: the lock is held for as short a
      // time as can be (another process's writer waits for it).
      if (this.#checkpointToCheck !== undefined) await this.#verifyCheckpoint();
      // An idle writer's look for a checkpoint may wait for another process without holding up
      // this thread: the relay goes on meanwhile (tools/list, pings), and appends queue behind it.
      if (batch.every((pending) => pending.event === "tick")) {
        await this.#lock.acquireWithoutBlocking();
      } else {
        await this.#lock.acquire();
      }
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
            writer.add(await this.#rotation());
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
        if ((forced && !covered) || due) checkpoint = await this.#signCheckpoint(writer);
        else if (!covered) this.#owe();
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
          if (pending.event === "checkpoint" || pending.event === "rotate") results[i] = checkpoint;
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
        // `#absorb`): the caller must not append those records again.
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
      mismatch = this.#lastRecordMismatch({
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
    const cached = parseLogState(text);
    let trust = this.#trustOf(text, cached);
    if (trust === "bad" && await this.#keysReplaced()) trust = this.#trustOf(text, cached);
    // Taken before the state is read on: taking records in counts them in `cached` itself.
    const size = cached?.size ?? 0;
    const base = { size, last: cached?.last ?? "" };
    const hint = cached?.checkpointRecord;
    const read = await this.#readState(text, cached, trust === "bad");
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
    if (bytesEqual(keys.hmacRaw, this.#hmacRaw)) return false;
    this.#keys = keys;
    this.#hmac = new HmacSha256Key(keys.hmacRaw);
    this.#hmacRaw = keys.hmacRaw;
    this.#stateKey = stateMacKey(keys.hmacRaw);
    this.#pendingKey = pendingMacKey(keys.hmacRaw);
    return true;
  }

  /** How far the state file read (`text`, parsed as `cached`) is trusted. */
  #trustOf(text: string, cached: LogState | undefined): StateTrust {
    if (cached === undefined) return "none";
    if (text === this.#stateText) return "own";
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
    const line = this.#lineAt(base.from.segment, base.from.offset);
    return line !== undefined && bytesEqual(line, base.line) ? base.size + 1 : 0;
  }

  /**
   * {@linkcode #loadState} before the tail is accounted for: `matched` says
   * the state file's count was found to go with the log (the records it
   * counts are there), `lastCheckpoint` where a rebuild found the last
   * checkpoint record. `macBad`: the state's MAC did not verify, and it is
   * rebuilt from the log as a forged one is.
   */
  async #readState(
    text: string,
    cached: LogState | undefined,
    macBad: boolean,
  ): Promise<Loaded & { matched: boolean }> {
    let actual = -1;
    if (cached !== undefined && cached.segment !== null) {
      let segment = this.openSegment(cached.segment).statSync();
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
          ? this.#lastRecordMismatch(cached) ?? this.#frontierMismatch(cached)
          : undefined);
      if (mismatch !== undefined || macBad) {
        const why = [macBad ? MAC_DID_NOT_VERIFY : undefined, mismatch].filter((w) => w).join("; ");
        return {
          ...await this.#rebuild(
            await listSegments(this.paths.dir),
            `the state file did not match the log: ${why}`,
            readStateWitness(text),
          ),
          matched: false,
        };
      }
      if (actual === cached.segmentBytes && !this.#nextSegmentWritten(cached)) {
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
    if (macBad) {
      const reason = `the state file did not match the log: ${MAC_DID_NOT_VERIFY}`;
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
    return matched(await this.#absorb(cached, actual));
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
    const read = this.#appendSpan(tree, start.from, end);
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
    const line = this.#lineAt(segment, offset);
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
      const line = this.#lineAt(place.segment, place.offset);
      if (line === undefined) return;
      const record = JSON.parse(new TextDecoder().decode(line)) as Record<string, unknown>;
      const { seq, size, note, frontier } = record;
      if (
        record["type"] !== "checkpoint" || typeof size !== "number" || size <= 0 || seq !== size ||
        typeof note !== "string" || !isFrontierOf(size, frontier) || size <= (kept?.size ?? 0)
      ) {
        return;
      }
      const opened = await openNote(note, verifiersOf(this.#keys.publicKeys));
      if (opened === undefined || opened.verified.length === 0) return;
      const body = parseCheckpoint(opened.text);
      if (body === undefined || body.size !== size) return;
      if (!bytesEqual(foldFrontier(frontier.map((h) => fromHex(h)!)), body.root)) return;
      this.#checkpointBase = {
        size,
        frontier,
        from: { segment: place.segment, offset: place.offset },
        line: line.slice(),
        what: `the signed checkpoint of size ${size}`,
      };
    } catch {
      // No checkpoint to start from: the frontier is checked from further back.
    }
  }

  /** The complete line that starts at `offset` of segment `name`, without its line break. */
  #lineAt(name: string, offset: number): Uint8Array | undefined {
    let file: Deno.FsFile;
    try {
      file = this.#readerOf(name);
    } catch {
      return undefined;
    }
    for (let want = 4096; want <= 1 << 26; want *= 4) {
      const bytes = readAt(file, offset, want);
      const cut = bytes.indexOf(10);
      if (cut >= 0) return bytes.subarray(0, cut);
      if (bytes.length < want) return undefined;
    }
    return undefined;
  }

  /**
   * Appends to `tree` the leaf hash of every complete line from `from` (the
   * first segment's start when undefined) to `end`, across the segments in
   * between; the number of lines, or undefined when the span is not whole
   * lines of segments that are there.
   */
  #appendSpan(
    tree: MerkleFrontier,
    from: { segment: string; offset: number } | undefined,
    end: { segment: string; offset: number },
  ): number | undefined {
    const names = listSegmentsSync(this.paths.dir).filter((name) =>
      (from === undefined || name >= from.segment) && name <= end.segment
    );
    if (names[names.length - 1] !== end.segment) return undefined;
    if (from !== undefined && names[0] !== from.segment) return undefined;
    let count = 0;
    for (const name of names) {
      const begin = from !== undefined && name === from.segment ? from.offset : 0;
      let file: Deno.FsFile;
      try {
        file = this.#readerOf(name);
      } catch {
        return undefined;
      }
      const stop = name === end.segment ? end.offset : file.statSync().size;
      if (stop < begin) return undefined;
      const bytes = readAt(file, begin, stop - begin);
      if (bytes.length !== stop - begin || (bytes.length > 0 && bytes[bytes.length - 1] !== 10)) {
        return undefined;
      }
      let start = 0;
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
        tree.appendSync(leafHashSync(bytes.subarray(start, i), LEAF_SCRATCH));
        count++;
        start = i + 1;
      }
    }
    return count;
  }

  /**
   * What is wrong with the record the state counts as its last: the complete
   * line that ends at `segmentBytes` must carry seq `size - 1` and have the
   * leaf hash `last`. Reads only the segment's bytes before that point, from
   * the end back to the line's start. `undefined` when it agrees, or when
   * the segment holds no record of the state's (the name check covers that).
   */
  #lastRecordMismatch(state: LogState): string | undefined {
    if (state.segmentBytes === 0) return undefined;
    const name = state.segment!;
    const file = this.#readerOf(name);
    const end = state.segmentBytes;
    let tail = new Uint8Array(0);
    let from = end;
    let cut = -1;
    while (cut < 0 && from > 0) {
      const start = Math.max(0, from - Math.max(2048, tail.length));
      const chunk = new Uint8Array(from - start);
      file.seekSync(start, Deno.SeekMode.Start);
      let read = 0;
      while (read < chunk.length) {
        const n = file.readSync(chunk.subarray(read));
        if (n === null || n === 0) break;
        read += n;
      }
      const got = chunk.subarray(0, read);
      if (tail.length === 0) tail = got;
      else {
        const joined = new Uint8Array(read + tail.length);
        joined.set(got, 0);
        joined.set(tail, read);
        tail = joined;
      }
      from = start;
      // The byte before `end` is the record's own line break.
      cut = tail.subarray(0, tail.length - 1).lastIndexOf(10);
    }
    if (tail[tail.length - 1] !== 10) {
      return `${name} holds no line break at byte ${end}, where it counts its last record to end`;
    }
    const line = tail.subarray(cut + 1, tail.length - 1);
    const seq = recordSeq(line);
    if (seq !== state.size - 1) {
      return `it counts ${state.size} records, but the record its ${name} ends with at byte ${state.segmentBytes} is ${
        typeof seq === "number" ? `seq ${seq}` : "not one"
      }`;
    }
    if (toHex(leafHashSync(line)) !== state.last) {
      return `the record at seq ${seq} is not the one it counts as its last (its leaf hash differs)`;
    }
    return undefined;
  }

  /** A read handle on segment `name`, kept beside its append handle while that is open. */
  #readerOf(name: string): Deno.FsFile {
    const of = this.#segment?.name === name ? this.#segment.file : undefined;
    const kept = this.#reader;
    if (kept !== undefined && kept.name === name && kept.of === of && of !== undefined) {
      return kept.file;
    }
    kept?.file.close();
    this.#reader = undefined;
    const file = openRegularFileSync(`${this.paths.dir}/${name}`);
    if (of !== undefined) this.#reader = { name, file, of };
    else queueMicrotask(() => file.close());
    return file;
  }

  /**
   * Whether a writer began the segment after the state's and died before it
   * wrote the state: a segment starting at the state's size holds bytes. Its
   * name carries the day of its first record, between the state's segment day
   * and today; those few names are looked at (a wider gap, or a clock behind
   * the state's day, lists the folder). Without this check the next writer would rotate
   * into the same file and append behind the dead writer's records.
   */
  #nextSegmentWritten(state: LogState): boolean {
    // The wall clock, not the injected one: reading that would move a test's clock.
    const today = new Date().toISOString().slice(0, 10);
    const days: string[] = [];
    for (let day = state.segmentDay; day <= today && days.length <= 31; day = nextDay(day)) {
      days.push(day);
    }
    if (days.length === 0 || days.length > 31) {
      // No usable range of days: any segment after the state's counts.
      return listSegmentsSync(this.paths.dir).some((name) => name > state.segment!);
    }
    return days.some((day) => {
      try {
        return Deno.statSync(`${this.paths.dir}/${segmentName(state.size, day)}`).size > 0;
      } catch {
        return false;
      }
    });
  }

  /** Takes in complete records another writer wrote without updating the state; cuts a torn tail. */
  async #absorb(state: LogState, actual: number): Promise<Loaded> {
    const segment = state.segment!;
    const path = `${this.paths.dir}/${segment}`;
    const all = await readRegularFile(path);
    const extra = all.subarray(state.segmentBytes, actual);
    const tree = new MerkleFrontier(state.size, frontierBytes(state));
    let start = 0;
    /** Where the last checkpoint record taken in starts (see `#checkpointVouch`). */
    let lastCheckpoint: RecordPlace | undefined;
    for (let i = extra.indexOf(10); i >= 0; i = extra.indexOf(10, start)) {
      const line = extra.subarray(start, i);
      let record: { seq?: unknown; prev?: unknown; type?: unknown } | undefined;
      try {
        record = JSON.parse(new TextDecoder().decode(line));
      } catch {
        record = undefined;
      }
      if (record?.seq !== state.size || record?.prev !== state.last) break;
      if (record.type === "checkpoint") lastCheckpoint = { segment, offset: state.segmentBytes };
      const leaf = leafHashSync(line);
      await tree.append(leaf);
      state.size += 1;
      state.last = toHex(leaf);
      state.segmentBytes += line.length + 1;
      start = i + 1;
    }
    state.frontier = tree.hashes.map(toHex);
    const found = lastCheckpoint === undefined ? {} : { lastCheckpoint };
    if (state.segmentBytes === actual) return { state, notes: [], ...found };
    const torn = {
      segment,
      offset: state.segmentBytes,
      bytes: all.slice(state.segmentBytes, actual),
    };
    return { state, notes: [await this.#cut(torn)], ...found };
  }

  /**
   * Rebuilds the state from the segments and records why, with what the
   * state file said: when it counted more records than the log now holds,
   * the difference is evidence of records lost, and `verify` reports it.
   */
  async #rebuild(
    segments: string[],
    reason: string,
    witness: StateWitness | undefined,
    instead?: LogEvent,
  ): Promise<Loaded> {
    const dir = this.paths.dir;
    // A log refused before and unchanged since is refused again without
    // reading it whole: a session retries its writes every few hundred ms.
    const fingerprint = await segmentsFingerprint(dir, segments);
    if (this.#broken?.fingerprint === fingerprint) throw this.#broken.error;
    const { state, torn, broken, lastCheckpoint } = await scanLogState(dir, segments);
    // A gap or a repeated seq: the next record would repeat a seq the log
    // holds. Nothing is cut or written (fail closed; see `seq_break.ts`).
    if (broken) {
      const error = chainBrokenError(dir, broken, "no record was written", writerRemedy(dir));
      this.#broken = { fingerprint, error };
      throw error;
    }
    const notes: LogEvent[] = [];
    if (torn) notes.push(await this.#cut(torn));
    if (witness !== undefined && witness.size > state.size) {
      state.lost = { seq: state.size + notes.length, counted: witness.size, held: state.size };
    } else if (witness?.lost !== undefined) {
      state.lost = witness.lost;
    }
    notes.push(
      instead ?? {
        type: "state_rebuilt",
        reason,
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

  async #cut(torn: TornTail): Promise<LogEvent> {
    await Deno.truncate(`${this.paths.dir}/${torn.segment}`, torn.offset);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", torn.bytes));
    return {
      type: "recovered_torn_tail",
      segment: torn.segment,
      offset: torn.offset,
      bytesCut: torn.bytes.length,
      cutDigest: toHex(digest),
    };
  }

  #readStateText(): string {
    let stat = this.#stateFile.statSync();
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
    const buffer = new Uint8Array(stat.size);
    this.#stateFile.seekSync(0, Deno.SeekMode.Start);
    let read = 0;
    while (read < buffer.length) {
      const n = this.#stateFile.readSync(buffer.subarray(read));
      if (n === null || n === 0) break;
      read += n;
    }
    return new TextDecoder().decode(buffer.subarray(0, read));
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
    this.#stateText = text;
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

  async #rotation(): Promise<LogEvent> {
    const { old, next, publicKeys } = await rotateDeviceSigningKey(this.#thothHome, this.#now());
    const newVerifierKey = await noteVerifierKey(next.name, next.publicKey);
    const endorsement = new Uint8Array(
      await crypto.subtle.sign(
        "Ed25519",
        old.privateKey,
        encoder.encode(keyRotationMessage(newVerifierKey)),
      ),
    );
    this.#keys = { ...this.#keys, signer: next, publicKeys };
    return {
      type: "key_rotation",
      oldKeyHash: old.keyHash,
      newKeyHash: next.keyHash,
      newVerifierKey,
      endorsement: toBase64(endorsement),
    };
  }

  async #signCheckpoint(writer: LineWriter): Promise<CheckpointReceipt> {
    const keys = await loadDeviceKeys(this.#thothHome, this.#now());
    this.#keys = keys;
    this.#hmac = new HmacSha256Key(keys.hmacRaw);
    this.#hmacRaw = keys.hmacRaw;
    this.#stateKey = stateMacKey(keys.hmacRaw);
    this.#pendingKey = pendingMacKey(keys.hmacRaw);
    const size = writer.state.size;
    const root = await writer.tree.root();
    // Signed with the root: this writer keeps a MAC on every state it writes.
    const body = formatCheckpoint({
      origin: keys.signer.name,
      size,
      root,
      extensions: [STATE_MAC_EXTENSION],
    });
    const note = await signNote(body, keys.signer);
    // The records a checkpoint covers reach the disk before the checkpoint
    // does, and the note appears whole or not at all: a writer killed in
    // between must not leave a signed root over records that do not exist.
    writer.flush();
    await this.#segment?.file.syncData();
    // Made again if it was removed while this writer ran (the log says what was lost).
    await Deno.mkdir(this.paths.checkpoints, { recursive: true, mode: 0o700 });
    const path = `${this.paths.checkpoints}/${checkpointName(size)}`;
    const temp = `${path}.tmp-${toHex(crypto.getRandomValues(new Uint8Array(4)))}`;
    await writeFileSynced(temp, encoder.encode(note), 0o600);
    await Deno.rename(temp, path);
    syncFolder(this.paths.checkpoints);
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

const LEAF_SCRATCH = new Uint8Array(32);

/** Encodes records against the state and writes them, one segment at a time. */
class LineWriter {
  readonly state: LogState;
  readonly tree: MerkleFrontier;
  readonly #log: AuditLog;
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

  constructor(log: AuditLog, state: LogState, tree: MerkleFrontier) {
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

/** The records of each failed `appendMany` that reached the log whole anyway. */
const writtenBeforeFailure = new WeakMap<object, number>();

/** `failure`, for one `appendMany` of which `written` records reached the log whole. */
function partlyWritten(failure: AppError, written: number): AppError {
  const error = new AppError(failure.code, failure.message, {
    hints: failure.hints,
    cause: failure.cause,
  });
  writtenBeforeFailure.set(error, written);
  return error;
}

/**
 * How many of the items of an `appendMany` that rejected with `error`
 * reached the log whole before it failed (the first ones, in order): the
 * next write takes them in, so they must not be appended again. 0 for any
 * other error.
 *
 * @example
 * ```ts
 * try {
 *   await log.appendMany(items);
 * } catch (error) {
 *   const retry = items.slice(appendedBeforeFailure(error));
 * }
 * ```
 */
export function appendedBeforeFailure(error: unknown): number {
  return typeof error === "object" && error !== null ? writtenBeforeFailure.get(error) ?? 0 : 0;
}

/** Whether `text` can be the body of one stored line: a JSON object with members, no newline. */
function isRecordBody(text: string): boolean {
  return text.length > 2 && text[0] === "{" && text[text.length - 1] === "}" &&
    !text.includes("\n") && !text.includes("\r");
}

/** A frontier known good, and where the records after it start. */
interface SpanBase {
  size: number;
  frontier: readonly string[];
  from: { segment: string; offset: number };
  /** What it is, for messages. */
  what: string;
}

/** The state a batch chains onto, the records it writes first, and where a rebuild found the last checkpoint record. */
interface Loaded {
  state: LogState;
  notes: LogEvent[];
  lastCheckpoint?: RecordPlace;
}

/** Where a record starts: its segment and byte offset. */
interface RecordPlace {
  segment: string;
  offset: number;
}

/** A checkpoint record verified as a start (see `AuditLog.#verifyCheckpoint`), with its line. */
interface CheckpointBase extends SpanBase {
  line: Uint8Array;
}

/** The root of the tree a non-empty frontier stands for (as `MerkleFrontier.root`, synchronously). */
function foldFrontier(hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHashSync(hashes[i]!, acc);
  return acc;
}

/** Whether two frontiers (hex) are the same. */
function sameHashes(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((h, i) => h === b[i]);
}

/** Up to `length` bytes of `file` from `offset` (fewer at its end). */
function readAt(file: Deno.FsFile, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  file.seekSync(offset, Deno.SeekMode.Start);
  let read = 0;
  while (read < length) {
    const n = file.readSync(bytes.subarray(read));
    if (n === null || n === 0) break;
    read += n;
  }
  return bytes.subarray(0, read);
}

/** The day after `day` (`YYYY-MM-DD`, UTC). */
function nextDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return Number.isNaN(next.getTime()) ? "9999-12-31" : next.toISOString().slice(0, 10);
}

/** The segment files of `dir`, sorted, read synchronously (under the writer's lock). */
function listSegmentsSync(dir: string): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isFile && SEGMENT_PATTERN.test(entry.name)) names.push(entry.name);
  }
  return names.sort();
}

/** The seq a record line carries: read from its start (`{"v":1,"seq":N,`), else parsed whole. */
function recordSeq(line: Uint8Array): number | undefined {
  const start = /^\{"v":1,"seq":(\d{1,15}),/.exec(new TextDecoder().decode(line.subarray(0, 40)));
  if (start !== null) return Number(start[1]);
  try {
    const seq = (JSON.parse(new TextDecoder().decode(line)) as { seq?: unknown })?.seq;
    return typeof seq === "number" ? seq : undefined;
  } catch {
    return undefined;
  }
}
