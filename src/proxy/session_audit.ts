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
import { appendedBeforeFailure, type AuditLog } from "../audit/audit_log.ts";
import type {
  ApprovalEvent,
  AuditEvent,
  DecisionEvent,
  OutcomeEvent,
  RedactedValue,
  SessionIdentity,
} from "../audit/record.ts";
import { sha256Json } from "../audit/session_digests.ts";
import { DecisionSpool, stillAt } from "../audit/decision_spool.ts";
import { loadDeviceKeys } from "../audit/device_keys.ts";
import { SpoolMac } from "../audit/spool_mac.ts";
import type { GrantFacts, TakenFacts } from "../approval/create_approver.ts";
import { UNTAKEN_REASON } from "../approval/approval_channel.ts";
import {
  type DecisionIdSource,
  type Enforcer,
  enforcerFailedNote,
  enforcerFailedVerdict,
} from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_message.ts";
import { AUDIT_UNWRITABLE_RULE, UNWRITABLE_REFUSAL } from "../protocol/responses.ts";
import type {
  ApprovalOutcome,
  ApprovalRequest,
  Approver,
  RawResponse,
  RelayEvents,
  StatelessApprovalStep,
} from "./relay_session.ts";
import { type CancelTimer, unrefTimer } from "../platform/unref_timer.ts";
import { displayText } from "../approval/display_text.ts";
import type { AnswerFacts } from "../approval/stateless_step.ts";
import { ClaimedElsewhere, END_WAIT_MS, RECLAIM_TRIES } from "./claimed_elsewhere.ts";
import { displayNames } from "./display_names.ts";
import { blockNote, blockNoteWanted } from "./block_note.ts";
import { UNRECORDED_REQUEST_REASON } from "./unrecorded_request_texts.ts";
import {
  gatingBody,
  HELD_MAX,
  type HeldFile,
  keepFresh,
  type Queued,
  release,
  removeQuietly,
  respool,
} from "./held_spool_files.ts";
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
import { type ClientRequestFacts, requestRecorder } from "./client_request_records.ts";
import { LostDecisions } from "./lost_decisions.ts";

// The age past which a spool file is a dead session's, as the doctor and the tests know it.
export { ORPHAN_AFTER_MS } from "./take_orphan_spools.ts";

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

/** How often spooled and trailing records move into the chained log. */
export const INGEST_MS = 10;

/** How soon a batch the log refused is tried again (new records do not wait longer). */
export const RETRY_MS = 250;

/** Extra facts a local verdict carries (see `LocalVerdict`). */
interface VerdictFacts {
  evaluation?: { decision: Verdict["decision"] };
}

/** How long the session's end waits for approvals withdrawn with it to be answered. */
const ASKING_GRACE_MS = 3000;

/** The longest reason an approval record keeps, in characters. */
export const APPROVAL_REASON_MAX = 500;

/** Why a stateless question that was never answered is closed at the session's end. */
export const UNANSWERED_AT_END =
  "the session ended before the client retried the call with an answer to the approval it was asked for";

