/**
 * The records of one session on their way into the chained, signed log:
 * a queue of records (gating ones with the JSON the spool already made for
 * them), moved into the log in batches every {@linkcode INGEST_MS}, off the
 * call's path, with the spool files that covered them removed once they are
 * in. A batch the log refuses is held and tried again every
 * {@linkcode RETRY_MS} (up to `HELD_MAX` records, see `held_spool_files.ts`:
 * past it the batch is let go, and its decisions and approvals are taken
 * back in from its spool files once the log takes batches again, see
 * `let_go_batches.ts`); while it is refused, the log counts as broken and
 * governed calls are refused (see `session_audit.ts`). A log not open yet, that a try may
 * still open (see `audit_log_reopen.ts`), counts as one that refuses
 * batches until {@linkcode LogBatches.opened} gives it.
 *
 * @example
 * ```ts
 * const batches = new LogBatches(options, () => spool, sync, notice, elsewhere, letGo);
 * batches.later({ type: "session_end", session: "s-1", exitCode: 0, signal: null });
 * const written = await batches.flush(); // false while the log refuses the batch
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import type { DecisionSpool } from "../audit/decision_spool.ts";
import { BatchTimer, INGEST_MS, RETRY_MS } from "./batch_timer.ts";
import type { ClaimedElsewhere } from "./claimed_elsewhere.ts";
import {
  HELD_MAX,
  type HeldFile,
  keepFresh,
  type Queued,
  release,
  respool,
} from "./held_spool_files.ts";
import { type DropWatch, LetGoBatches } from "./let_go_batches.ts";
import type { SpoolGroupSync } from "./spool_group_sync.ts";
import { OPENED_NOTE, REOPENING_NOTE, type UnwritableNotice } from "./unwritable_audit_notes.ts";
import type { Digests } from "../audit/key_digests.ts";
import { AwaitedLog, type LogOpening } from "./awaited_log.ts";
import type { DroppedCount } from "../audit/record.ts";
import type { LetGoSpools } from "./let_go_spools.ts";
import { type LogBatchWriteHost, writeLogBatch } from "./log_batch_write.ts";

/** What the batches need of their session: the log (none when it could not be opened), and notes. */
export interface LogBatchesOptions {
  log: AuditLog | undefined;
  session: string;
  note: (message: string) => void;
  /** The wall clock in milliseconds (when records were let go). */
  now?: () => number;
}

