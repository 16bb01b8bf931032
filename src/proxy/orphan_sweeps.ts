/**
 * A session's intake of the spool files other sessions left (killed ones,
 * see `take_orphan_spools.ts`): claimed at its start, swept every
 * `SWEEP_MS` while it runs and is idle, and at its end waited for
 * a while, then cut off (what a slower sweep claimed is put back, for the
 * next session). The records of a file taken in go into the session's log
 * batches; the file is removed once they are in the log (see `LogBatches`).
 *
 * @example
 * ```ts
 * const orphans = new OrphanSweeps({ thothHome, session, now, note, batches, spool, mac, elsewhere });
 * await orphans.take(orphans.claim());
 * orphans.every(SWEEP_MS);
 * ```
 */
import type { DecisionSpool } from "../audit/decision_spool.ts";
import type { SpoolMac } from "../audit/spool_mac.ts";
import { type CancelTimer, unrefTimer } from "../platform/unref_timer.ts";
import { settledWithin } from "../platform/settled_within.ts";
import type { ClaimedElsewhere } from "./claimed_elsewhere.ts";
import type { LogBatches } from "./log_batches.ts";
import { digestRefused, setAside } from "./refuse_spool_files.ts";
import {
  alreadyLogged,
  claimOrphanSpools,
  orphansWaiting,
  putBack,
  readClaimedSpools,
  recoveredFiles,
  type SpoolClaim,
  type SpoolIntake,
} from "./take_orphan_spools.ts";

/** Why a session without the device's audit key puts back the spool files it claimed. */
const NO_KEY_FOR_ORPHANS =
  "without the device's audit key, which checks their lines, this session cannot take in";

/** What the sweeps need of their session. */
export interface OrphanSweepHost {
  readonly thothHome: string;
  readonly session: string;
  /** The wall clock in milliseconds (for the age of orphaned spools). */
  readonly now: () => number;
  readonly note: (line: string) => void;
  /** The session's records waiting for the log, which the files' records join. */
  readonly batches: LogBatches;
  /** The session's spool, undefined when it has none (then it takes nothing in). */
  readonly spool: () => DecisionSpool | undefined;
  /** The key that checks the files' lines, undefined until loaded. */
  readonly mac: () => SpoolMac | undefined;
  /** Files of the session another one holds: while any is, no sweep runs. */
  readonly elsewhere: ClaimedElsewhere;
}

/** One session's claims and sweeps of other sessions' spool files (see the module's note). */
export class OrphanSweeps {
  readonly #host: OrphanSweepHost;
  /** The sweep in progress, which the session's end waits for (see `sweep`). */
  #sweeping: Promise<number> | undefined;
  /** The session's end has begun: no sweep starts any more. */
  #closing = false;
  /** The session's end no longer waits for a sweep: what one claims after is put back. */
  #sweepCut = false;
  /** The periodic look for other sessions' orphaned spool files (see `sweep`). */
  #cancelSweep: CancelTimer | undefined;

  constructor(host: OrphanSweepHost) {
    this.#host = host;
  }

  /** Claims the files waiting now, each renamed so that only one session takes it. */
  claim(): SpoolClaim[] {
    return claimOrphanSpools(this.#intake());
  }

  /** Sweeps every `ms` until {@linkcode OrphanSweeps.stop}, on a timer that keeps no process alive. */
  every(ms: number): void {
    this.#cancelSweep = unrefTimer(
      () => {
        void this.sweep();
      },
      ms,
      { repeat: true },
    );
  }

  /**
   * Takes in the spool files other sessions left (at least `ORPHAN_AFTER_MS`
   * old), as the session's start does: run every `SWEEP_MS` while
   * the session runs, so that files of a session killed just before this one
   * started are not left waiting until the next start. Only while the
   * session is idle (nothing waiting for the log, the log not failing): it
   * never runs on a call's path; a busy tick is skipped and the next one
   * tries again. Returns how many files it took in.
   *
   * The session's end waits for a sweep in progress (see
   * {@linkcode OrphanSweeps.cut}); one that reads the log back longer than
   * that puts the files it claimed back, for the next session, and says so.
   */
  sweep(): Promise<number> {
    const run = this.#sweepOnce();
    this.#sweeping = run;
    const done = () => {
      if (this.#sweeping === run) this.#sweeping = undefined;
    };
    run.then(done, done);
    return run;
  }

  async #sweepOnce(): Promise<number> {
    const batches = this.#host.batches;
    const spool = this.#host.spool();
    if (
      spool === undefined || batches.ended || this.#closing || batches.broken ||
      this.#host.mac() === undefined ||
      batches.queue.length > 0 || batches.files.length > 0 ||
      this.#host.elsewhere.length > 0 ||
      batches.armed || spool.pending > 0
    ) {
      return 0;
    }
    // Cheap when there is nothing to take: one read of the spool folder.
    if (!orphansWaiting(this.#intake())) return 0;
    const taken = await this.take();
    if (taken > 0 && !batches.ended) await batches.flush();
    return taken;
  }

  /**
   * Claims the spool files killed sessions left (each renamed, so that only
   * one session takes it; a file a killed session had claimed is claimed
   * again), or takes `claims` made already, and queues their records, less
   * those the log holds already and those taken from another file already.
   * A file with a line its session did not write is set aside instead, with
   * a record that says so. Returns how many files it took. Call it only once
   * the key that checks their lines is loaded.
   */
  async take(claims?: SpoolClaim[]): Promise<number> {
    const intake = this.#intake();
    const claimed = readClaimedSpools(claims ?? claimOrphanSpools(intake), this.#host.mac()!);
    if (claimed.length === 0) return 0;
    // A refused file's records are never queued: it is set aside, and one record says so.
    const refused = claimed.filter((file) => file.refused !== undefined);
    const taken = claimed.filter((file) => file.refused === undefined);
    const digests = await digestRefused(refused);
    const seen = await alreadyLogged(intake, taken);
    if (this.#sweepCut) {
      // The session's final batch no longer waits for these: back under their names.
      putBack(claimed, intake.note);
      return 0;
    }
    const batches = this.#host.batches;
    batches.queue.push(...setAside(intake, refused, digests));
    for (const file of recoveredFiles(this.#host.session, taken, seen)) {
      batches.queue.push(...file.items!);
      // Removed once its records are in the log (see `LogBatches`).
      batches.files.push(file);
    }
    return claimed.length;
  }

  /** Puts `claims` back under their names: the session could not load the key that checks them. */
  putBackWithoutKey(claims: SpoolClaim[]): void {
    putBack(claims, this.#host.note, NO_KEY_FOR_ORPHANS);
  }

  /** The session's end has begun: no sweep starts any more. */
  close(): void {
    this.#closing = true;
  }

  /**
   * Waits for a sweep still reading the log back, `waitMs` at most, then
   * cuts the sweeps off: what one claims after is put back.
   */
  async cut(waitMs: number): Promise<void> {
    if (this.#sweeping !== undefined) await settledWithin([this.#sweeping], waitMs);
    this.#sweepCut = true;
  }

  /** Stops the periodic sweeps. */
  stop(): void {
    this.#cancelSweep?.();
    this.#cancelSweep = undefined;
  }

  /** What taking in other sessions' spool files needs of this session. */
  #intake(): SpoolIntake {
    return {
      thothHome: this.#host.thothHome,
      session: this.#host.session,
      log: this.#host.batches.log,
      now: this.#host.now,
      note: this.#host.note,
    };
  }
}