/** Waits until every promise settles, or `ms` pass. */
async function settledWithin(promises: readonly Promise<unknown>[], ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([Promise.allSettled(promises), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why a session without the device's audit key puts back the spool files it claimed. */
const NO_KEY_FOR_ORPHANS =
  "without the device's audit key, which checks their lines, this session cannot take in";

/** What stands for a value when there is no log to key its digest (nothing is recorded then). */
const UNRECORDED: RedactedValue = { digest: "", shape: { t: "null" } };

/** Records one session and enforces "no evidence, no call". */
export class SessionAudit {
  readonly #o: SessionAuditOptions;
  readonly #decisions = new Map<string, string>();
  /** Tools a model chose in a sampling answer, with the server's request id, until decided. */
  readonly #chosen = new WeakMap<ToolCall, JsonRpcId>();
  /** Digests of large responses still being computed. */
  readonly #digesting = new Set<Promise<void>>();
  /** Approvals still being asked: the session's end waits for their records. */
  readonly #asking = new Set<Promise<unknown>>();
  /**
   * Stateless questions (`input_required`) no retry has answered yet, by the
   * decision that asked, with when they were asked: each is closed with a
   * `cancelled` approval record at the session's end.
   */
  readonly #unanswered = new Map<string, number>();
  #spool: DecisionSpool | undefined;
  /** The device's spool MAC key, loaded by `start` (the spool writes nothing before). */
  #mac: SpoolMac | undefined;
  /** Records waiting for the log, with the JSON the spool already made for them. */
  #queue: Queued[] = [];
  /** Files whose records are in the queue: removed once those are in the log. */
  #files: HeldFile[] = [];
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
  /** Whether held records were let go since the log last took a batch (noted once). */
  #dropped = false;
  /** Outcomes of responses in the read being handled (see `#outcomeSoon`). */
  #outcomes: { outcome: Omit<OutcomeEvent, "result" | "response">; result: unknown }[] = [];
  #cancelTimer: CancelTimer | undefined;
  /** The periodic look for other sessions' orphaned spool files (see `sweep`). */
  #cancelSweep: CancelTimer | undefined;
  /** The records written to the spool file now open (the entries of the queue). */
  #spooled: Queued[] = [];
  /** A spool write failed, and none has succeeded since (its recovery is said once). */
  #spoolFault = false;
  #ingesting: Promise<void> = Promise.resolve();
  #broken = false;
  /** The session has ended: nothing is tried again after. */
  #ended = false;
  #warned = false;
  /**
   * The decision ids of gating records that neither the spool nor the log
   * took (each named on stderr when it was lost, and again at the end).
   */
  readonly #lost: string[] = [];
  /**
   * The gating records lost since the log was last told (see
   * `lost_decisions.ts`): a `decisions_lost` record tells it once the spool
   * takes a record again, or at the session's end.
   */
  readonly #lostUntold = new LostDecisions();
  /** Why the first of {@linkcode SessionAudit.#lost} could not be written, and whose fault. */
  #lostCause: LossCause | undefined;
  /** Why there is no spool (no log, or the spool could not be opened), for the records lost for it. */
  #noSpool: LossCause | undefined;
  /** The spool flush that the next `--audit-sync always` waiter joins. */
  #syncing: Promise<boolean> | undefined;
  /** The flush in progress, which a new waiter cannot join (it started before its write). */
  #syncInFlight: Promise<boolean> | undefined;

  constructor(options: SessionAuditOptions) {
    this.#o = options;
    this.#elsewhere = new ClaimedElsewhere({
      thothHome: options.thothHome,
      session: options.session,
      now: () => (this.#o.now ?? Date.now)(),
      note: (line) => this.#o.note(line),
      mac: () => this.#mac,
    });
    let spool: DecisionSpool | undefined;
    if (options.log === undefined) {
      this.#noSpool = { fault: "log", text: options.openError ?? "the audit log is not open" };
      this.#failure(this.#noSpool.text, options.openHints);
    } else {
      try {
        spool = DecisionSpool.open(options.thothHome, options.session, options.now ?? Date.now);
      } catch (error) {
        this.#noSpool = { fault: "spool", text: `cannot open the audit spool: ${message(error)}` };
        this.#failure(this.#noSpool.text);
      }
    }
    this.#spool = spool;
  }

  /** Whether decisions are being recorded. */
  get recording(): boolean {
    return this.#spool !== undefined && !this.#broken;
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
    // Claimed at once (each renamed), read once the key that checks their lines is loaded.
    const claims = this.#spool === undefined ? [] : claimOrphanSpools(this.#intake());
    if (this.#spool !== undefined && this.#mac === undefined) await this.#loadMac();
    if (this.#spool !== undefined) await this.#takeOrphans(claims);
    else if (claims.length > 0) {
      putBack(claims, (line) => this.#o.note(line), NO_KEY_FOR_ORPHANS);
    }
    this.#queue.push({
      type: "session_start",
      session: this.#o.session,
      server: this.#o.server,
      commandDigest: await sha256Json([command, ...args]),
      envKeys: [...envKeys].sort(),
      mode: this.#o.mode,
      ...knownIdentity(identity),
    });
    await this.flush();
    if (this.#spool !== undefined && !this.#ended) {
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
      this.#spool === undefined || this.#ended || this.#closing || this.#broken ||
      this.#mac === undefined ||
      this.#queue.length > 0 || this.#files.length > 0 || this.#elsewhere.length > 0 ||
      this.#cancelTimer !== undefined || this.#spool.pending > 0
    ) {
      return 0;
    }
    // Cheap when there is nothing to take: one read of the spool folder.
    if (!orphansWaiting(this.#intake())) return 0;
    const taken = await this.#takeOrphans();
    if (taken > 0 && !this.#ended) await this.flush();
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
    this.#queue.push(...setAside(intake, refused, digests));
    for (const file of recoveredFiles(this.#o.session, taken, seen)) {
      this.#queue.push(...file.items!);
      // Removed once its records are in the log (see #ingest).
      this.#files.push(file);
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
    } catch (error) {
      this.#noSpool = {
        fault: "spool",
        text: `cannot open the audit spool: cannot load the device's audit key that signs its ` +
          `records: ${message(error)}`,
      };
      this.#failure(this.#noSpool.text);
      this.#spool?.close();
      this.#spool = undefined;
    }
  }

  /** What taking in other sessions' spool files needs of this session. */
  #intake(): SpoolIntake {
    return {
      thothHome: this.#o.thothHome,
      session: this.#o.session,
      log: this.#o.log,
      now: () => (this.#o.now ?? Date.now)(),
      note: (line) => this.#o.note(line),
    };
  }

  /** Moves every waiting record into the log; false when it could not. */
  async flush(): Promise<boolean> {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const run = this.#ingesting.then(() => this.#ingest());
    this.#ingesting = run.then(() => {}, () => {});
    return await run;
  }

  /** The session's last record, then the final checkpoint. */
  async end(exitCode: number | null, signal: string | null): Promise<void> {
    this.#closing = true;
    const wait = this.#o.endWaitMs ?? END_WAIT_MS;
    await Promise.all(this.#digesting);
    // A call still waiting for a person when the session ends was withdrawn (its
    // signal aborted): its channel answers within a grace period, and that answer
    // is recorded before the session's end. A channel that never answers is not waited for.
    if (this.#asking.size > 0) {
      await settledWithin([...this.#asking], ASKING_GRACE_MS);
    }
    // A question put with input_required that no retry answered is closed, as a form
    // or a queue entry still open at the end is: its call never ran.
    const now = (this.#o.now ?? Date.now)();
    for (const [decisionId, askedAt] of this.#unanswered) {
      this.#spoolWrite({
        type: "approval",
        session: this.#o.session,
        decisionId,
        channel: "elicitation",
        outcome: "cancelled",
        latencyMs: Math.max(0, Math.round(now - askedAt)),
        reason: UNANSWERED_AT_END,
      });
    }
    this.#unanswered.clear();
    // A sweep still reading the log back queues the records of the files it claimed after:
    // waited for, for a while (past it, it puts them back).
    if (this.#sweeping !== undefined) await settledWithin([this.#sweeping], wait);
    this.#sweepCut = true;
    this.#tellLost();
    this.#queue.push({ type: "session_end", session: this.#o.session, exitCode, signal });
    let written = await this.flush();
    if (this.#elsewhere.length > 0) {
      await this.#elsewhere.awaitHolders(wait, () => this.flush(), this.#spool);
      written = await this.flush();
    }
    if (!written && this.#queue.length > 0) {
      this.#o.note(unwrittenAtEnd(this.#queue));
      this.#letGo();
    }
    if (this.#lost.length > 0) {
      this.#o.note(lostAtEnd(this.#lost, this.#lostCause, DecisionSpool.dir(this.#o.thothHome)));
    }
    this.#ended = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#cancelSweep?.();
    this.#cancelSweep = undefined;
    this.#spool?.close();
    try {
      await this.#o.log?.close();
    } catch (error) {
      this.#failure(message(error));
    }
  }

  /** Wraps an enforcer: its verdict is released only once its record is in the spool. */
  wrapEnforcer(inner: Enforcer): Enforcer {
    return {
      name: inner.name ?? "enforcer",
      decide: (call: ToolCall, newDecisionId: DecisionIdSource): Verdict | Promise<Verdict> => {
        const failed = (error: unknown) => this.#failedDecision(call, newDecisionId, error);
        let verdict: Verdict | Promise<Verdict>;
        try {
          verdict = inner.decide(call, newDecisionId);
        } catch (error) {
          return failed(error);
        }
        return verdict instanceof Promise
          ? verdict.then((v) => this.#gate(call, v), failed).catch(failed)
          : this.#gate(call, verdict, failed);
      },
    };
  }

  #gate(
    call: ToolCall,
    verdict: Verdict,
    failed?: (error: unknown) => Verdict | Promise<Verdict>,
  ): Verdict | Promise<Verdict> {
    let args: RedactedValue | Promise<RedactedValue>;
    try {
      // A long integer's digits count in the digest (see `exact_integers.ts`).
      args = this.#redactArguments(call.exactArguments ?? call.arguments ?? {});
    } catch (error) {
      if (failed === undefined) throw error;
      return failed(error);
    }
    // Large arguments are digested natively, off the synchronous path; the
    // call waits for its record either way (a rejection blocks it: fail closed).
    return args instanceof Promise
      ? args.then((redacted) => this.#record(call, verdict, redacted), failed)
      : this.#record(call, verdict, args);
  }

  /**
   * The enforcer (or the digest of the arguments) threw: the call is blocked,
   * and that block is evidence like any other, so it is recorded too.
   */
  #failedDecision(
    call: ToolCall,
    newDecisionId: DecisionIdSource,
    error: unknown,
  ): Verdict | Promise<Verdict> {
    this.#o.note(enforcerFailedNote(error));
    return this.#record(call, enforcerFailedVerdict(newDecisionId()), UNRECORDED);
  }

  /** Writes a decision's record to the spool, then releases the verdict (or refuses the call). */
  #record(call: ToolCall, verdict: Verdict, args: RedactedValue): Verdict | Promise<Verdict> {
    const facts = verdict as Verdict & VerdictFacts;
    // Observe mode forwards what the policy would refuse, but not a call thoth itself blocks
    // whatever the mode (its own files, a failed enforcer): that one is "blocked".
    const effect: DecisionEvent["effect"] =
      this.#o.mode === "observe" && verdict.decision !== "block"
        ? "observed"
        : verdict.decision === "allow"
        ? "forwarded"
        : verdict.decision === "block"
        ? "blocked"
        : "approval_requested";
    const samplingRequestId = this.#chosen.get(call);
    const refused: Verdict = {
      decision: "block",
      decisionId: verdict.decisionId,
      ruleIds: [AUDIT_UNWRITABLE_RULE],
      reasons: ["the audit log cannot be written, and thoth does not act without evidence"],
    };
    // A call refused because the log is failing is recorded as refused (what the
    // client got), with what the policy said kept among the reasons.
    const refusing = this.#broken && this.#o.mode !== "observe";
    const written = this.#spoolWrite({
      type: "decision",
      session: this.#o.session,
      server: call.server,
      tool: call.tool,
      decisionId: verdict.decisionId,
      verdict: facts.evaluation?.decision ?? verdict.decision,
      ruleIds: refusing ? refused.ruleIds : verdict.ruleIds,
      reasons: refusing ? [...refused.reasons, ...policyWords(verdict)] : verdict.reasons,
      mode: this.#o.mode,
      policyHash: this.#o.policyHash,
      intent: this.#o.intent,
      effect: refusing ? "blocked" : effect,
      ...(samplingRequestId === undefined ? {} : { samplingRequestId }),
      args,
    });
    if (verdict.decision === "block" && blockNoteWanted(verdict.ruleIds)) {
      // The model hears a short refusal (see `responses.ts`); the person at the
      // machine hears one line per block, whole, with how to look it up.
      this.#o.note(blockNote(call, verdict, {
        auditCommand: this.#o.auditCommand ?? "thoth audit",
        recorded: written,
        chosenInSampling: samplingRequestId !== undefined,
      }));
    }
    if (!written) return this.#o.mode === "observe" ? verdict : refused;
    if (this.#o.sync !== "always") return verdict;
    return this.#synced().then((ok) => {
      if (ok || this.#o.mode === "observe") return verdict;
      // Its record (forwarded, say) is written: what follows says the call was refused.
      if (!refusing && effect !== "blocked") this.#unsynced(verdict.decisionId);
      return refused;
    });
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
   * Resolves once everything spooled so far is on the disk. Calls in flight
   * together share one fdatasync (group commit): a waiter joins the next
   * flush, which starts when the one in progress (begun before its write)
   * has finished.
   */
  #synced(): Promise<boolean> {
    if (this.#syncing !== undefined) return this.#syncing;
    const previous = this.#syncInFlight ?? Promise.resolve(true);
    const next: Promise<boolean> = previous.then(async () => {
      this.#syncing = undefined;
      this.#syncInFlight = next;
      try {
        await this.#spool?.sync();
        return true;
      } catch (error) {
        this.#failure(`cannot sync the audit spool: ${message(error)}`);
        return false;
      } finally {
        if (this.#syncInFlight === next) this.#syncInFlight = undefined;
      }
    });
    this.#syncing = next;
    return next;
  }

  /**
   * Wraps an approval channel: the answer counts only once its record is in
   * the spool. A yes that comes while the log cannot be written is refused
   * and recorded as such (outcome `error`, with what the person said), and
   * the session grant it made, if any, is withdrawn: the client was told it
   * did not count, so no later call passes on it.
   */
  wrapApprover(inner: Approver): Approver {
    const refusedOutcome = (outcome: ApprovalOutcome, why: string): ApprovalOutcome => {
      const { revokeGrant, restoreGrant: _kept, ...rest } = outcome as ApprovalOutcome & GrantFacts;
      revokeGrant?.();
      return { ...rest, approved: false, kind: "error", why };
    };
    const record = (
      request: ApprovalRequest,
      outcome: ApprovalOutcome,
    ): { recorded: ApprovalOutcome; written: boolean } => {
      const own = request.verdict.decisionId;
      const asked = outcome.askedDecisionId ?? own;
      this.#unanswered.delete(asked);
      // A yes refused because the log is failing is recorded as refused (what the
      // client got), with what the person said kept in its reason.
      const refusing = outcome.approved && this.#broken && this.#o.mode !== "observe";
      // The person's own answer, only when the outcome carries it: a standing grant
      // or a server's follow-up was answered by no one.
      const facts = outcome as ApprovalOutcome & AnswerFacts;
      const answer = refusing ? facts.answer ?? facts.said : facts.answer;
      const why = refusing ? `${UNWRITABLE_APPROVAL}; ${approvedWords(outcome)}` : outcome.why;
      const reason = typeof why === "string" && why !== ""
        ? displayText(why, APPROVAL_REASON_MAX)
        : undefined;
      const written = this.#spoolWrite({
        type: "approval",
        session: this.#o.session,
        decisionId: asked,
        ...(asked === own ? {} : { retryDecisionId: own }),
        channel: outcome.channel ?? "unknown",
        ...(outcome.approver === undefined ? {} : { approver: outcome.approver }),
        outcome: refusing ? "error" : approvalOutcome(outcome, request.signal.aborted),
        ...(outcome.scope === undefined || !outcome.approved || refusing
          ? {}
          : { scope: outcome.scope }),
        ...(outcome.latencyMs === undefined ? {} : { latencyMs: Math.round(outcome.latencyMs) }),
        ...(reason === undefined ? {} : { reason }),
        ...(answer === undefined ? {} : { answer }),
      });
      if (refusing) return { recorded: refusedOutcome(outcome, UNWRITABLE_APPROVAL), written };
      if (written || !outcome.approved || this.#o.mode === "observe") {
        return { recorded: outcome, written };
      }
      return {
        recorded: refusedOutcome(outcome, "the approval could not be recorded in the audit log"),
        written,
      };
    };
    // An approval its queue could not mark taken is refused (see UNTAKEN_REASON), after its record.
    const untaken = (request: ApprovalRequest, recorded: ApprovalOutcome): ApprovalOutcome => {
      this.#unsynced(request.verdict.decisionId, request.requestId, UNTAKEN_REASON);
      return refusedOutcome(recorded, UNTAKEN_REASON);
    };
    const settle = async (
      request: ApprovalRequest,
      outcome: ApprovalOutcome,
    ): Promise<ApprovalOutcome> => {
      const { recorded, written } = record(request, outcome);
      // A person's answer on file (the queue's) is marked taken, and so may be pruned, only
      // once its record is written: a thoth killed before leaves it on file (see prune_queue.ts).
      const taken = written ? (outcome as ApprovalOutcome & TakenFacts).answerTaken : undefined;
      if (this.#o.sync !== "always") {
        if ((await taken?.()) === false && recorded.approved) return untaken(request, recorded);
        return recorded;
      }
      if (!recorded.approved) {
        if (taken !== undefined && (await this.#synced())) await taken();
        return recorded;
      }
      // The session grant it made admits no call before its record is on the disk.
      const facts = recorded as ApprovalOutcome & GrantFacts;
      facts.revokeGrant?.();
      const synced = await this.#synced();
      if (synced || this.#o.mode === "observe") {
        facts.restoreGrant?.();
        if (synced && (await taken?.()) === false) return untaken(request, recorded);
        return recorded;
      }
      // Its `approved` record is written (it may reach the log): what follows says the call was refused.
      this.#unsynced(request.verdict.decisionId, request.requestId);
      return refusedOutcome(recorded, "the approval could not be recorded in the audit log");
    };
    const wrapped: Approver = (request) =>
      this.#whileAsking((async () => {
        let outcome: ApprovalOutcome;
        try {
          outcome = await inner(request);
        } catch (error) {
          // A failing approver is evidence too: the call is refused and recorded.
          outcome = {
            approved: false,
            kind: "error",
            why: `the approval channel failed (${message(error)})`,
          };
        }
        return await settle(request, outcome);
      })());
    const stateless = inner.stateless;
    if (stateless !== undefined) {
      const statelessStep = async (
        request: ApprovalRequest,
        params: unknown,
      ): Promise<StatelessApprovalStep> => {
        let step: StatelessApprovalStep;
        try {
          step = await stateless(request, params);
        } catch (error) {
          step = {
            kind: "decided",
            outcome: {
              approved: false,
              kind: "error",
              why: `the approval channel failed (${message(error)})`,
            },
          };
        }
        if (step.kind === "input_required") {
          // Asked: answered by a later retry, or closed at the session's end.
          this.#unanswered.set(request.verdict.decisionId, (this.#o.now ?? Date.now)());
        }
        if (step.kind !== "decided") return step;
        return { ...step, outcome: await settle(request, step.outcome) };
      };
      wrapped.stateless = (request, params) => this.#whileAsking(statelessStep(request, params));
    }
    return wrapped;
  }

  /** `asking`, counted among the approvals the session's end waits for until it settles. */
  #whileAsking<T>(asking: Promise<T>): Promise<T> {
    this.#asking.add(asking);
    const done = () => this.#asking.delete(asking);
    asking.then(done, done);
    return asking;
  }

  /** Relay events that become records (after the fact; they never hold traffic). */
  events(): RelayEvents {
    return {
      decision: (_call, verdict, requestId) => {
        // A blocked call has no outcome to link: its decision record says it all.
        if (verdict.decision !== "block") this.#decisions.set(idKey(requestId), verdict.decisionId);
      },
      answered: (requestId) => {
        this.#decisions.delete(idKey(requestId));
      },
      outcome: (requestId, _tool, isError, durationMs, result, raw) => {
        const decisionId = this.#decisions.get(idKey(requestId));
        this.#decisions.delete(idKey(requestId));
        if (decisionId === undefined) return;
        const outcome = {
          type: "outcome" as const,
          session: this.#o.session,
          decisionId,
          isError,
          durationMs: Math.round(durationMs * 1000) / 1000,
        };
        if (raw !== undefined) {
          this.#digestResponse(outcome, raw);
          return;
        }
        // Digested just after the response has gone to the client (see #outcomeSoon).
        this.#outcomeSoon(outcome, result);
      },
      lateOutcome: (_requestId, decisionId, _tool, isError, durationMs, result) => {
        // The server answered after the client cancelled: the decision still gets its
        // outcome, which follows the decision's cancellation record in the log.
        this.#outcomeSoon({
          type: "outcome",
          session: this.#o.session,
          decisionId,
          isError,
          durationMs: Math.round(durationMs * 1000) / 1000,
          afterCancellation: true,
        }, result);
      },
      cancelled: (requestId: JsonRpcId, _tool, reason?: string) => {
        const decisionId = this.#decisions.get(idKey(requestId));
        this.#decisions.delete(idKey(requestId));
        this.#later({
          type: "cancellation",
          session: this.#o.session,
          requestId,
          ...(decisionId === undefined ? {} : { decisionId }),
          reason: reason ?? "the client cancelled the call",
        });
      },
      lateDecision: (_call, verdict, requestId, reason) => {
        // By its decision id: the request id may name another call by now (not touched).
        this.#later({
          type: "cancellation",
          session: this.#o.session,
          requestId,
          decisionId: verdict.decisionId,
          reason,
        });
      },
      toolUse: (call, samplingRequestId) => {
        this.#chosen.set(call, samplingRequestId);
      },
      toolUseEnded: (call, verdict, samplingRequestId, forwarded) => {
        this.#chosen.delete(call);
        // A blocked one has nothing to follow: its decision record says it all.
        if (verdict.decision === "block") return;
        this.#later({
          type: "cancellation",
          session: this.#o.session,
          requestId: samplingRequestId,
          decisionId: verdict.decisionId,
          reason: forwarded
            ? "chosen in a sampling answer that went to the server, which runs the tool; " +
              "thoth does not see its outcome"
            : "chosen in a sampling answer that thoth refused; the tool did not run",
        });
      },
      initialized: (handshake) => {
        const { client, server } = handshake;
        this.#later({
          type: "handshake",
          session: this.#o.session,
          server: this.#o.server,
          ...(client?.name === undefined ? {} : { clientName: client.name }),
          ...(client?.version === undefined ? {} : { clientVersion: client.version }),
          ...(handshake.requestedVersion === undefined
            ? {}
            : { requestedVersion: handshake.requestedVersion }),
          ...(server?.name === undefined ? {} : { serverName: server.name }),
          ...(server?.version === undefined ? {} : { serverVersion: server.version }),
          ...(handshake.protocolVersion === undefined
            ? {}
            : { protocolVersion: handshake.protocolVersion }),
          ...(handshake.isError ? { isError: true as const } : {}),
        });
      },
      toolsListed: (_tools, definitions) => {
        // The session's end waits for it, as for a large response's digest.
        const snapshot: Promise<void> = this.#snapshotTools(definitions).catch((error) =>
          this.#o.note(`cannot record the tools the server listed: ${message(error)}`)
        ).finally(() => this.#digesting.delete(snapshot));
        this.#digesting.add(snapshot);
      },
      // Resources, prompts and completions the client asked for, and requests refused unread.
      request: this.#requestRecords(),
    };
  }

  /**
   * Records each governed request the relay tells of. One told as forwarded
   * whose record cannot be written (the log is failing, or there is none)
   * is refused instead, as a call is ("no evidence, no call"), but in
   * observe mode: false, and its record (which may be lost too) says refused.
   */
  #requestRecords(): (facts: ClientRequestFacts) => boolean {
    const record = requestRecorder({
      session: this.#o.session,
      server: this.#o.server,
      log: this.#o.log,
      later: (event) => this.#later(event),
      digesting: this.#digesting,
      note: (line) => this.#o.note(line),
    });
    return (facts) => {
      if (!facts.forwarded || this.recording || this.#o.mode === "observe") {
        record(facts);
        return true;
      }
      const refusal = { ruleId: AUDIT_UNWRITABLE_RULE, reason: UNRECORDED_REQUEST_REASON };
      record({ ...facts, forwarded: false, refusal });
      return false;
    };
  }

  /**
   * Records a tools/list answer: one digest per tool definition. A definition
   * that cannot be digested (nested past what canonical JSON writes) is named
   * in `undigested` and noted, and the others are still recorded.
   */
  async #snapshotTools(definitions: readonly unknown[]): Promise<void> {
    const tools: { name: string; digest: string }[] = [];
    const undigested: string[] = [];
    let why: unknown;
    for (const definition of definitions) {
      const name = (definition as { name?: unknown })?.name;
      if (typeof name !== "string") continue;
      try {
        tools.push({ name, digest: await sha256Json(definition) });
      } catch (error) {
        undigested.push(name);
        why ??= error;
      }
    }
    if (undigested.length > 0) {
      this.#o.note(
        `cannot digest ${undigested.length} tool definition(s) for the audit log (${
          displayNames(undigested)
        }): ${message(why)}`,
      );
    }
    this.#later({
      type: "tools_snapshot",
      session: this.#o.session,
      server: this.#o.server,
      tools,
      ...(undigested.length > 0 ? { undigested } : {}),
    });
  }

  /**
   * A response too large to parse gets its digest over the exact bytes,
   * hashed in slices after it was forwarded; its outcome record follows
   * when the digest is ready (the session's end waits for it).
   */
  #digestResponse(outcome: Omit<OutcomeEvent, "response" | "result">, raw: RawResponse): void {
    const log = this.#o.log;
    if (log === undefined) return;
    const digesting: Promise<void> = log.macParts(raw.parts, raw.bytes).then(
      (digest) => this.#later({ ...outcome, response: { digest, bytes: raw.bytes } }),
      (error) => {
        this.#o.note(`cannot digest a large response for the audit log: ${message(error)}`);
        this.#later(outcome);
      },
    ).finally(() => this.#digesting.delete(digesting));
    this.#digesting.add(digesting);
  }

  /**
   * A result as the log keeps it: its digest and shape only. `safeToLog`
   * names argument fields; a result field of the same name (an echo's
   * `content`) is whatever the server sent back, so it is never kept in clear.
   */
  #redactResult(value: unknown): RedactedValue {
    if (this.#o.log === undefined) return UNRECORDED;
    return this.#o.log.redactSync(value);
  }

  #redactArguments(value: unknown): RedactedValue | Promise<RedactedValue> {
    if (this.#o.log === undefined) return UNRECORDED;
    return this.#o.log.redactFast(value, this.#o.safeFields);
  }

  /**
   * Puts a gating record in the OS now (and in the queue for the log);
   * false, after one stderr line, when it cannot or the log is failing.
   */
  #spoolWrite(event: AuditEvent): boolean {
    if (this.#spool === undefined) {
      this.#lose(event, this.#noSpool ?? { fault: "spool", text: "the audit spool is not open" });
      return false;
    }
    let body: string;
    try {
      body = this.#spool.write(event);
    } catch (error) {
      const cause = `cannot write the audit spool: ${message(error)}`;
      this.#spoolFault = true;
      this.#failure(cause);
      this.#lose(event, { fault: "spool", text: cause });
      return false;
    }
    if (this.#spoolFault) {
      this.#spoolFault = false;
      // A later failure is said again (unless the log itself is failing, which says its own).
      if (!this.#broken) this.#warned = false;
      this.#o.note(
        "the audit spool is writable again; decisions and approvals are recorded again" +
          (this.#broken ? "" : " and governed calls proceed"),
      );
      // The log is told which ones it lacks, before this one.
      this.#tellLost();
    }
    this.#queue.push(body);
    this.#spooled.push(body);
    this.#schedule();
    return !this.#broken;
  }

  /**
   * A gating record that neither the log nor the spool took: it is recorded
   * nowhere, so its decision id is named on stderr now (the client's log
   * keeps it, and a killed thoth says no more) and again at the end.
   */
  #lose(event: AuditEvent, cause: LossCause): void {
    const decisionId = (event as { decisionId?: unknown }).decisionId;
    if (typeof decisionId !== "string") return;
    this.#lost.push(decisionId);
    this.#lostUntold.add(decisionId, (this.#o.now ?? Date.now)(), cause.text);
    this.#lostCause ??= cause;
    const call = event.type === "decision"
      ? ` (tool ${displayName(event.tool)} on server ${displayName(event.server)})`
      : "";
    this.#o.note(
      `error: the ${event.type} record of decision ${decisionId}${call} is LOST: ` +
        lossWords(cause, DecisionSpool.dir(this.#o.thothHome), "it"),
    );
  }

  /**
   * Records an outcome with its result's digest once the current read is
   * handled: its response is then already written to the client, and the
   * parsed result, no longer needed, dies young. Held until the batch was
   * written instead, results outlived the young generation's collections,
   * which then copied them: measured, that cost the relay's thread more than
   * the digests themselves.
   */
  #outcomeSoon(outcome: Omit<OutcomeEvent, "result" | "response">, result: unknown): void {
    this.#outcomes.push({ outcome, result });
    if (this.#outcomes.length === 1) queueMicrotask(() => this.#recordOutcomes());
  }

  #recordOutcomes(): void {
    const outcomes = this.#outcomes;
    this.#outcomes = [];
    for (const { outcome, result } of outcomes) {
      let text: string;
      try {
        text = JSON.stringify(
          result === undefined ? outcome : { ...outcome, result: this.#redactResult(result) },
        );
      } catch (error) {
        this.#o.note(`cannot digest a result for the audit log: ${message(error)}`);
        text = JSON.stringify(outcome);
      }
      this.#later(text);
    }
  }

  /** Queues the `decisions_lost` record of the gating records lost since the last one, if any. */
  #tellLost(): void {
    const told = this.#lostUntold.take(this.#o.session);
    if (told !== undefined) this.#later(told);
  }

  /** Queues a record that gates nothing (its event, or its JSON). */
  #later(event: Queued): void {
    if (this.#o.log === undefined) return;
    this.#queue.push(event);
    this.#schedule();
  }

  /** Arms the next batch: in {@linkcode INGEST_MS}, or {@linkcode RETRY_MS} while the log fails. */
  #schedule(): void {
    if (this.#cancelTimer !== undefined || this.#ended) return;
    this.#cancelTimer = unrefTimer(() => {
      this.#cancelTimer = undefined;
      void this.flush();
    }, this.#broken ? RETRY_MS : INGEST_MS);
  }

  /**
   * One batch: the queue into the log, then the spool files that covered it
   * are removed. A batch the log refused is kept, with its files, in front of
   * the queue and tried again, less the records the log took before it
   * failed (the next write takes those in: see `appendedBeforeFailure`).
   * While the log is failing, an empty queue is no proof that it works
   * again: a checkpoint is written to find out.
   */
  async #ingest(): Promise<boolean> {
    const log = this.#o.log;
    // A spool file is closed at rotation: let any flush of it finish first.
    await this.#syncing;
    await this.#syncInFlight;
    const batch = this.#spool?.rotate();
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
    let events = this.#queue;
    let files = this.#files;
    this.#queue = [];
    this.#files = [];
    if (log === undefined) return false;
    if (this.#elsewhere.length > 0) this.#retrySoon();
    if (events.length === 0) {
      // A file whose only write failed (and was cut back): nothing of it is waiting.
      for (const file of files) removeQuietly(file.path);
      if (!this.#broken) return true;
      // The last batch was refused after all of its records were in (its
      // checkpoint, sync or state failed): a write says whether the log works now.
      try {
        await log.checkpoint();
      } catch (error) {
        this.#failure(message(error));
        this.#hold([], [], false);
        return false;
      }
      this.#writable();
      return true;
    }
    try {
      for (let tries = 0;; tries++) {
        // Under the log's lock: the files are still this session's, so no other
        // session took their records in (and none can before these are in the log).
        const checked = files.filter((file) => file.items !== undefined);
        const mine = () => checked.every((file) => stillAt(file.path, file.ino));
        if (await log.appendMany(events, checked.length === 0 ? undefined : mine)) break;
        const left = tries < RECLAIM_TRIES
          ? await this.#elsewhere.retaken(log, events, files)
          : undefined;
        if (left === undefined) {
          // Another session took a file this session meant to claim back just now: tried again soon.
          this.#queue = events.concat(this.#queue);
          this.#files = files.concat(this.#files);
          this.#retrySoon();
          return false;
        }
        ({ events, files } = left);
        if (this.#elsewhere.length > 0) this.#retrySoon();
        if (events.length === 0) break;
      }
    } catch (error) {
      this.#broken = true;
      this.#failure(message(error));
      const taken = appendedBeforeFailure(error);
      this.#hold(events.slice(taken), files, taken > 0);
      return false;
    }
    for (const file of files) removeQuietly(file.path);
    this.#writable();
    return true;
  }

  /** Arms the next try in {@linkcode RETRY_MS}, unless one is armed or the session has ended. */
  #retrySoon(): void {
    if (this.#cancelTimer !== undefined || this.#ended) return;
    this.#cancelTimer = unrefTimer(() => {
      this.#cancelTimer = undefined;
      void this.flush();
    }, RETRY_MS);
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
    this.#queue = free.flatMap((file) => file.items!).concat(this.#queue);
    this.#files = free.concat(this.#files);
  }

  /** The log took a write: calls proceed again (after a failure, with a note). */
  #writable(): void {
    if (!this.#broken) return;
    this.#broken = false;
    this.#warned = false;
    this.#dropped = false;
    this.#o.note("the audit log is writable again; governed calls proceed");
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
    const files = partial || heldFiles.some((file) => file.restore !== undefined)
      ? this.#respool(events, heldFiles)
      : heldFiles;
    if (events.length + this.#queue.length > HELD_MAX) {
      if (!this.#dropped) {
        this.#dropped = true;
        this.#o.note(
          `error: the audit log has refused more than ${HELD_MAX} records; thoth stops holding them: ` +
            "the decisions and approvals among them stay in the spool for the next session to take in, " +
            "the other records are lost (calls stay blocked until the log can be written)",
        );
      }
      release(files);
    } else {
      this.#queue = events.concat(this.#queue);
      this.#files = files.concat(this.#files);
      keepFresh(this.#files);
    }
    if (this.#cancelTimer === undefined && !this.#ended) {
      this.#cancelTimer = unrefTimer(() => {
        this.#cancelTimer = undefined;
        void this.flush();
      }, RETRY_MS);
    }
  }

  /** The files that hold `events` now (see `respool`); `files` when there is no spool. */
  #respool(events: readonly Queued[], files: HeldFile[]): HeldFile[] {
    if (this.#spool === undefined) return files;
    return respool(this.#spool, events, files, (line) => this.#o.note(line));
  }

  /** Stops holding records (at the session's end): see `release`. */
  #letGo(): void {
    this.#queue = [];
    release(this.#files.splice(0));
  }

  /** Says once why records cannot be written, with `hints` (else the generic one). */
  #failure(reason: string, hints: readonly string[] = []): void {
    if (this.#warned) return;
    this.#warned = true;
    const consequence = this.#o.mode === "observe"
      ? "calls are forwarded anyway in observe mode"
      : "tool calls are blocked until it can be written (fail closed), and so are the resource, " +
        "prompt and completion requests thoth records";
    // A reason that names the log already (the log's own error) is not prefixed again; the
    // spool's own error is named as the spool's (the log itself may be fine).
    const what = reason.startsWith("cannot write the audit log")
      ? reason
      : SPOOL_FAULT.test(reason)
      ? `cannot write the audit log's decision and approval records, which reach it only ` +
        `through its spool: ${reason}`
      : `cannot write the audit log: ${reason}`;
    this.#o.note(`error: ${what}; ${consequence}`);
    for (const hint of hints.length > 0 ? hints : [GENERIC_HINT]) this.#o.note(`hint: ${hint}`);
  }
}

