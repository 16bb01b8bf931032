/**
 * The approval hand-off: an approval channel wrapped so that an answer
 * counts only once its record is in the session's spool. A yes that comes
 * while the log cannot be written is refused and recorded as such, and the
 * session grant it made is withdrawn; a person's approval from the queue
 * that is refused so is noted beside its request (see `refusal_note.ts`),
 * so that `thoth approvals list` does not call it approved; under
 * `--audit-sync always` a grant
 * admits no call before its record is on the disk. Approvals still being
 * asked, and stateless questions no retry answered, are closed at the
 * session's end ({@linkcode ApprovalRecords.closeUnanswered}).
 *
 * @example
 * ```ts
 * const approvals = new ApprovalRecords(options, writer);
 * const approver = approvals.wrap(queueApprover);
 * // at the session's end, once the approvals being asked have settled:
 * approvals.closeUnanswered();
 * ```
 */
import type { ApprovalEvent } from "../audit/record.ts";
import type { GrantFacts, TakenFacts } from "../approval/create_approver.ts";
import { UNTAKEN_REASON } from "../approval/approval_channel.ts";
import { displayText } from "../approval/display_text.ts";
import { noteRefusal } from "../approval/refusal_note.ts";
import type { AnswerFacts } from "../approval/person_answer.ts";
import type { GivenFacts } from "../approval/answer_given.ts";
import { UNWRITABLE_REFUSAL } from "../protocol/responses.ts";
import type {
  ApprovalOutcome,
  ApprovalRequest,
  Approver,
  StatelessApprovalStep,
} from "./relay_session.ts";
import type { GatingWriter } from "./decision_records.ts";

/** How long the session's end waits for approvals withdrawn with it to be answered. */
export const ASKING_GRACE_MS = 3000;

/** The longest reason an approval record keeps, in characters. */
export const APPROVAL_REASON_MAX = 500;

/** Why a stateless question that was never answered is closed at the session's end. */
export const UNANSWERED_AT_END =
  "the session ended before the client retried the call with an answer to the approval it was asked for";

/** What an approval's record needs of its session's options (see `SessionAuditOptions`). */
export interface ApprovalRecordsOptions {
  session: string;
  mode: string;
  /** `always`: each gating record is fsynced before its call is released. */
  sync?: "default" | "always";
  /** The wall clock in milliseconds. */
  now?: () => number;
}

/** Writes each approval's record before its answer counts. */
export class ApprovalRecords {
  readonly #o: ApprovalRecordsOptions;
  readonly #writer: GatingWriter;
  /** Approvals still being asked: the session's end waits for their records. */
  readonly #asking = new Set<Promise<unknown>>();
  /**
   * Stateless questions (`input_required`) no retry has answered yet, by the
   * decision that asked, with when they were asked: each is closed with a
   * `cancelled` approval record at the session's end.
   */
  readonly #unanswered = new Map<string, number>();

  constructor(options: ApprovalRecordsOptions, writer: GatingWriter) {
    this.#o = options;
    this.#writer = writer;
  }

  /** Approvals still being asked (the session's end waits for them, for a while). */
  get asking(): ReadonlySet<Promise<unknown>> {
    return this.#asking;
  }

  /**
   * Closes each question put with input_required that no retry answered, as
   * a form or a queue entry still open at the end is: its call never ran.
   */
  closeUnanswered(): void {
    const now = (this.#o.now ?? Date.now)();
    for (const [decisionId, askedAt] of this.#unanswered) {
      this.#writer.write({
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
  }

  /**
   * Wraps an approval channel: the answer counts only once its record is in
   * the spool. A yes that comes while the log cannot be written is refused
   * and recorded as such (outcome `error`, with what the person said), and
   * the session grant it made, if any, is withdrawn: the client was told it
   * did not count, so no later call passes on it.
   */
  wrap(inner: Approver): Approver {
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
      const refusing = outcome.approved && this.#writer.broken() && this.#o.mode !== "observe";
      // The person's own answer, only when the outcome carries it: a standing grant
      // or a server's follow-up was answered by no one.
      const facts = outcome as ApprovalOutcome & AnswerFacts & GivenFacts;
      const answer = refusing ? facts.answer ?? facts.said : facts.answer;
      const why = refusing ? `${UNWRITABLE_APPROVAL}; ${approvedWords(outcome)}` : outcome.why;
      const reason = typeof why === "string" && why !== ""
        ? displayText(why, APPROVAL_REASON_MAX)
        : undefined;
      const written = this.#writer.write({
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
        // How a person's queue answer says it was given (see answer_given.ts).
        ...(facts.given === undefined ? {} : { given: facts.given }),
      });
      if (refusing) return { recorded: refusedOutcome(outcome, UNWRITABLE_APPROVAL), written };
      if (written || !outcome.approved || this.#o.mode === "observe") {
        return { recorded: outcome, written };
      }
      return {
        recorded: refusedOutcome(outcome, UNRECORDED_APPROVAL),
        written,
      };
    };
    // An approval its queue could not mark taken is refused (see UNTAKEN_REASON), after its record.
    const untaken = (request: ApprovalRequest, recorded: ApprovalOutcome): ApprovalOutcome => {
      this.#writer.unsynced(request.verdict.decisionId, request.requestId, UNTAKEN_REASON);
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
        if (taken !== undefined && (await this.#writer.synced())) await taken();
        return recorded;
      }
      // The session grant it made admits no call before its record is on the disk.
      const facts = recorded as ApprovalOutcome & GrantFacts;
      facts.revokeGrant?.();
      const synced = await this.#writer.synced();
      if (synced || this.#o.mode === "observe") {
        facts.restoreGrant?.();
        if (synced && (await taken?.()) === false) return untaken(request, recorded);
        return recorded;
      }
      // Its `approved` record is written (it may reach the log): what follows says the call was refused.
      this.#writer.unsynced(request.verdict.decisionId, request.requestId);
      return refusedOutcome(recorded, UNRECORDED_APPROVAL);
    };
    // A person's approval on file (the queue's) that thoth refuses after all is noted beside
    // its request, so that `thoth approvals list` does not call it approved (refusal_note.ts).
    const settleNoted = async (
      request: ApprovalRequest,
      outcome: ApprovalOutcome,
    ): Promise<ApprovalOutcome> => {
      const settled = await settle(request, outcome);
      if (outcome.approved && !settled.approved) {
        const taken = (outcome as ApprovalOutcome & TakenFacts).answerTaken;
        await noteRefusal(
          taken,
          settled.why === UNTAKEN_REASON ? UNTAKEN_REASON : UNRECORDED_APPROVAL,
        );
      }
      return settled;
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
        return await settleNoted(request, outcome);
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
        return { ...step, outcome: await settleNoted(request, step.outcome) };
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

/**
 * Why an approved call was refused when its approval record could not be
 * written (or put on the disk): what the client hears, and what the queue's
 * note beside its request says (see `refusal_note.ts`).
 */
const UNRECORDED_APPROVAL = "the approval could not be recorded in the audit log";

/** The reason of an approval refused because the log cannot be written. */
const UNWRITABLE_APPROVAL =
  `${UNWRITABLE_REFUSAL}: the audit log cannot be written, and thoth does not act without evidence`;

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

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