/** The session's queue of records for the log, and its batches. */
export class LogBatches {
  readonly #o: LogBatchesOptions;
  /** The spool now open (none once it could not be opened or keyed). */
  readonly #spool: () => DecisionSpool | undefined;
  readonly #sync: SpoolGroupSync;
  readonly #notice: UnwritableNotice;
  /**
   * Files of this session that another session claimed while this one was
   * stopped and still holds (see `ClaimedElsewhere`).
   */
  readonly #elsewhere: ClaimedElsewhere;
  /** What was let go past `HELD_MAX`, counted, and its files taken back (see `let_go_batches.ts`). */
  readonly #letGo: LetGoBatches;
  /** Records waiting for the log, with the JSON the spool already made for them. */
  #queue: Queued[] = [];
  /** Files whose records are in the queue: removed once those are in the log. */
  #files: HeldFile[] = [];
  /**
   * When the last batch the log took was cut from the queue (the session's
   * start before): every record the log lacks was queued after it.
   */
  #takenAt: number;
  /** The next batch's timer, stopped at the session's end (see `batch_timer.ts`). */
  readonly #timer = new BatchTimer(() => void this.flush());
  /** The records written to the spool file now open (the entries of the queue). */
  #spooled: Queued[] = [];
  #ingesting: Promise<void> = Promise.resolve();
  #broken = false;
  /** The log (none when it could not be opened, until {@linkcode LogBatches.opened}). */
  #log: AuditLog | undefined;
  /** A log not open yet, that tries may open (see {@linkcode LogBatches.awaitLog}). */
  readonly #awaited = new AwaitedLog((log) => this.#opened(log));
  /** What a batch's write tells the batches (see `log_batch_write.ts`): made once, for every batch. */
  readonly #writeHost: LogBatchWriteHost = {
    retrySoon: () => this.#timer.arm(RETRY_MS),
    putBack: (events, files) => this.#putBack(events, files),
    refused: (error, hints, events, files, partial) =>
      this.#refused(error, hints, events, files, partial),
  };

  constructor(
    options: LogBatchesOptions,
    spool: () => DecisionSpool | undefined,
    sync: SpoolGroupSync,
    notice: UnwritableNotice,
    elsewhere: ClaimedElsewhere,
    letGo: LetGoSpools,
    watch?: DropWatch,
  ) {
    this.#o = options;
    this.#takenAt = this.#now();
    this.#log = options.log;
    this.#spool = spool;
    this.#sync = sync;
    this.#notice = notice;
    this.#elsewhere = elsewhere;
    this.#letGo = new LetGoBatches(options, letGo, watch);
  }

  /** Records waiting for the log (the array is replaced when a batch takes them). */
  get queue(): Queued[] {
    return this.#queue;
  }

  /** Files whose records are in the queue. */
  get files(): HeldFile[] {
    return this.#files;
  }

  /** Whether the log refused the last batch (and has taken none since). */
  get broken(): boolean {
    return this.#broken;
  }

  /** Whether the session has ended (see {@linkcode LogBatches.stop}). */
  get ended(): boolean {
    return this.#timer.stopped;
  }

  /** The log, once open. */
  get log(): AuditLog | undefined {
    return this.#log;
  }

  /**
   * The log could not be opened at the session's start (`reason`, with its
   * `hints`), for a cause that passes: records are queued and held as when
   * the log refuses them (calls are refused meanwhile, but in observe mode)
   * while `tries` try to open it (see `audit_log_reopen.ts`). Once one does,
   * `keyed` takes its digests from it and the next batch takes what waited.
   */
  awaitLog(
    tries: LogOpening,
    keyed: { log: Digests | undefined },
    reason: string,
    hints?: readonly string[],
  ): void {
    this.#broken = true;
    this.#notice.say(reason, hints);
    this.#o.note(REOPENING_NOTE);
    this.#awaited.start(tries, keyed);
  }

  /**
   * Stops trying to open a log still not open (see `awaitLog`): the session
   * then records nothing, as one whose log could not be opened at all.
   * Returns whether there were tries to stop.
   */
  stopAwaiting(): boolean {
    if (!this.#awaited.stop()) return false;
    this.#broken = false;
    return true;
  }

  /** The session's end: a last short try to open a log still not open (see `awaitLog`). */
  lastTry(): Promise<void> {
    return this.#awaited.lastTry();
  }

  /** A try opened the awaited log: the next batch takes what waited (calls proceed once it is in). */
  #opened(log: AuditLog): void {
    this.#log = log;
    if (!this.#timer.stopped) void this.flush();
  }

  /** Whether a batch (or its retry) is armed. */
  get armed(): boolean {
    return this.#timer.armed;
  }

  /** Queues a gating record the spool took (its JSON), with the spool file now open. */
  spooled(body: string): void {
    this.#queue.push(body);
    this.#spooled.push(body);
    this.#schedule();
  }

  /** The session has ended: no batch is armed again. */
  stop(): void {
    this.#timer.stop();
  }

  /** Queues a record that gates nothing (its event, or its JSON). */
  later(event: Queued): void {
    if (this.#log === undefined && !this.#awaited.awaiting) return;
    this.#queue.push(event);
    this.#schedule();
  }

  /** Arms the next batch: in {@linkcode INGEST_MS}, or {@linkcode RETRY_MS} while the log fails. */
  #schedule(): void {
    this.#timer.arm(this.#broken ? RETRY_MS : INGEST_MS);
  }

  /** Moves every waiting record into the log; false when it could not. */
  async flush(): Promise<boolean> {
    this.#timer.disarm();
    const run = this.#ingesting.then(() => this.#ingest());
    this.#ingesting = run.then(() => {}, () => {});
    return await run;
  }

  /**
   * One batch: the queue into the log, then the spool files that covered it
   * are removed. A batch the log refused is kept, with its files, in front of
   * the queue and tried again, less the records the log took before it
   * failed (the next write takes those in: see `log_batch_write.ts`).
   */
  async #ingest(): Promise<boolean> {
    const log = this.#log;
    // A spool file is closed at rotation: let any flush of it finish first.
    await this.#sync.syncing;
    await this.#sync.inFlight;
    const batch = this.#spool()?.rotate();
    if (batch !== undefined) {
      this.#files.push({
        path: batch.path,
        openedAt: batch.openedAt,
        ino: batch.ino,
        items: this.#spooled,
      });
    }
    this.#spooled = [];
    this.#rejoin();
    const cutAt = this.#now();
    // Armed before this cut: what the log taking batches again queued is in this batch.
    const takeBack = this.#letGo.armed;
    const events = this.#queue;
    const files = this.#files;
    this.#queue = [];
    this.#files = [];
    if (log === undefined) {
      // Not open yet: kept, as a batch the log refused is, for the try that opens it.
      if (this.#awaited.awaiting && events.length + files.length > 0) {
        this.#hold(events, files, false);
      }
      return false;
    }
    if (this.#elsewhere.length > 0) this.#timer.arm(RETRY_MS);
    if (!await writeLogBatch(log, events, files, this.#broken, this.#elsewhere, this.#writeHost)) {
      return false;
    }
    this.#takenAt = cutAt;
    const wasBroken = this.#broken;
    this.#writable();
    if (takeBack && !wasBroken) await this.#takeBack(log);
    return true;
  }

  /** One round of taking back in the records this session let go (see `let_go_batches.ts`). */
  async #takeBack(log: AuditLog): Promise<void> {
    const ended = () => this.#timer.stopped;
    await this.#letGo.round(log, {
      get ended() {
        return ended();
      },
      refused: (error) => this.#refused(error, [], [], [], false),
      requeue: (events, files) => {
        this.#putBack(events, files);
        this.#schedule();
      },
    });
  }

  /**
   * At the session's end, before its last record: takes back in the records
   * it let go, round by round, while the log takes batches (see
   * `LetGoBatches.atEnd`).
   */
  async takeBackAtEnd(): Promise<void> {
    await this.#letGo.atEnd(this);
  }

  /**
   * Puts the records of files no other session holds any more (see
   * `ClaimedElsewhere`) back in front of the queue, with their files: the
   * next batch finds them gone (or put back) and `ClaimedElsewhere.retaken`
   * checks them against the log.
   */
  #rejoin(): void {
    const free = this.#elsewhere.takeFree();
    if (free.length === 0) return;
    this.#putBack(free.flatMap((file) => file.items!), free);
  }

  /** Puts `events` back in front of the queue, with the `files` that hold them. */
  #putBack(events: Queued[], files: HeldFile[]): void {
    this.#queue = events.concat(this.#queue);
    this.#files = files.concat(this.#files);
  }

  /**
   * The log took a write: calls proceed again (after a failure, with a
   * note), and the log is told of the records let go meanwhile, if any.
   */
  #writable(): void {
    if (!this.#broken) return;
    this.#broken = false;
    this.#notice.reset();
    // The record that tells the log what was let go, if any; let-go files are taken back after.
    if (this.#letGo.writable((told) => this.later(told))) this.#schedule();
    this.#o.note(
      this.#awaited.tookFirst()
        ? OPENED_NOTE
        : "the audit log is writable again; governed calls proceed",
    );
  }

  /**
   * The log refused a write (`error`, said with `hints`, else the generic
   * one): it counts as broken, and `events` are held with their `files` (see
   * `#hold`).
   */
  #refused(
    error: unknown,
    hints: readonly string[],
    events: Queued[],
    files: HeldFile[],
    partial: boolean,
  ): void {
    this.#broken = true;
    this.#notice.say(message(error), hints);
    this.#hold(events, files, partial);
  }

  /**
   * Keeps a refused batch for the next try, in front of what came since, and
   * its files fresh so that no other session takes them for a dead one's.
   * Past {@linkcode HELD_MAX} records the batch is let go instead (what came
   * since stays queued: its spool file is still open).
   *
   * The files then hold exactly the gating records still waiting, whoever
   * takes them in later (see `respool`): after a batch the log took in part
   * (`partial`), or when a file claimed from a killed session is among them.
   */
  #hold(events: Queued[], heldFiles: HeldFile[], partial: boolean): void {
    // The files that hold `events` now (see `respool`); `heldFiles` when there is no spool.
    const spool = partial || heldFiles.some((file) => file.restore !== undefined)
      ? this.#spool()
      : undefined;
    const files = spool === undefined
      ? heldFiles
      : respool(spool, events, heldFiles, (line) => this.#o.note(line));
    if (events.length + this.#queue.length > HELD_MAX) {
      // Taken back in from their files once the log takes batches again (see `let_go_batches.ts`).
      this.#letGo.letGo(events, files, this.#takenAt, this.#now());
    } else {
      this.#putBack(events, files);
      keepFresh(this.#files);
    }
    this.#timer.arm(RETRY_MS);
  }

  /**
   * The session ends with records the log never took (the queue, less its
   * own `end`, which is to carry the count): those of them that gate
   * nothing, with those let go before that the log was never told of,
   * counted (see `dropped_records.ts`); undefined when there are none.
   * Call it before {@linkcode LogBatches.letGo}.
   */
  droppedAtEnd(end: Queued): DroppedCount | undefined {
    return this.#letGo.droppedAtEnd(
      this.#queue.filter((event) => event !== end),
      this.#takenAt,
      this.#now(),
    );
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  /** Stops holding records (at the session's end): see `release`. */
  letGo(): void {
    this.#queue = [];
    release(this.#files.splice(0));
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