/**
 * The recorded outcome: the approver's own `kind` (never guessed from the
 * words for the model); for an approver that gives none, what is certain.
 */
function approvalOutcome(outcome: ApprovalOutcome, aborted: boolean): ApprovalEvent["outcome"] {
  if (outcome.approved) return "approved";
  if (outcome.kind !== undefined && outcome.kind !== "approved") return outcome.kind;
  if (aborted) return "cancelled";
  return outcome.channel === undefined ? "error" : "denied";
}

/** What to do when the evidence cannot be written and the cause gave no remedy of its own. */
const GENERIC_HINT = 'check free space and permissions under THOTH_HOME, then run "thoth doctor"';

/** The reason of an approval refused because the log cannot be written. */
const UNWRITABLE_APPROVAL =
  `${UNWRITABLE_REFUSAL}: the audit log cannot be written, and thoth does not act without evidence`;

/** Why a call whose record was written as letting it through was refused after all. */
export const UNSYNCED_REASON =
  `${UNWRITABLE_REFUSAL}: the audit spool could not be synced to the disk after this ` +
  "call's record was written, so thoth did not forward it";

/** What the person (or a standing grant) said of an approval refused for the log, in words. */
function approvedWords(outcome: ApprovalOutcome): string {
  const who = outcome.approver ?? "the approver";
  const said = outcome.scope === "session"
    ? "allow for this session"
    : outcome.scope === "grant"
    ? "a session grant given earlier"
    : "allow once";
  return `${who} had approved it (${said})` +
    (typeof outcome.why === "string" && outcome.why !== "" ? `: ${outcome.why}` : "");
}

