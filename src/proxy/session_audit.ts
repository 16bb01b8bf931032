/**
 * One session's evidence. Every record that gates a call (a decision, an
 * approval) is written to the session's spool, synchronously, before the
 * enforcer's verdict is released, so a call is never forwarded ahead of its
 * evidence and a killed thoth loses nothing. The spooled records, with the
 * records that follow a call (outcome, cancellation, tool snapshots), move
 * into the chained, signed log in batches every {@linkcode INGEST_MS}, off
 * the call's path. When the evidence cannot be written, calls are blocked in
 * every mode but `observe` (fail closed), which forwards and warns.
 *
 * @example
 * ```ts
 * const audit = new SessionAudit({ log, thothHome, session, server, mode: "block", … });
 * await audit.start(command, args, envKeys, { userId: "ana@example.com" });
 * const enforcer = audit.wrapEnforcer(localEnforcer);
 * ```
 */
import type { AuditEvent, SessionIdentity } from "../audit/record.ts";
import type { AuditLog } from "../audit/audit_log.ts";
import { sha256Json } from "../audit/session_digests.ts";
import { DecisionSpool } from "../audit/decision_spool.ts";
import { loadDeviceKeys } from "../audit/device_keys.ts";
import { SpoolMac } from "../audit/spool_mac.ts";
import type { Enforcer } from "../enforcer/enforcer.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_message.ts";
import type { Approver, RelayEvents } from "./relay_session.ts";
import { type CancelTimer, unrefTimer } from "../platform/unref_timer.ts";
import { ClaimedElsewhere, END_WAIT_MS } from "./claimed_elsewhere.ts";
import {
  alreadyLogged,
  claimOrphanSpools,
  orphansWaiting,
  putBack,
  readClaimedSpools,
  recoveredFiles,
  type SpoolClaim,
  type SpoolIntake,
  SWEEP_MS,
} from "./take_orphan_spools.ts";
import { digestRefused, setAside } from "./refuse_spool_files.ts";
import { type LossCause, LostRecords } from "./lost_gating_records.ts";
import { LogBatches } from "./log_batches.ts";
import { LetGoSpools } from "./let_go_spools.ts";
import { SpoolGroupSync, UNSYNCED_REASON } from "./spool_group_sync.ts";
import { DecisionRecords, type GatingWriter } from "./decision_records.ts";
import { ApprovalRecords, ASKING_GRACE_MS } from "./approval_records.ts";
import { SessionEventRecords } from "./session_event_records.ts";
import type { Queued } from "./held_spool_files.ts";
import { isStartOf, sessionEndAt, spooledOr, spoolEndIn } from "./spooled_start_end.ts";
import { droppedAtEndNote } from "./dropped_records.ts";
import { UnwritableNotice, unwrittenAtEnd } from "./unwritable_audit_notes.ts";
import type { AuditLogReopen } from "./audit_log_reopen.ts";
import { type Digests, KeyDigests } from "../audit/key_digests.ts";
import { recordedRequestIds } from "../audit/recorded_request_ids.ts";
import { knownIdentity } from "./known_session_identity.ts";
import { settledWithin } from "../platform/settled_within.ts";

// The age past which a spool file is a dead session's, as the doctor and the tests know it.
export { ORPHAN_AFTER_MS } from "./take_orphan_spools.ts";
// Named here as they were before the session's hand-offs had modules of their own.
export { INGEST_MS, RETRY_MS } from "./log_batches.ts";
export { APPROVAL_REASON_MAX, UNANSWERED_AT_END } from "./approval_records.ts";
export { UNSYNCED_REASON } from "./spool_group_sync.ts";

