/**
 * What a session's batches let go of past `HELD_MAX` (see
 * `held_spool_files.ts`) while its log refused them, and taking it back:
 * the records that gate nothing are counted, and the log is told how many
 * once it takes a batch again (see `dropped_records.ts`); the decisions and
 * approvals stay in the session's spool files, which it takes back in itself,
 * a round at a time, once the log takes batches again (see
 * `let_go_spools.ts`), and before its end.
 *
 * @example
 * ```ts
 * const lettingGo = new LetGoBatches(options, letGo, watch);
 * lettingGo.letGo(refusedEvents, refusedFiles, takenAt); // past HELD_MAX
 * lettingGo.writable((told) => queue.push(told)); // the log takes batches again
 * await lettingGo.round(log, host); // the next batch after it
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import type { DroppedCount } from "../audit/record.ts";
import { spoolFileSession } from "../audit/read_spool_file.ts";
import { DroppedRecords } from "./dropped_records.ts";
import { HELD_MAX, type HeldFile, type Queued, release } from "./held_spool_files.ts";
import type { LetGoSpools } from "./let_go_spools.ts";

/**
 * Told when held records are let go past {@linkcode HELD_MAX}, and when the
 * log takes a batch again after: the session's tool snapshots are recorded
 * again from there (see `tools_snapshots.ts`).
 */
export interface DropWatch {
  /** `events` were let go (the array is not kept). */
  dropped(events: readonly Queued[]): void;
  /** The log takes batches again after records were let go: after the `records_dropped` record. */
  writable(): void;
}

/** What letting go needs of its session. */
export interface LetGoBatchesOptions {
  session: string;
  note: (message: string) => void;
}

/** What a take-back round needs of the batches (see `LogBatches`). */
export interface TakeBackHost {
  /** The session has ended: nothing is queued after. */
  readonly ended: boolean;
  /** The log refused the checkpoint before a round: it counts as broken again. */
  refused(error: unknown): void;
  /** Queues `events` in front of the queue, with the `files` that hold them, and arms a batch. */
  requeue(events: Queued[], files: HeldFile[]): void;
}

/** What the end's take-back needs of the batches. */
export interface TakeBackAtEndHost {
  readonly broken: boolean;
  readonly ended: boolean;
  readonly log: AuditLog | undefined;
  flush(): Promise<boolean>;
}

/** A session's let-go batches: counted, and their spool files taken back. */
export class LetGoBatches {
  readonly #o: LetGoBatchesOptions;
  /** This session's spool files whose records were let go (see `let_go_spools.ts`). */
  readonly #letGo: LetGoSpools;
  readonly #watch: DropWatch | undefined;
  /** Whether held records were let go since the log last took a batch (noted once). */
  #noted = false;
  /** Those records, until the log is told (see `dropped_records.ts`). */
  readonly #dropped = new DroppedRecords();
  /**
   * Let-go files wait to be taken back: set when the log takes batches
   * again, the next batch (which holds what that queued, the session's start
   * among it) is written first, so that the log is read back with it.
   */
  #armed = false;

  constructor(options: LetGoBatchesOptions, letGo: LetGoSpools, watch?: DropWatch) {
    this.#o = options;
    this.#letGo = letGo;
    this.#watch = watch;
  }

  /** Whether a take-back round follows the next batch the log takes. */
  get armed(): boolean {
    return this.#armed;
  }

  /**
   * Lets go of a refused batch past {@linkcode HELD_MAX} (said once until
   * the log takes a batch again): its claimed files go back under their
   * names, this session's are remembered to take back, and the records that
   * gate nothing are counted, made no earlier than `since` (when the log
   * last took a batch), but for the `spool_recovered` records of this
   * session's own files, which taking those back writes afresh.
   */
  letGo(events: Queued[], files: HeldFile[], since: number, now: number): void {
    if (!this.#noted) {
      this.#noted = true;
      this.#o.note(
        `error: the audit log has refused more than ${HELD_MAX} records; thoth stops holding them: ` +
          "the decisions and approvals among them stay in their spool files, which this session " +
          "takes back into the log once it can be written (the next session, if this one ends first); " +
          "the other records are lost, and the log is told how many once it can be written " +
          "(calls stay blocked until then)",
      );
    }
    release(files);
    this.#letGo.add(files);
    this.#dropped.add(
      events.filter((event) => !ownRecovered(event, this.#o.session)),
      now,
      since,
    );
    this.#watch?.dropped(events);
  }

  /**
   * The log took a write after refusing: the record that tells it what was
   * let go, if anything was, goes to `queue`, and the watch is told after.
   * Returns whether a take-back round is armed (let-go files wait).
   */
  writable(queue: (event: Queued) => void): boolean {
    this.#noted = false;
    const waiting = this.#letGo.length > 0;
    if (waiting) this.#armed = true;
    const told = this.#dropped.take(this.#o.session);
    if (told !== undefined) {
      queue(told);
      this.#watch?.writable();
    }
    return waiting;
  }

  /**
   * Counts `events`, never taken by the log at the session's end (made no
   * earlier than `since`), with those let go before that the log was never
   * told of: undefined when there are none.
   */
  droppedAtEnd(events: readonly Queued[], since: number, now: number): DroppedCount | undefined {
    this.#dropped.add(events, now, since);
    return this.#dropped.takeCount();
  }

  /**
   * One round of taking back in the records this session let go (see
   * `let_go_spools.ts`), in front of the queue with their files; the next
   * round follows once the log has taken this one's. When the log refuses
   * the checkpoint that comes first, it counts as broken again. A round the
   * session's end overtook puts its files back (refused ones too: the next
   * session refuses them with a record), so that no refusal goes unrecorded.
   */
  async round(log: AuditLog, host: TakeBackHost): Promise<void> {
    try {
      await log.checkpoint();
    } catch (error) {
      host.refused(error);
      return;
    }
    const taken = await this.#letGo.takeBack();
    this.#armed = this.#letGo.length > 0;
    if (host.ended) {
      this.#letGo.putBack(taken);
      return;
    }
    // Set aside at once, with nothing awaited since the session's end was asked.
    const events = [...this.#letGo.setAside(taken), ...taken.events];
    if (events.length === 0) return;
    host.requeue(events, taken.files);
  }

  /**
   * At the session's end, before its last record: takes back in the records
   * it let go, round by round, while the log takes batches. What is left (the
   * log refuses them, or they were never let go) stays in the spool for the
   * next session to take in.
   */
  async atEnd(host: TakeBackAtEndHost): Promise<void> {
    // Whether the log takes batches again is known from a try: the end would make it anyway.
    if (host.broken && this.#letGo.length > 0 && host.log !== undefined) await host.flush();
    for (let rounds = this.#letGo.length + 1; rounds > 0 && this.#armed; rounds--) {
      if (host.broken || host.ended || host.log === undefined) return;
      if (!(await host.flush())) return;
    }
  }
}

/**
 * Whether `event` is the `spool_recovered` record of a file of `session`
 * itself (a let-go file it took back): let go again, the file is taken back
 * again, with a record of its own.
 */
function ownRecovered(event: Queued, session: string): boolean {
  return typeof event !== "string" && event.type === "spool_recovered" &&
    event.session === session && spoolFileSession(event.file) === session;
}