/** What the enforcer decided of a call the failing log refused, for its record's reasons. */
function policyWords(verdict: Verdict): string[] {
  const rules = verdict.ruleIds.length === 0 ? "" : ` (rules: ${verdict.ruleIds.join(", ")})`;
  return [`the enforcer decided: ${verdict.decision}${rules}`, ...verdict.reasons];
}

/** The fields of `identity` that hold a value, in a fixed order. */
function knownIdentity(identity: SessionIdentity): SessionIdentity {
  const known: SessionIdentity = {};
  const { userId, osUser, osUid, tenantId, endpointId, endpointIdSource, environment } = identity;
  if (typeof userId === "string" && userId !== "") known.userId = userId;
  if (typeof osUser === "string" && osUser !== "") known.osUser = osUser;
  if (typeof osUid === "number" && Number.isSafeInteger(osUid) && osUid >= 0) known.osUid = osUid;
  if (typeof tenantId === "string" && tenantId !== "") known.tenantId = tenantId;
  if (typeof endpointId === "string" && endpointId !== "") {
    known.endpointId = endpointId;
    if (typeof endpointIdSource === "string") known.endpointIdSource = endpointIdSource;
  }
  if (typeof environment === "string" && environment !== "") known.environment = environment;
  return known;
}

/** The most lost decision ids the end's note names (each was named when it was lost). */
const LOST_NAMED_MAX = 50;

