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
import { sha256Json } from "../audit/session_digests.ts";
import { DecisionSpool } from "../audit/decision_spool.ts";
import { loadDeviceKeys } from "../audit/device_keys.ts";
import { SpoolMac } from "../audit/spool_mac.ts";
import type { Enforcer } from "../enforcer/enforcer.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { Approver, RelayEvents } from "./relay_session.ts";
import { ClaimedElsewhere, END_WAIT_MS } from "./claimed_elsewhere.ts";
import { SWEEP_MS } from "./take_orphan_spools.ts";
import { OrphanSweeps } from "./orphan_sweeps.ts";
import { GatingSpoolWrites } from "./gating_spool_writes.ts";
import { type LossCause, LostRecords } from "./lost_gating_records.ts";
import { LogBatches } from "./log_batches.ts";
import { LetGoSpools } from "./let_go_spools.ts";
import { SpoolGroupSync, UNSYNCED_REASON } from "./spool_group_sync.ts";
import { DecisionRecords, type GatingWriter } from "./decision_records.ts";
import { ApprovalRecords, ASKING_GRACE_MS } from "./approval_records.ts";
import { SessionEventRecords } from "./session_event_records.ts";
import type { Queued } from "./held_spool_files.ts";
import { isStartOf, spooledOr } from "./spooled_start_end.ts";
import { keepEndInSpool } from "./keep_end_in_spool.ts";
import { UnwritableNotice } from "./unwritable_audit_notes.ts";
import { type Digests, KeyDigests } from "../audit/key_digests.ts";
import { recordedRequestIds } from "../audit/recorded_request_ids.ts";
import { knownIdentity } from "./known_session_identity.ts";
import { settledWithin } from "../platform/settled_within.ts";
import type { SessionAuditOptions } from "./session_audit_options.ts";

// The age past which a spool file is a dead session's, as the doctor and the tests know it.
export { ORPHAN_AFTER_MS } from "./take_orphan_spools.ts";
// Named here as they were before the session's hand-offs had modules of their own.
export { INGEST_MS, RETRY_MS } from "./batch_timer.ts";
export { APPROVAL_REASON_MAX, UNANSWERED_AT_END } from "./approval_records.ts";
export { UNSYNCED_REASON } from "./spool_group_sync.ts";

/** What a session whose log did not open yet does when it has no spool after all. */
const GIVE_UP = "thoth stops trying to open the audit log for this session";

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
  /** Other sessions' spool files, claimed at the start and swept after (see `orphan_sweeps.ts`). */
  readonly #orphans: OrphanSweeps;
  /** Gating records into the spool, and what a failing one loses (see `gating_spool_writes.ts`). */
  readonly #spoolWrites: GatingSpoolWrites;
  /** Why there is no spool (no log, or the spool could not be opened), for the records lost for it. */
  #noSpool: LossCause | undefined;
  /** The session's start, let go past the held bound: queued again once the log takes batches. */
  #startAgain: Queued | undefined;

  constructor(options: SessionAuditOptions) {
    this.#o = options;
    const reopen = options.log === undefined ? options.reopen : undefined;
    this.#keyed = reopen === undefined ? options : { ...options };
    this.#notice = new UnwritableNotice(options);
    // What the hand-offs of spool files need of the session: its profile, clock, stderr, key.
    const spoolFiles = {
      thothHome: options.thothHome,
      session: options.session,
      now: () => (this.#o.now ?? Date.now)(),
      note: (line: string) => this.#o.note(line),
      mac: () => this.#mac,
    };
    this.#elsewhere = new ClaimedElsewhere(spoolFiles);
    this.#sync = new SpoolGroupSync(() => this.#spool, this.#notice);
    this.#batches = new LogBatches(
      options,
      () => this.#spool,
      this.#sync,
      this.#notice,
      this.#elsewhere,
      new LetGoSpools(spoolFiles),
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
    this.#orphans = new OrphanSweeps({
      ...spoolFiles,
      batches: this.#batches,
      spool: () => this.#spool,
      elsewhere: this.#elsewhere,
    });
    this.#lostRecords = new LostRecords(options, (event) => this.#batches.later(event));
    this.#spoolWrites = new GatingSpoolWrites({
      spool: () => this.#spool,
      noSpool: () => this.#noSpool,
      batches: this.#batches,
      lost: this.#lostRecords,
      notice: this.#notice,
      note: (line) => this.#o.note(line),
    });
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
      : this.#orphans.claim();
    if (this.#spool !== undefined && this.#mac === undefined) await this.#loadMac();
    if (this.#spool !== undefined) await this.#orphans.take(claims);
    else if (claims.length > 0) this.#orphans.putBackWithoutKey(claims);
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
      this.#orphans.every(this.#o.sweepMs ?? SWEEP_MS);
    }
  }

  /**
   * Takes in the spool files other sessions left, as `start` does, if the
   * session is idle; how many (see `OrphanSweeps.sweep`: run every `SWEEP_MS`).
   */
  sweep(): Promise<number> {
    return this.#orphans.sweep();
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

  /** Moves every waiting record into the log; false when it could not. */
  flush(): Promise<boolean> {
    return this.#batches.flush();
  }

  /** The session's last record, then the final checkpoint. */
  async end(exitCode: number | null, signal: string | null): Promise<void> {
    this.#orphans.close();
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
    await this.#orphans.cut(wait);
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
      const keyed = this.#mac === undefined ? undefined : this.#spool;
      keepEndInSpool(this.#batches, this.#o.session, keyed, (line) => this.#o.note(line));
    }
    this.#lostRecords.noteAtEnd();
    this.#lostRecords.endTally(written);
    this.#batches.stop();
    this.#orphans.stop();
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

  /** A gating record into the spool (see `gating_spool_writes.ts`), its request ids as the log keeps them. */
  #spoolWrite(recorded: AuditEvent): boolean {
    // A decision on a tool a model chose names the server's sampling request id.
    return this.#spoolWrites.write(this.#recordedIds(recorded));
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
