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
 * live beside it: the writing of one batch under the lock
 * (`batch_writer.ts`), the state it chains onto (`state_loader.ts`), the
 * state file it holds (`writer_state_file.ts`), its keys
 * (`writer_keys.ts`), the lines of a batch (`line_writer.ts`), reads of its
 * segments (`segment_reads.ts`), records taken in past the state's count
 * (`take_in_tail.ts`), the state file at open (`state_before.ts`), the
 * checkpoint it starts checks from (`verified_checkpoint.ts`,
 * `checkpoint_start.ts`) and the one it signs (`checkpoint_signing.ts`), key
 * rotation (`key_rotation_record.ts`), and failures (`append_failure.ts`).
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
import { toHex } from "./encoding.ts";
import { type AuditPaths, auditPaths } from "./log_paths.ts";
import { logHoldsRecords } from "./log_holds_records.ts";
import { syncFolder, writeFileSynced } from "../platform/durable_file.ts";
import { emptyLogState, encodeLogState } from "./log_state.ts";
import type { AuditEvent, RedactedValue } from "./record.ts";
import { KeyDigests } from "./key_digests.ts";
import { type CancelTimer, unrefTimer } from "../platform/unref_timer.ts";
import type {
  AppendReceipt,
  CheckpointReceipt,
  KeyRotationReceipt,
  OpenAuditLogOptions,
} from "./audit_log_options.ts";
import { unwritable } from "./append_failure.ts";
import { type LogGone, STATE_FILE_OPEN, stateBefore } from "./state_before.ts";
import { BatchWriter, type Many, type Pending, type Receipt } from "./batch_writer.ts";
import { WriterKeys } from "./writer_keys.ts";

export type {
  AppendReceipt,
  CheckpointReceipt,
  KeyRotationReceipt,
  OpenAuditLogOptions,
} from "./audit_log_options.ts";
export { appendedBeforeFailure } from "./append_failure.ts";

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
  /** Writes the queued events, a batch at a time, under the lock (see `batch_writer.ts`). */
  readonly #writer: BatchWriter;
  readonly #intervalMs: number;
  readonly #minIntervalMs: number;
  #queue: Pending[] = [];
  #tail: Promise<void> = Promise.resolve();
  #scheduled = false;
  #syncing: Promise<void> | undefined;
  #closed = false;
  #cancelTimer: CancelTimer | undefined;
  /** Armed while records wait for the checkpoint the interval owes them (see `#owe`). */
  #checkpointTimer: CancelTimer | undefined;

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
    this.paths = paths;
    this.#lock = lock;
    this.#batchLock = new BatchLock(
      lock,
      options.note ?? stderrNote,
      options.batchLockPatience,
      options.lockWaitEnd,
    );
    this.#intervalMs = options.checkpointIntervalMs ?? 60_000;
    this.#minIntervalMs = options.checkpointMinIntervalMs ?? 1000;
    const writerKeys = new WriterKeys(keys, options.thothHome, now, (raw) => this.rekey(raw));
    this.#writer = new BatchWriter(
      paths,
      lock,
      this.#batchLock,
      stateFile,
      writerKeys,
      now,
      options,
      () => this.#owe(),
      gone,
    );
    if (options.sync !== "always") {
      this.#cancelTimer = unrefTimer(
        () => {
          // Not queued behind appends, and appends do not wait for it: fdatasync
          // flushes whatever was written before it started, and the next tick or
          // checkpoint flushes the rest.
          if (this.#writer.dirty && this.#syncing === undefined) {
            this.#syncing = this.#writer.syncNow().catch(() => {}).finally(() => {
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
    await this.#serial(() => this.#writer.syncNow());
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
      this.#writer.close();
      this.#lock.close();
    }
  }

  /**
   * Records written since the last checkpoint are owed one within the
   * interval even if no other record follows (an idle session): a timer that
   * holds no process open looks again one interval after the first of them
   * (real time, whatever the clock says), under the lock as a batch does, and
   * signs if the checkpoint is due then. It waits for the lock without
   * blocking the thread (see `batch_writer.ts`).
   */
  #owe(): void {
    if (this.#checkpointTimer !== undefined) return;
    this.#checkpointTimer = unrefTimer(() => {
      this.#checkpointTimer = undefined;
      // A look the lock held off (see `batch_writer.ts`) is owed again.
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
          await this.#writer.write(batch);
        }).catch(() => {});
      }
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.then(() => {}, () => {});
    return run;
  }
}

/** Whether `text` can be the body of one stored line: a JSON object with members, no newline. */
function isRecordBody(text: string): boolean {
  return text.length > 2 && text[0] === "{" && text[text.length - 1] === "}" &&
    !text.includes("\n") && !text.includes("\r");
}