/**
 * The end's note on records the log did not take: the gating ones among
 * them are in spool files (a later session takes them in), the others are
 * lost. Says only what is true of this queue.
 */
function unwrittenAtEnd(queue: readonly Queued[]): string {
  const spooled = queue.filter((event) => gatingBody(event) !== undefined).length;
  const others = queue.length - spooled;
  const fates = [
    ...(spooled === 0 ? [] : [
      `${spooled} decision or approval record(s) among them stay in the spool for the next ` +
      "session to take in",
    ]),
    ...(others === 0 ? [] : [
      `${spooled === 0 ? "they" : `the other ${others}`} are lost (none of them is a decision ` +
      "or approval: the session's start and end, outcomes, cancellations, tool lists)",
    ]),
  ];
  return `error: ${queue.length} audit record(s) could not be written to the audit log before ` +
    `the session ended: ${fates.join("; ")}`;
}

/** Why gating records were lost: the words of the error, and whether the log or the spool failed. */
interface LossCause {
  /** `log`: there is no audit log (and so no spool); `spool`: the spool could not take them. */
  fault: "log" | "spool";
  text: string;
}

/** An error of the spool's own (it may fail while the audit log itself is fine). */
const SPOOL_FAULT = /^cannot (open|write|sync) the audit spool\b/;