/** Options of a {@linkcode SessionAudit}. */
export interface SessionAuditOptions {
  /** The open log, or undefined when it could not be opened (`openError` says why). */
  log: AuditLog | undefined;
  openError?: string | undefined;
  /**
   * The remedies of the error `openError` comes from (an `AppError`'s
   * hints, such as a held lock's), printed instead of the generic hint.
   */
  openHints?: readonly string[] | undefined;
  /**
   * With no `log`: the tries to open it again (its start failed for a cause
   * that passes, see `audit_log_reopen.ts`). The session then spools and
   * refuses as when the log fails in its middle, until a try opens it.
   */
  reopen?: AuditLogReopen | undefined;
  /** The profile the spool lives in. */
  thothHome: string;
  session: string;
  server: string;
  mode: string;
  policyHash: string;
  intent: string | null;
  /** Argument fields the policy names safe to log in clear (never applied to results). */
  safeFields: readonly string[];
  /**
   * `thoth audit` as a person runs it for this profile, for the line each
   * blocked call gets on stderr (see `block_note.ts`); `thoth audit` if unset.
   */
  auditCommand?: string;
  /** `always`: each gating record is fsynced before its call is released. */
  sync?: "default" | "always";
  note: (message: string) => void;
  /** The wall clock in milliseconds (for the age of orphaned spools). */
  now?: () => number;
  /** How often a running session looks for other sessions' orphaned spool files ({@linkcode SWEEP_MS}). */
  sweepMs?: number;
  /**
   * How long the session's end waits for a sweep still reading the log back,
   * and for another session that holds records of its spool
   * ({@linkcode END_WAIT_MS}).
   */
  endWaitMs?: number;
}

/** What a session whose log did not open yet does when it has no spool after all. */
const GIVE_UP = "thoth stops trying to open the audit log for this session";

/** Why a session without the device's audit key puts back the spool files it claimed. */
const NO_KEY_FOR_ORPHANS =
  "without the device's audit key, which checks their lines, this session cannot take in";

/** The options the records take their digests from: the log's, or the device key's until it opens. */
type KeyedOptions = Omit<SessionAuditOptions, "log"> & { log: Digests | undefined };

/** Records one session and enforces "no evidence, no call". */
export class SessionAudit {
  readonly #o: SessionAuditOptions;
  /**
   * `#o`, or, with a log still to open (see `LogBatches.awaitLog`), a copy
   * whose `log` is the device key's digests until it opens.
   */
  readonly #keyed: KeyedOptions;
  /** Says once why the evidence cannot be written (see `unwritable_audit_notes.ts`). */
  readonly #notice: UnwritableNotice;
  /** The records waiting for the log, and their batches (see `log_batches.ts`). */
  readonly #batches: LogBatches;
  /** The spool's group commit under `--audit-sync always` (see `spool_group_sync.ts`). */
  readonly #sync: SpoolGroupSync;
  /** The decision hand-off (see `decision_records.ts`). */
  readonly #decisions: DecisionRecords;
  /** The approval hand-off (see `approval_records.ts`). */
  readonly #approvals: ApprovalRecords;
  /** The records that follow calls (see `session_event_records.ts`). */
  readonly #records: SessionEventRecords;
  /** The gating records neither the spool nor the log took (see `lost_gating_records.ts`). */
  readonly #lostRecords: LostRecords;
  #spool: DecisionSpool | undefined;
  /** The device's spool MAC key, loaded by `start` (the spool writes nothing before). */
  #mac: SpoolMac | undefined;
  /**
   * Files of this session that another session claimed while this one was
   * stopped and still holds (see `ClaimedElsewhere`).
   */
  readonly #elsewhere: ClaimedElsewhere;
  /** The sweep in progress, which the session's end waits for (see `sweep`). */
  #sweeping: Promise<number> | undefined;
  /** The session's end has begun: no sweep starts any more. */
  #closing = false;
  /** The session's end no longer waits for a sweep: what one claims after is put back. */
  #sweepCut = false;
  /** The periodic look for other sessions' orphaned spool files (see `sweep`). */
  #cancelSweep: CancelTimer | undefined;
  /** A spool write failed, and none has succeeded since (its recovery is said once). */
  #spoolFault = false;
  /** Why there is no spool (no log, or the spool could not be opened), for the records lost for it. */
  #noSpool: LossCause | undefined;
  /** The session's start, let go past the held bound: queued again once the log takes batches. */
  #startAgain: Queued | undefined;

