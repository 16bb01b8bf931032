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
import {
  claimedCopies,
  claimedName,
  DecisionSpool,
  gatingInLog,
  orphanSpools,
  readSpoolFile,
  removeStaleTemps,
  spooledKey,
  spoolsHolding,
  stillAt,
} from "../audit/decision_spool.ts";
import { auditPaths } from "../audit/log_paths.ts";
import type { GrantFacts } from "../approval/create_approver.ts";
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

/** Options of a {@linkcode SessionAudit}. */
export interface SessionAuditOptions {
  /** The open log, or undefined when it could not be opened (`openError` says why). */
  log: AuditLog | undefined;
  openError?: string | undefined;
  /** The profile the spool lives in. */
  thothHome: string;
  session: string;
  server: string;
  mode: string;
  policyHash: string;
  intent: string | null;
  /** Argument fields the policy names safe to log in clear (never applied to results). */
  safeFields: readonly string[];
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

/** A spool file untouched this long belongs to a session that is gone. */
export const ORPHAN_AFTER_MS = 60_000;

/**
 * How often a running session looks again for spool files other sessions
 * left (see {@linkcode SessionAudit.sweep}): a killed session's files are
 * younger than {@linkcode ORPHAN_AFTER_MS} when the client relaunches its
 * servers, so the relaunched sessions' `start` leaves them; one of them
 * takes them in at most this much after they come of age.
 */
export const SWEEP_MS = 30_000;

/** How many times a batch is tried again after spool files of its were found taken by another session. */
const RECLAIM_TRIES = 3;

/**
 * How long a session's end waits, at most, for its sweep still in progress
 * (see {@linkcode SessionAudit.sweep}), and then for another session that
 * claimed its spool file while it was stopped and still holds it: never the
 * minute after which a holder counts as dead.
 */
export const END_WAIT_MS = 3000;

/** How often the session's end looks whether another session still holds its spool records. */
const HOLDER_POLL_MS = 50;

/**
 * How much of the log a recovery reads back for spool files of an earlier
 * release (no header to say when they were opened); past it, their records
 * not found yet are taken in (a record twice rather than one lost).
 */
export const UNDATED_READ_BACK_BYTES = 64 * 1024 * 1024;
/** How much of the log is read back at most for dated spool files (a very busy log). */
export const DATED_READ_BACK_BYTES = 256 * 1024 * 1024;

/** How soon a batch the log refused is tried again (new records do not wait longer). */
export const RETRY_MS = 250;

/**
 * The most records held for a log that keeps refusing them. Past it the held
 * ones are let go: the gating records among them stay in their spool files,
 * which the next session takes in; the others are lost, with a note. Calls
 * stay blocked meanwhile (fail closed), so only observe mode or trailing
 * records grow the queue.
 */
export const HELD_MAX = 10_000;

/**
 * A file whose records wait in the queue: a spool file of this session, or
 * one claimed from a killed session (`restore`: its name before the claim).
 */
interface HeldFile {
  path: string;
  restore?: string;
  /** Its header's `at` (see `DecisionSpool`); undefined for a file of an earlier release. */
  openedAt: number | undefined;
  /** Its inode, when known: another file at its path is no longer this one. */
  ino?: number | null;
  /**
   * The queued records it holds (the very entries of the queue), and for a
   * claimed file its `spool_recovered` record: what this session leaves out
   * when another session took the file in (see `SessionAudit.#retaken`).
   */
  items?: Queued[];
}

/**
 * A record waiting for the log: its event, or its JSON when that is already
 * made (a spooled decision, an outcome). Only the text of those is held:
 * objects that outlive a few young-generation collections cost the relay's
 * thread more than the text does.
 */
type Queued = AuditEvent | string;

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
  readonly #spool: DecisionSpool | undefined;
  /** Records waiting for the log, with the JSON the spool already made for them. */
  #queue: Queued[] = [];
  /** Files whose records are in the queue: removed once those are in the log. */
  #files: HeldFile[] = [];
  /**
   * Files of this session that another session claimed while this one was
   * stopped and still holds (see `#heldElsewhere`): their records (`items`)
   * are out of the queue, the holder's to write; each goes back into it
   * (to be checked against the log, see `#retaken`) once no one holds it.
   */
  #elsewhere: HeldFile[] = [];
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
    let spool: DecisionSpool | undefined;
    if (options.log === undefined) {
      this.#noSpool = { fault: "log", text: options.openError ?? "the audit log is not open" };
      this.#failure(this.#noSpool.text);
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
    if (this.#spool !== undefined) await this.#takeOrphans();
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
      this.#queue.length > 0 || this.#files.length > 0 || this.#elsewhere.length > 0 ||
      this.#cancelTimer !== undefined || this.#spool.pending > 0
    ) {
      return 0;
    }
    const now = (this.#o.now ?? Date.now)();
    // Cheap when there is nothing to take: one read of the spool folder.
    if (orphanSpools(this.#o.thothHome, this.#o.session, now, ORPHAN_AFTER_MS).length === 0) {
      return 0;
    }
    const taken = await this.#takeOrphans();
    if (taken > 0 && !this.#ended) await this.flush();
    return taken;
  }

  /**
   * Claims the spool files killed sessions left (each renamed, so that only
   * one session takes it; a file a killed session had claimed is claimed
   * again) and queues their records, less those the log holds already and
   * those taken from another file already. Returns how many files it took.
   */
  async #takeOrphans(): Promise<number> {
    const now = (this.#o.now ?? Date.now)();
    removeStaleTemps(this.#o.thothHome, now, ORPHAN_AFTER_MS);
    const taken: {
      path: string;
      mine: string;
      ino: number | null;
      events: AuditEvent[];
      openedAt: number | undefined;
    }[] = [];
    for (const path of orphanSpools(this.#o.thothHome, this.#o.session, now, ORPHAN_AFTER_MS)) {
      const mine = claimedName(path, this.#o.session);
      let ino: number | null;
      try {
        // Made fresh first: a claimed file that grows stale is one whose holder died.
        const touched = new Date();
        Deno.utimeSync(path, touched, touched);
        Deno.renameSync(path, mine);
        ino = Deno.statSync(mine).ino;
      } catch {
        continue;
      }
      taken.push({ path, mine, ino, ...readSpoolFile(mine) });
    }
    if (taken.length === 0) return 0;
    const undated = taken.some((file) => file.openedAt === undefined);
    const seen = await this.#alreadyLogged(taken.flatMap((file) => file.events), undated);
    if (this.#sweepCut) {
      // The session's final batch no longer waits for these: back under their names.
      release(taken.map(({ path, mine }) => ({ path: mine, restore: path, openedAt: undefined })));
      const left = taken.map((file) => file.path).filter((path) => stillAt(path, undefined));
      const names = displayNames(taken.map((file) => file.path.split("/").pop() ?? file.path));
      this.#o.note(
        `warning: the session ended while it was still taking in other sessions' audit spool ` +
          `file(s) ${names}: ` +
          (left.length === taken.length
            ? "they are put back for the next session to take in"
            : `${left.length} of ${taken.length} are put back for the next session to take in; ` +
              "the others stay under their claimed names, which a session takes in a minute " +
              "after"),
      );
      return 0;
    }
    for (const { path, mine, ino, events, openedAt } of taken) {
      const fresh = events.filter((event) => {
        const key = spooledKey(event);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const skipped = events.length - fresh.length;
      const items: Queued[] = [{
        type: "spool_recovered",
        session: this.#o.session,
        file: path.split("/").pop() ?? path,
        count: fresh.length,
        ...(skipped === 0 ? {} : { skipped }),
      }, ...fresh];
      this.#queue.push(...items);
      // Removed once its records are in the log (see #ingest).
      this.#files.push({ path: mine, restore: path, openedAt, ino, items });
    }
    return taken.length;
  }

  /**
   * Of `events` (taken from killed sessions' spools), the keys of those the
   * log already holds (see `gatingInLog`), read back until the
   * `session_start` of each of their sessions, and
   * {@linkcode DATED_READ_BACK_BYTES} at most, or, for files of an earlier
   * release (`undated`), {@linkcode UNDATED_READ_BACK_BYTES} at most. Not
   * bounded by time: a clock stepped back dates the newest records earlier
   * than the files. When the log cannot be read, none: a record twice rather
   * than one lost.
   */
  async #alreadyLogged(
    events: readonly AuditEvent[],
    undated: boolean,
  ): Promise<Set<string>> {
    const sessions = new Set<string>();
    for (const event of events) if (typeof event.session === "string") sessions.add(event.session);
    if (sessions.size === 0) return new Set();
    try {
      // The log as its writer keeps it, first: a dead writer's last batch is taken in or cut
      // (a line it was cut off in, a damaged line, a broken chain) only by the next write, and
      // a record read back from bytes the writer then cuts would be lost from both places.
      await this.#o.log?.checkpoint();
      const found = await gatingInLog(
        auditPaths(this.#o.thothHome).dir,
        sessions,
        // Bounded by the sessions' starts, and a busy log by bytes too: a session's
        // start must not wait on reading a whole log.
        {
          maxBytes: undated ? UNDATED_READ_BACK_BYTES : DATED_READ_BACK_BYTES,
          wanted: new Set(
            events.filter((event) => event.type === "decision" || event.type === "approval")
              .map(spooledKey),
          ),
        },
      );
      if (!found.complete) {
        const mib = (undated ? UNDATED_READ_BACK_BYTES : DATED_READ_BACK_BYTES) / (1024 * 1024);
        this.#o.note(
          `recovered spool files${undated ? " of an earlier release" : ""}: the ` +
            `audit log was read back ${mib} MiB only to find which of their records it holds; ` +
            "the others are taken in, and some may be recorded twice",
        );
      }
      return found.held;
    } catch (error) {
      this.#o.note(
        `cannot read the audit log back to find which recovered spool records it holds: ${
          message(error)
        }; all of them are taken in, and some may be recorded twice`,
      );
      return new Set();
    }
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
    this.#queue.push({ type: "session_end", session: this.#o.session, exitCode, signal });
    let written = await this.flush();
    if (this.#elsewhere.length > 0) {
      await this.#awaitHolders(wait);
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
    if (verdict.decision === "block" && verdict.ruleIds.some((id) => DIAGNOSED.has(id))) {
      // The model hears a short refusal (see `responses.ts`); the person at the
      // machine hears the whole diagnosis, with its remedy.
      this.#o.note(
        `blocked tool ${displayName(call.tool)} on server ${displayName(call.server)} ` +
          `(decision ${verdict.decisionId}, rule ${verdict.ruleIds.join(", ")}): ${
            verdict.reasons.join("; ")
          }`,
      );
    }
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
   * spool could not be synced after: the call was refused after all.
   */
  #unsynced(decisionId: string, requestId?: JsonRpcId): void {
    this.#later({
      type: "cancellation",
      session: this.#o.session,
      decisionId,
      ...(requestId === undefined || requestId === null ? {} : { requestId }),
      reason: UNSYNCED_REASON,
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
    const record = (request: ApprovalRequest, outcome: ApprovalOutcome): ApprovalOutcome => {
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
      if (refusing) return refusedOutcome(outcome, UNWRITABLE_APPROVAL);
      if (written || !outcome.approved || this.#o.mode === "observe") return outcome;
      return refusedOutcome(outcome, "the approval could not be recorded in the audit log");
    };
    const settle = async (
      request: ApprovalRequest,
      outcome: ApprovalOutcome,
    ): Promise<ApprovalOutcome> => {
      const recorded = record(request, outcome);
      if (this.#o.sync !== "always" || !recorded.approved) return recorded;
      // The session grant it made admits no call before its record is on the disk.
      const facts = recorded as ApprovalOutcome & GrantFacts;
      facts.revokeGrant?.();
      if ((await this.#synced()) || this.#o.mode === "observe") {
        facts.restoreGrant?.();
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
        const left = tries < RECLAIM_TRIES ? await this.#retaken(events, files) : undefined;
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
   * Whether another session holds `file` (gone from its path) now: its
   * claimed copy is fresh (the claimer is taking it in), or, with no copy
   * left, a fresh spool file of another session holds its records (a
   * claimer whose log refused them rewrote them into a file of its own, see
   * `#respool`, and writes them once its log works again). A stale copy is
   * one whose claimer died: not held.
   */
  #heldElsewhere(file: HeldFile, now: number): boolean {
    const copies = claimedCopies(file.restore ?? file.path, file.path);
    if (copies.length > 0) return copies.some((copy) => now - copy.modified < ORPHAN_AFTER_MS);
    const bodies = new Set<string>();
    for (const item of file.items ?? []) {
      const body = gatingBody(item);
      if (body !== undefined) bodies.add(body);
    }
    return bodies.size > 0 &&
      spoolsHolding(this.#o.thothHome, this.#o.session, bodies, now, ORPHAN_AFTER_MS).length > 0;
  }

  /**
   * Puts the records of files no other session holds any more (see
   * `#elsewhere`) back in front of the queue, with their files: the next
   * batch finds them gone (or put back) and `#retaken` checks them against
   * the log.
   */
  #rejoin(): void {
    if (this.#elsewhere.length === 0) return;
    const now = (this.#o.now ?? Date.now)();
    const free = this.#elsewhere.filter((file) => !this.#heldElsewhere(file, now));
    if (free.length === 0) return;
    this.#elsewhere = this.#elsewhere.filter((file) => !free.includes(file));
    this.#queue = free.flatMap((file) => file.items!).concat(this.#queue);
    this.#files = free.concat(this.#files);
  }

  /**
   * At the session's end: waits up to `ms` for the sessions that hold
   * records of this one's spool (see `#elsewhere`) to let go of them, and
   * takes each back as it does (see `#rejoin`). What is still held after is
   * left to its holder, and kept in a new spool file of this session too:
   * the holder may have read its copy before this session wrote the last of
   * those records, which would then be nowhere else. A later session takes
   * that file in and skips what the log holds by then.
   */
  async #awaitHolders(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.#elsewhere.length > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(HOLDER_POLL_MS, ms)));
      const now = (this.#o.now ?? Date.now)();
      if (this.#elsewhere.some((file) => !this.#heldElsewhere(file, now))) await this.flush();
    }
    const held = this.#elsewhere.splice(0);
    if (held.length === 0) return;
    const bodies: string[] = [];
    for (const item of held.flatMap((file) => file.items!)) {
      const body = gatingBody(item);
      if (body !== undefined) bodies.push(body);
    }
    const names = displayNames(
      held.map((file) => (file.restore ?? file.path).split("/").pop() ?? file.path),
    );
    let kept = "";
    if (bodies.length > 0 && this.#spool !== undefined) {
      const dates = held.map((file) => file.openedAt);
      const openedAt = dates.includes(undefined) ? undefined : Math.min(...(dates as number[]));
      try {
        const path = this.#spool.writeFile(bodies, openedAt);
        kept = `; they are kept in spool file ${
          JSON.stringify(path.split("/").pop())
        } too, which a later session takes in, skipping those the audit log holds by then`;
      } catch (error) {
        kept =
          `; they could not be kept in a spool file of this session too (${
            message(error)
          }): those this session wrote after the other session claimed the file are LOST unless ` +
          "it read them";
      }
    }
    this.#o.note(
      `warning: ${bodies.length} decision or approval record(s) of this session's audit spool ` +
        `file(s) ${names} are left to the session that claimed them while this session was ` +
        `stopped, which still held them after ${ms / 1000} s${kept}`,
    );
  }

  /**
   * Some spool files of a batch are no longer at their paths: this session
   * was stopped (SIGSTOP, a debugger, a laptop asleep) for longer than
   * {@linkcode ORPHAN_AFTER_MS}, and another session claimed them as a dead
   * session's. That session writes their records; this one must not write
   * them again. When another session still holds a file (see
   * `#heldElsewhere`), its records leave the batch for `#elsewhere` and the
   * rest of the batch (outcomes, the session's end, records of files still
   * this session's) goes on at once. When the claimer died holding it (its
   * copy is stale), this session claims the copy back. Once no one else
   * holds a file, the log is read back for its records (what the claimer
   * wrote) and the batch goes on without those; what the claimer could not
   * have read (written after its claim) stays in the batch. Undefined when
   * another session took a stale copy just before this one could: the
   * batch is tried again soon.
   */
  async #retaken(
    events: Queued[],
    files: HeldFile[],
  ): Promise<{ events: Queued[]; files: HeldFile[] } | undefined> {
    const log = this.#o.log!;
    const now = (this.#o.now ?? Date.now)();
    const missing = files.filter((file) =>
      file.items !== undefined && !stillAt(file.path, file.ino)
    );
    if (missing.length === 0) return { events, files };
    const kept = files.filter((file) => !missing.includes(file));
    // Held by a living session: its records are that session's to write; the rest goes on now.
    const away = missing.filter((file) => this.#heldElsewhere(file, now));
    if (away.length > 0) {
      this.#elsewhere.push(...away);
      const theirs = new Set<Queued>(away.flatMap((file) => file.items!));
      events = events.filter((event) => !theirs.has(event));
    }
    const gone = missing.filter((file) => !away.includes(file));
    if (gone.length === 0) return { events, files: kept };
    for (const file of gone) {
      for (const copy of claimedCopies(file.restore ?? file.path, file.path)) {
        // Its claimer died before taking it in: this session holds it again.
        const mine = claimedName(copy.path, this.#o.session);
        try {
          const touched = new Date();
          Deno.utimeSync(copy.path, touched, touched);
          Deno.renameSync(copy.path, mine);
          kept.push({
            path: mine,
            restore: file.restore ?? file.path,
            openedAt: file.openedAt,
            ino: Deno.statSync(mine).ino,
            items: file.items!,
          });
        } catch {
          // Taken by another session meanwhile: the next try looks again.
          return undefined;
        }
      }
    }
    const items = new Set<Queued>(gone.flatMap((file) => file.items!));
    const keys = new Map<Queued, string>();
    const sessions = new Set<string>();
    for (const item of items) {
      const body = gatingBody(item);
      if (body === undefined) continue;
      keys.set(item, body);
      const session = typeof item === "string"
        ? (JSON.parse(body) as { session?: unknown }).session
        : item.session;
      if (typeof session === "string") sessions.add(session);
    }
    let held = new Set<string>();
    let complete = true;
    try {
      await log.checkpoint();
      ({ held, complete } = await gatingInLog(auditPaths(this.#o.thothHome).dir, sessions, {
        maxBytes: DATED_READ_BACK_BYTES,
        wanted: new Set(keys.values()),
      }));
    } catch (error) {
      complete = false;
      this.#o.note(`cannot read the audit log back: ${message(error)}`);
    }
    let found = 0;
    const left = events.filter((event) => {
      if (!items.has(event)) return true;
      const key = keys.get(event);
      // Its own spool_recovered record: the session that took the file in wrote one.
      if (key === undefined) return typeof event === "string" || event.type !== "spool_recovered";
      if (!held.has(key)) return true;
      found++;
      return false;
    });
    const names = gone.map((file) => (file.restore ?? file.path).split("/").pop()).join(", ");
    this.#o.note(
      `warning: another session took in this session's audit spool file(s) ${names} while this ` +
        `session was stopped for more than ${ORPHAN_AFTER_MS / 1000} s; ${found} of their ` +
        `${keys.size} decision and approval record(s) are in the audit log already and are ` +
        "not recorded again" +
        (complete
          ? ""
          : `; the log could not be read back whole (${
            DATED_READ_BACK_BYTES / (1024 * 1024)
          } MiB at most), so some may be recorded twice ("thoth audit verify" names them)`),
    );
    return { events: left, files: kept };
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
   * takes them in later (see `#respool`): after a batch the log took in part
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
      const now = new Date();
      for (const file of this.#files) {
        try {
          Deno.utimeSync(file.path, now, now);
        } catch {
          // Gone or unreachable: its records are still held here.
        }
      }
    }
    if (this.#cancelTimer === undefined && !this.#ended) {
      this.#cancelTimer = unrefTimer(() => {
        this.#cancelTimer = undefined;
        void this.flush();
      }, RETRY_MS);
    }
  }

  /**
   * Puts the gating records among `events` (decisions, approvals) in one new
   * spool file of this session, written whole, and removes `files`, whose
   * records are in the log or in `events`: handed on later (at the session's
   * end, past {@linkcode HELD_MAX}, or by a kill), no record reaches the log
   * twice. When the new file cannot be written, `files` are kept as they are
   * (a record twice rather than one lost).
   */
  #respool(events: readonly Queued[], files: HeldFile[]): HeldFile[] {
    if (this.#spool === undefined) return files;
    const bodies: string[] = [];
    for (const event of events) {
      const body = gatingBody(event);
      if (body !== undefined) bodies.push(body);
    }
    // Dated as the earliest file it replaces; undated when one of them is.
    const dates = files.map((file) => file.openedAt);
    const openedAt = dates.length === 0 || dates.includes(undefined)
      ? undefined
      : Math.min(...(dates as number[]));
    let path: string | undefined;
    try {
      if (bodies.length > 0) path = this.#spool.writeFile(bodies, openedAt);
    } catch (error) {
      this.#o.note(
        `error: cannot rewrite the spool files of the records the audit log refused: ${
          message(error)
        }; they stay as they are, and a later session may record some of their decisions twice`,
      );
      return files;
    }
    for (const file of files) removeQuietly(file.path);
    if (path === undefined) return [];
    let ino: number | null = null;
    try {
      ino = Deno.statSync(path).ino;
    } catch {
      // Checked by path only.
    }
    return [{
      path,
      openedAt,
      ino,
      items: events.filter((event) => gatingBody(event) !== undefined),
    }];
  }

  /** Stops holding records (at the session's end): see `release`. */
  #letGo(): void {
    this.#queue = [];
    release(this.#files.splice(0));
  }

  #failure(reason: string): void {
    if (this.#warned) return;
    this.#warned = true;
    const consequence = this.#o.mode === "observe"
      ? "calls are forwarded anyway in observe mode"
      : "tool calls are blocked until it can be written (fail closed)";
    // A reason that names the log already (the log's own error) is not prefixed again; the
    // spool's own error is named as the spool's (the log itself may be fine).
    const what = reason.startsWith("cannot write the audit log")
      ? reason
      : SPOOL_FAULT.test(reason)
      ? `cannot write the audit log's decision and approval records, which reach it only ` +
        `through its spool: ${reason}`
      : `cannot write the audit log: ${reason}`;
    this.#o.note(`error: ${what}; ${consequence}`);
    this.#o.note(
      'hint: check free space and permissions under THOTH_HOME, then run "thoth doctor"',
    );
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

/**
 * Rules whose refusal the model hears in short (thoth's own files, the
 * clients' configs: see `responses.ts`), noted in full on stderr instead.
 */
const DIAGNOSED = new Set(["thoth.own_files", "thoth.client_config"]);

/** The record types that gate a call: the spool holds these. */
const GATING = new Set<unknown>(["decision", "approval"]);

/** A waiting record's JSON when it gates a call (a decision, an approval), or undefined. */
function gatingBody(event: Queued): string | undefined {
  if (typeof event !== "string") {
    // A gating event held as an object is one taken in from a killed session's spool.
    return GATING.has(event.type) ? JSON.stringify(event) : undefined;
  }
  let type: unknown;
  try {
    type = (JSON.parse(event) as { type?: unknown } | null)?.type;
  } catch {
    return undefined;
  }
  return GATING.has(type) ? event : undefined;
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

/**
 * Leaves files whose records the log refused for a later session to take
 * in: a claimed one goes back under its old name.
 */
function release(files: readonly HeldFile[]): void {
  for (const file of files) {
    if (file.restore === undefined) continue;
    try {
      Deno.renameSync(file.path, file.restore);
    } catch {
      // Left under its claimed name.
    }
  }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // Already gone.
  }
}

/** Up to three names, quoted and cut short, for a note. */
function displayNames(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((n) =>
    JSON.stringify(n.length > 64 ? `${n.slice(0, 64)}…` : n)
  );
  return shown.join(", ") + (names.length > 3 ? ` and ${names.length - 3} more` : "");
}