/**
 * Why records (`what`: "it", "them") are lost, by its real cause: a broken
 * spool is named as the spool (the log may still be taking the session's
 * other records), the log only when it is the log that failed.
 */
function lossWords(cause: LossCause | undefined, spoolDir: string, what: string): string {
  if (cause?.fault === "spool") {
    return `the audit spool ${JSON.stringify(spoolDir)} cannot take ${what} (${cause.text}), and ` +
      "decisions and approvals reach the audit log only through the spool";
  }
  return `neither the audit log nor its spool could take ${what}` +
    (cause === undefined ? "" : ` (${cause.text})`);
}

/** The end's note on gating records neither the log nor the spool took. */
function lostAtEnd(
  lost: readonly string[],
  cause: LossCause | undefined,
  spoolDir: string,
): string {
  const named = lost.slice(0, LOST_NAMED_MAX).join(", ") +
    (lost.length > LOST_NAMED_MAX ? ` and ${lost.length - LOST_NAMED_MAX} more (named above)` : "");
  return `error: ${lost.length} decision or approval record(s) are LOST: ` +
    `${lossWords(cause, spoolDir, "them")}, and no later session will record them; their ` +
    `decision ids: ${named}`;
}

/** A name from outside thoth (a tool, a server), quoted and cut short, for a note. */
function displayName(name: unknown): string {
  const text = typeof name === "string" ? name : String(name);
  return JSON.stringify(displayText(text.length > 64 ? `${text.slice(0, 64)}…` : text, 80));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