  constructor(options: SessionAuditOptions) {
    this.#o = options;
    const reopen = options.log === undefined ? options.reopen : undefined;
    this.#keyed = reopen === undefined ? options : { ...options };
    this.#notice = new UnwritableNotice(options);
    this.#elsewhere = new ClaimedElsewhere({
      thothHome: options.thothHome,
      session: options.session,
      now: () => (this.#o.now ?? Date.now)(),
      note: (line) => this.#o.note(line),
      mac: () => this.#mac,
    });
    this.#sync = new SpoolGroupSync(() => this.#spool, this.#notice);
    this.#batches = new LogBatches(
      options,
      () => this.#spool,
      this.#sync,
      this.#notice,
      this.#elsewhere,
      new LetGoSpools({
        thothHome: options.thothHome,
        session: options.session,
        now: () => (this.#o.now ?? Date.now)(),
        note: (line) => this.#o.note(line),
        mac: () => this.#mac,
      }),
      // Tool snapshots let go past the held bound are recorded again (see `tools_snapshots.ts`).
      {
        dropped: (events) => {
          this.#startAgain ??= events.find((event) => isStartOf(event, this.#o.session));
          this.#records.dropped(events);
        },
        writable: () => {
          // The start stays in its spool file too: a session that takes that in skips it.
          if (this.#startAgain !== undefined) this.#batches.later(this.#startAgain);
          this.#startAgain = undefined;
          this.#records.writable();
        },
      },
    );
    this.#lostRecords = new LostRecords(options, (event) => this.#batches.later(event));
    const writer: GatingWriter = {
      broken: () => this.#batches.broken,
      write: (event) => this.#spoolWrite(event),
      synced: () => this.#sync.synced(),
      unsynced: (decisionId, requestId, reason) => this.#unsynced(decisionId, requestId, reason),
    };
    this.#records = new SessionEventRecords(
      this.#keyed,
      (event) => this.#later(event),
      () => this.recording,
    );
    this.#decisions = new DecisionRecords(this.#keyed, writer, this.#records.chosen);
    this.#approvals = new ApprovalRecords(options, writer);
    let spool: DecisionSpool | undefined;
    if (options.log !== undefined || reopen !== undefined) this.#lostRecords.reserveTally();
    try {
      if (options.log !== undefined || reopen !== undefined) {
        spool = DecisionSpool.open(options.thothHome, options.session, options.now ?? Date.now);
      }
    } catch (error) {
      if (options.log !== undefined) {
        this.#noSpool = { fault: "spool", text: `cannot open the audit spool: ${message(error)}` };
        this.#notice.say(this.#noSpool.text);
      }
    }
    this.#spool = spool;
    if (spool !== undefined && reopen !== undefined) {
      // Run as when the log fails in the session's middle, until a try opens it.
      const why = options.openError ?? "the audit log is not open";
      this.#batches.awaitLog(reopen, this.#keyed, why, options.openHints);
    } else if (options.log === undefined) {
      reopen?.stop();
      this.#noSpool = { fault: "log", text: options.openError ?? "the audit log is not open" };
      this.#notice.say(this.#noSpool.text, options.openHints);
    }
  }

  /** Whether decisions are being recorded. */
  get recording(): boolean {
    return this.#spool !== undefined && !this.#batches.broken;
  }

  /**
   * The session's first record, after taking in what killed sessions left in
   * their spools (each file claimed by renaming it, so that only one session
   * takes it; a file a killed session had claimed is claimed again). A record
   * the log already holds (its batch was written before the kill, the file not
   * yet removed), or one taken in from another file already, is skipped: each
   * reaches the log once. Temp files a kill left half-written are removed.
   * `identity` (the user, the OS account, tenant, endpoint and environment) is carried by the
   * record, each field only when known: a session without them writes the
   * record as earlier releases did.
   */
  async start(
    command: string,
    args: readonly string[],
    envKeys: readonly string[],
    identity: SessionIdentity = {},
  ): Promise<void> {
    // Claimed at once (each renamed), read once the key that checks their lines is loaded;
    // with the log not open yet, the sweeps take them in once it is.
    const claims = this.#spool === undefined || this.#batches.log === undefined
      ? []
      : claimOrphanSpools(this.#intake());
    if (this.#spool !== undefined && this.#mac === undefined) await this.#loadMac();
    if (this.#spool !== undefined) await this.#takeOrphans(claims);
    else if (claims.length > 0) {
      putBack(claims, (line) => this.#o.note(line), NO_KEY_FOR_ORPHANS);
    }
    // Spooled first, as decisions are (see `spooled_start_end.ts`), before any decision.
    const keyed = this.#mac === undefined ? undefined : this.#spool;
    const start = spooledOr(keyed, {
      type: "session_start",
      session: this.#o.session,
      server: this.#o.server,
      commandDigest: await sha256Json([command, ...args]),
      envKeys: [...envKeys].sort(),
      mode: this.#o.mode,
      ...knownIdentity(identity),
    });
    if (typeof start === "string") this.#batches.spooled(start);
    else this.#batches.queue.push(start);
    await this.flush();
    // What dead sessions' lost tallies count, into the log (see `take_in_lost_tallies.ts`).
    const log = this.#batches.log;
    if (log !== undefined && !this.#batches.broken) await this.#lostRecords.takeInTallies(log);
    if (this.#spool !== undefined && !this.#batches.ended) {
      this.#cancelSweep = unrefTimer(
        () => {
          void this.sweep();
        },
        this.#o.sweepMs ?? SWEEP_MS,
        { repeat: true },
      );
    }
  }

  /**
   * Takes in the spool files other sessions left (at least
   * {@linkcode ORPHAN_AFTER_MS} old), as `start` does: run every
   * {@linkcode SWEEP_MS} while the session runs, so that files of a session
   * killed just before this one started are not left waiting until the next
   * start. Only while the session is idle (nothing waiting for the log, the
   * log not failing): it never runs on a call's path; a busy tick is skipped
   * and the next one tries again. Returns how many files it took in.
   *
   * The session's end waits for a sweep in progress ({@linkcode END_WAIT_MS}
   * at most); one that reads the log back longer than that puts the files
   * it claimed back, for the next session, and says so.
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
    if (
      this.#spool === undefined || this.#batches.ended || this.#closing || this.#batches.broken ||
      this.#mac === undefined ||
      this.#batches.queue.length > 0 || this.#batches.files.length > 0 ||
      this.#elsewhere.length > 0 ||
      this.#batches.armed || this.#spool.pending > 0
    ) {
      return 0;
    }
    // Cheap when there is nothing to take: one read of the spool folder.
    if (!orphansWaiting(this.#intake())) return 0;
    const taken = await this.#takeOrphans();
    if (taken > 0 && !this.#batches.ended) await this.flush();
    return taken;
  }

  /**
   * Claims the spool files killed sessions left (each renamed, so that only
   * one session takes it; a file a killed session had claimed is claimed
   * again), or takes `claims` made already, and queues their records, less
   * those the log holds already and those taken from another file already.
   * A file with a line its session did not write is set aside instead, with
   * a record that says so. Returns how many files it took.
   */
  async #takeOrphans(claims?: SpoolClaim[]): Promise<number> {
    const intake = this.#intake();
    const claimed = readClaimedSpools(claims ?? claimOrphanSpools(intake), this.#mac!);
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
    this.#batches.queue.push(...setAside(intake, refused, digests));
    for (const file of recoveredFiles(this.#o.session, taken, seen)) {
      this.#batches.queue.push(...file.items!);
      // Removed once its records are in the log (see `LogBatches`).
      this.#batches.files.push(file);
    }
    return claimed.length;
  }

  /**
   * Loads the key that signs the spool's lines (see {@linkcode SessionAudit.start}, which
   * loads it when this was not called): a decision made before it is loaded cannot be
   * spooled, and is refused. Call it before the enforcer decides anything.
   */
  async loadKey(): Promise<void> {
    if (this.#spool !== undefined && this.#mac === undefined) await this.#loadMac();
  }

  /**
   * Loads the device's audit key and derives the spool's MAC key from it
   * (see `spool_mac.ts`); when it cannot, the session has no spool (its
   * calls are refused, but in observe mode) and takes no other session's in.
   */
  async #loadMac(): Promise<void> {
    try {
      const keys = await loadDeviceKeys(this.#o.thothHome, new Date((this.#o.now ?? Date.now)()));
      const mac = new SpoolMac(keys.hmacRaw);
      this.#spool?.useMac(mac);
      this.#mac = mac;
      this.#lostRecords.tallyKey(keys.hmacRaw);
      // A log still to open: its digests, under the same key, meanwhile.
      if (this.#keyed !== this.#o) this.#keyed.log ??= new KeyDigests(keys.hmacRaw);
    } catch (error) {
      this.#noSpool = {
        fault: "spool",
        text: `cannot open the audit spool: cannot load the device's audit key that signs its ` +
          `records: ${message(error)}`,
      };
      this.#notice.say(this.#noSpool.text);
      this.#spool?.close();
      this.#spool = undefined;
      // Nothing can wait in the spool for a log opened later: no more tries.
      if (this.#batches.stopAwaiting()) this.#o.note(`error: ${this.#noSpool.text}; ${GIVE_UP}`);
    }
  }

  /** What taking in other sessions' spool files needs of this session. */
  #intake(): SpoolIntake {
    return {
      thothHome: this.#o.thothHome,
      session: this.#o.session,
      log: this.#batches.log,
      now: () => (this.#o.now ?? Date.now)(),
      note: (line) => this.#o.note(line),
    };
  }

  /** Moves every waiting record into the log; false when it could not. */
  flush(): Promise<boolean> {
    return this.#batches.flush();
  }

  /** The session's last record, then the final checkpoint. */
  async end(exitCode: number | null, signal: string | null): Promise<void> {
    this.#closing = true;
    const wait = this.#o.endWaitMs ?? END_WAIT_MS;
    await Promise.all(this.#records.digesting);
    // A call still waiting for a person when the session ends was withdrawn (its
    // signal aborted): its channel answers within a grace period, and that answer
    // is recorded before the session's end. A channel that never answers is not waited for.
    if (this.#approvals.asking.size > 0) {
      await settledWithin([...this.#approvals.asking], ASKING_GRACE_MS);
    }
    // A question put with input_required that no retry answered is closed (see
    // `ApprovalRecords.closeUnanswered`).
    this.#approvals.closeUnanswered();
    // A sweep still reading the log back queues the records of the files it claimed after:
    // waited for, for a while (past it, it puts them back).
    if (this.#sweeping !== undefined) await settledWithin([this.#sweeping], wait);
    this.#sweepCut = true;
    await this.#batches.lastTry();
    // What the session let go while its log refused it, and did not take back in yet: before its end.
    await this.#batches.takeBackAtEnd();
    this.#lostRecords.tell();
    this.#batches.queue.push({ type: "session_end", session: this.#o.session, exitCode, signal });
    let written = await this.flush();
    if (this.#elsewhere.length > 0) {
      await this.#elsewhere.awaitHolders(wait, () => this.flush(), this.#spool);
      written = await this.flush();
    }
    if (!written && this.#batches.queue.length > 0) {
      const queue = this.#batches.queue;
      const keyed = this.#mac === undefined ? undefined : this.#spool;
      // The end kept in the spool counts what else of the session the log lacks.
      const end = queue[sessionEndAt(queue, this.#o.session)];
      const dropped = keyed === undefined || end === undefined
        ? undefined
        : this.#batches.droppedAtEnd(end);
      const kept = spoolEndIn(queue, this.#o.session, keyed, dropped);
      this.#o.note(unwrittenAtEnd(queue));
      if (kept && dropped !== undefined) this.#o.note(droppedAtEndNote(dropped));
      this.#batches.letGo();
    }
    this.#lostRecords.noteAtEnd();
    this.#lostRecords.endTally(written);
    this.#batches.stop();
    this.#cancelSweep?.();
    this.#cancelSweep = undefined;
    this.#spool?.close();
    try {
      await this.#batches.log?.close();
    } catch (error) {
      this.#notice.say(message(error));
    }
  }

  /** Wraps an enforcer: its verdict is released only once its record is in the spool. */
  wrapEnforcer(inner: Enforcer): Enforcer {
    return this.#decisions.wrap(inner);
  }

  /**
   * Wraps an approval channel: the answer counts only once its record is in
   * the spool (see `ApprovalRecords.wrap`).
   */
  wrapApprover(inner: Approver): Approver {
    return this.#approvals.wrap(inner);
  }

  /** Relay events that become records (after the fact; they never hold traffic). */
  events(): RelayEvents {
    return this.#records.events();
  }

  /**
   * Queues the record that follows a gating record written as letting its
   * call through (a decision `forwarded`, an approval `approved`) when the
   * spool could not be synced after (or, `reason` says, the approval could
   * not be marked taken): the call was refused after all.
   */
  #unsynced(decisionId: string, requestId?: JsonRpcId, reason = UNSYNCED_REASON): void {
    this.#later({
      type: "cancellation",
      session: this.#o.session,
      decisionId,
      ...(requestId === undefined || requestId === null ? {} : { requestId }),
      reason,
    });
  }

  /**
   * Queues a record that gates nothing, with its request ids as the log
   * keeps them (see `recorded_request_ids.ts`: the one place they are read).
   */
  #later(event: Queued): void {
    this.#batches.later(typeof event === "string" ? event : this.#recordedIds(event));
  }

  /** `event` with each string request id the detectors flag as its digest under the log's key. */
  #recordedIds<T extends AuditEvent>(event: T): T {
    return recordedRequestIds(event, this.#idDigest);
  }

  /** A flagged id's digest under the log's key as it is then; made once, not per record. */
  readonly #idDigest = (piece: string): string => this.#keyed.log?.redactSync(piece).digest ?? "";

  /**
   * Puts a gating record in the OS now (and in the queue for the log);
   * false, after one stderr line, when it cannot or the log is failing.
   */
  #spoolWrite(recorded: AuditEvent): boolean {
    // A decision on a tool a model chose names the server's sampling request id.
    const event = this.#recordedIds(recorded);
    if (this.#spool === undefined) {
      this.#lostRecords.lose(
        event,
        this.#noSpool ?? { fault: "spool", text: "the audit spool is not open" },
      );
      return false;
    }
    let body: string;
    try {
      body = this.#spool.write(event);
    } catch (error) {
      const cause = `cannot write the audit spool: ${message(error)}`;
      this.#spoolFault = true;
      this.#notice.say(cause);
      this.#lostRecords.lose(event, { fault: "spool", text: cause });
      return false;
    }
    if (this.#spoolFault) {
      this.#spoolFault = false;
      // A later failure is said again (unless the log itself is failing, which says its own).
      if (!this.#batches.broken) this.#notice.reset();
      this.#o.note(
        "the audit spool is writable again; decisions and approvals are recorded again" +
          (this.#batches.broken ? "" : " and governed calls proceed"),
      );
      // The log is told which ones it lacks, before this one.
      this.#lostRecords.tell();
    }
    this.#batches.spooled(body);
    return !this.#batches.broken;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
