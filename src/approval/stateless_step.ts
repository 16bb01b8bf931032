/**
 * The stateless (2026-07-28) step-up decision for one held `tools/call`:
 * reuse a session grant, open the approval the client's retry carries, ask
 * for approval with an `input_required` result, or tell the relay to hold
 * the call and use the ordinary channels (dialog, queue) because the client
 * cannot elicit. A call whose arguments hold a number `JSON.parse` may have
 * changed is refused instead of asked about: the round trip binds the answer
 * to a digest that cannot tell it from another. Called through
 * `SessionApprover.stateless`.
 *
 * A server may itself answer a call a person allowed once with its own
 * `input_required` (it needs more input from the client). The client's retry
 * then carries the server's `requestState`, not thoth's: that retry is the
 * call already allowed, so it is forwarded unchanged, once per state the
 * server issued, bound like a grant to the digest, before the state
 * expires (see {@linkcode ServerFollowUps}). Asking again would drop the
 * server's state and start its exchange over, endlessly.
 *
 * A retry recognised before the enforcer decided it (and so not counted
 * again in progressive mode) had its state reserved then: the server's state
 * taken, or thoth's spent, so a second retry carrying the same state is a
 * new call. Such a marked retry is decided from its reservation only; one
 * whose reservation is gone is refused as already used, never asked about
 * anew from a decision that counted nothing.
 *
 * @example
 * ```ts
 * const step = await approver.stateless(request, message.params);
 * if (step.kind === "input_required") toClient({ jsonrpc: "2.0", id, result: step.result });
 * ```
 */
import type { ApprovalOutcome, ApprovalRequest } from "../proxy/relay_session.ts";
import { approvalQuestion } from "./approval_question.ts";
import { argumentDigest } from "./argument_digest.ts";
import { readElicitationResult } from "./elicitation_form.ts";
import type { GrantStore } from "./grant_store.ts";
import { inexactNumber, inexactNumberWhy } from "./inexact_number.ts";
import {
  type ApprovalRetry,
  declaresStatelessElicitation,
  inputRequiredResult,
  readApprovalRetry,
  stripApprovalRetry,
} from "./input_required.ts";
import { type OpenedState, RequestStateSealer } from "./request_state.ts";
import type { RetryReservation } from "./retry_reservations.ts";
import type { ServerFollowUps } from "./server_follow_ups.ts";

/** What the relay does with a stateless STEP_UP. */
export type StatelessStep =
  /** Answer the call with this `result` (an `input_required` result); forward nothing. */
  | { kind: "input_required"; result: Record<string, unknown> }
  /**
   * Decided: when approved, forward the call with `forwardParams` (thoth's
   * retry fields removed; re-serialized); otherwise answer with `outcome.why`.
   */
  | {
    kind: "decided";
    outcome: ApprovalOutcome;
    forwardParams?: Record<string, unknown>;
    /** The id of the session grant this step issued, if any (to withdraw it when refused). */
    sessionGrant?: string;
  }
  /** The client cannot elicit: hold the call and call the approver as usual. */
  | { kind: "hold" }
  /** With `request.discarded`: the call carries no answer of thoth's, so nothing is recorded. */
  | { kind: "none" };

/** What {@linkcode statelessStep} needs from its approver. */
export interface StatelessContext {
  grants: GrantStore;
  sealer: () => Promise<RequestStateSealer>;
  /** Who answers at the client that sent `request`. */
  approver: (request: ApprovalRequest) => string;
  allowSession: boolean;
  /** More for the person to know with each question (why a choice is not offered). */
  notes?: string[];
  safeFields: (request: ApprovalRequest) => readonly string[];
  /** How long a person has to answer before the retry is refused. */
  stateTtlMs: number;
  /** Calls allowed once that the server may continue with its own `input_required`. */
  followUps: ServerFollowUps;
  /**
   * Takes what was reserved for `request`'s call when it was recognised as a
   * retry: undefined when the call is not marked as one, `"gone"` when it is
   * but its reservation was already used.
   */
  reserved: (request: ApprovalRequest) => RetryReservation | "gone" | undefined;
  now: () => number;
}

/**
 * How each problem of a retried state is recorded: thoth refused the state,
 * which is no person's denial. An altered, forged or reused state, or one
 * for other arguments, is an `error` (the record's `reason` says which); an
 * expired one a `timeout`.
 */
const PROBLEM_KIND: Record<string, "timeout" | "error"> = {
  malformed: "error",
  bad_mac: "error",
  expired: "timeout",
  used: "error",
  other_arguments: "error",
};

/** What a person answered in the form a retry carried, as the audit records it. */
export type PersonAnswer = "allow_once" | "allow_session" | "deny" | "dismiss" | "unreadable";

/**
 * What an outcome of this step may carry beyond `ApprovalOutcome`, for the
 * audit: the person's own answer, when thoth did not act on it as given (a
 * yes for other arguments, an answer in an expired state or in a retry
 * refused anyway).
 */
export interface AnswerFacts {
  answer?: PersonAnswer;
  /**
   * On an approved outcome, what the person answered (none for a standing
   * grant or a server's follow-up, which no person answered): recorded only
   * when thoth refuses the yes after all (the log could not be written).
   */
  said?: PersonAnswer;
}

/** The person's answer a reading holds. */
function personAnswer(reading: ReturnType<typeof readElicitationResult>): PersonAnswer {
  return reading.kind === "approve"
    ? reading.scope === "session" ? "allow_session" : "allow_once"
    : reading.kind === "deny"
    ? "deny"
    : reading.kind === "cancel"
    ? "dismiss"
    : "unreadable";
}

const PROBLEM_WHY: Record<string, string> = {
  malformed: "the approval state the client sent back is malformed",
  bad_mac: "the approval state the client sent back was altered or not issued by this thoth",
  expired: "the approval state expired before the call was retried",
  used: "the approval state was already used once",
  other_arguments: "the approval given was for different arguments, so thoth refused it",
};

/** Decides one stateless STEP_UP; `params` are the call's raw `tools/call` params. */
export async function statelessStep(
  context: StatelessContext,
  request: ApprovalRequest,
  params: unknown,
): Promise<StatelessStep> {
  const { call } = request;
  const now = context.now();
  const digest = await argumentDigest(call.server, call.tool, call.arguments);
  // The round trip binds the answer to the digest, and the retry is forwarded
  // re-serialized: neither is safe for a number JSON.parse may have changed.
  const inexact = inexactNumber(call.arguments);
  const refuseInexact = (asked?: string): StatelessStep => ({
    kind: "decided",
    outcome: {
      channel: "elicitation",
      approved: false,
      kind: "denied",
      why: inexactNumberWhy(inexact!),
      latencyMs: 0,
      ...(asked === undefined ? {} : { askedDecisionId: asked }),
    },
  });
  const retry = readApprovalRetry(params);
  const reserved = context.reserved(request);
  if (request.discarded !== undefined) {
    return discardedAnswer(context, request, retry, digest, now, reserved);
  }
  if (reserved === "gone") {
    // Not counted as a new call, so never asked about anew: refused (no person's denial).
    return {
      kind: "decided",
      outcome: {
        channel: "elicitation",
        approved: false,
        kind: "error",
        why: PROBLEM_WHY["used"]!,
        latencyMs: 0,
      },
    };
  }
  const raw = params !== null && typeof params === "object" && !Array.isArray(params)
    ? params as Record<string, unknown>
    : {};
  const followUp = reserved !== undefined
    ? (reserved.kind === "follow_up" ? reserved.binding : undefined)
    : retry === undefined || inexact !== undefined
    ? undefined
    : context.followUps.take(retry.requestState, digest, now);
  if (followUp !== undefined) {
    // The server's own round trip on a call already allowed: forwarded as sent.
    context.followUps.forwarded(request.requestId, {
      ...followUp,
      decisionId: request.verdict.decisionId,
      expiresAt: now + context.stateTtlMs,
    }, now);
    return {
      kind: "decided",
      outcome: {
        approved: true,
        kind: "approved",
        scope: "once",
        why: `${followUp.approver} allowed it once; this retry answers the server's own ` +
          "request for input on that call",
        channel: "follow-up",
        approver: followUp.approver,
        askedDecisionId: followUp.askedDecisionId,
        latencyMs: 0,
      },
    };
  }
  if (retry !== undefined && RequestStateSealer.isThoth(retry.requestState)) {
    const opened = await openState(context, retry.requestState, digest, now, reserved);
    const base = { channel: "elicitation" };
    if (!opened.ok) {
      return {
        kind: "decided",
        outcome: await refusedState(context, request, retry, opened.problem, now),
      };
    }
    // The answer belongs to the call that asked; the audit records it there.
    const asked = opened.claims.decisionId;
    if (inexact !== undefined) return refuseInexact(asked);
    const answered = {
      ...base,
      askedDecisionId: asked,
      ...(opened.claims.issuedAt === undefined
        ? {}
        : { latencyMs: Math.max(0, now - opened.claims.issuedAt) }),
    };
    const approver = context.approver(request);
    const reading = readElicitationResult(retry.response, context.allowSession);
    if (reading.kind !== "approve") {
      // Who answered is in the record (`approver`), not in these words for the model.
      const why = reading.kind === "deny"
        ? "a person denied it"
        : reading.kind === "cancel"
        ? "a person dismissed the approval prompt without approving"
        : `the client's approval answer could not be read (${reading.message})`;
      const kind = reading.kind === "deny"
        ? "denied"
        : reading.kind === "cancel"
        ? "dismissed"
        : "error";
      return { kind: "decided", outcome: { ...answered, approved: false, kind, approver, why } };
    }
    const id = context.grants.issue({
      digest: opened.claims.digest,
      scope: reading.scope,
      expiresAt: reading.scope === "session" ? Infinity : opened.claims.expiresAt,
      approver,
      channel: "elicitation",
    });
    const redeemed = context.grants.redeem(id, digest, now);
    if (redeemed.ok && reading.scope === "once") {
      context.followUps.forwarded(request.requestId, {
        digest,
        tool: call.tool,
        approver,
        decisionId: request.verdict.decisionId,
        askedDecisionId: asked,
        expiresAt: now + context.stateTtlMs,
      }, now);
    }
    if (!redeemed.ok) {
      const outcome: ApprovalOutcome & AnswerFacts = {
        ...answered,
        approved: false,
        kind: "error",
        approver,
        answer: personAnswer(reading),
        why: PROBLEM_WHY["other_arguments"]!,
      };
      return { kind: "decided", outcome };
    }
    const approved: ApprovalOutcome & AnswerFacts = {
      ...answered,
      approved: true,
      kind: "approved",
      scope: reading.scope,
      approver,
      said: personAnswer(reading),
      why: reading.scope === "session"
        ? `${approver} allowed it for this session`
        : `${approver} allowed it once`,
    };
    return {
      kind: "decided",
      outcome: approved,
      forwardParams: stripApprovalRetry(raw),
      ...(reading.scope === "session" ? { sessionGrant: id } : {}),
    };
  }
  if (inexact !== undefined && declaresStatelessElicitation(params)) return refuseInexact();
  // Held calls are forwarded as sent and asked about each time (no session grant covers them).
  const standing = inexact === undefined ? context.grants.sessionGrant(digest, now) : undefined;
  if (standing !== undefined) {
    return {
      kind: "decided",
      outcome: {
        approved: true,
        kind: "approved",
        scope: "grant",
        why: `${standing.approver} allowed this tool with these arguments for the session`,
        channel: "grant",
        approver: standing.approver,
        latencyMs: 0,
      },
    };
  }
  if (!declaresStatelessElicitation(params)) return { kind: "hold" };
  const question = {
    ...approvalQuestion(call, request.verdict, digest, context.safeFields(request)),
    ...(context.notes === undefined ? {} : { notes: context.notes }),
    // The client's retry with the answer counts until the request state expires.
    answerWithinMs: context.stateTtlMs,
  };
  const state = await (await context.sealer()).seal({
    digest,
    decisionId: request.verdict.decisionId,
    issuedAt: now,
    expiresAt: now + context.stateTtlMs,
  });
  return {
    kind: "input_required",
    result: inputRequiredResult(question, state, context.allowSession),
  };
}

/**
 * The retry was refused before its answer could count (`request.discarded`):
 * the answer it carries in thoth's state is read, the state spent, and the
 * answer recorded as not used, against the call that asked. A retry without
 * thoth's state carries no answer of a person's: nothing to record.
 */
async function discardedAnswer(
  context: StatelessContext,
  request: ApprovalRequest,
  retry: ApprovalRetry | undefined,
  digest: string,
  now: number,
  reserved: RetryReservation | "gone" | undefined,
): Promise<StatelessStep> {
  if (retry === undefined || !RequestStateSealer.isThoth(retry.requestState)) {
    return { kind: "none" };
  }
  const why = request.discarded!;
  const opened = await openState(context, retry.requestState, digest, now, reserved);
  const base = { channel: "elicitation", approved: false as const };
  if (!opened.ok) {
    const refused = await refusedState(context, request, retry, opened.problem, now);
    return { kind: "decided", outcome: { ...refused, why: `${refused.why}; ${why}` } };
  }
  const approver = context.approver(request);
  const reading = readElicitationResult(retry.response, context.allowSession);
  const said = reading.kind === "approve"
    ? "a yes"
    : reading.kind === "deny"
    ? "a no"
    : reading.kind === "cancel"
    ? "a dismissal"
    : "an unreadable answer";
  const outcome: ApprovalOutcome & AnswerFacts = {
    ...base,
    kind: reading.kind === "cancel" ? "dismissed" : reading.kind === "error" ? "error" : "denied",
    approver,
    answer: personAnswer(reading),
    askedDecisionId: opened.claims.decisionId,
    ...(opened.claims.issuedAt === undefined
      ? {}
      : { latencyMs: Math.max(0, now - opened.claims.issuedAt) }),
    why: `${approver} gave ${said}, which was not used: ${why}`,
  };
  return { kind: "decided", outcome };
}

/**
 * The outcome of a retry whose state did not open. A state this thoth
 * issued (its MAC holds) names the call that asked: a retry too late, or
 * for other arguments, is recorded against that call, with the answer the
 * person gave. A reused state is recorded against the retry alone (the
 * call that asked has its answer recorded already), and an altered, forged
 * or malformed one names no call of this session: an error either way,
 * never a person's denial.
 */
async function refusedState(
  context: StatelessContext,
  request: ApprovalRequest,
  retry: ApprovalRetry,
  problem: string,
  now: number,
): Promise<ApprovalOutcome & AnswerFacts> {
  const kind = PROBLEM_KIND[problem] ?? "error";
  const why = PROBLEM_WHY[problem] ?? "thoth refused the approval state the client sent back";
  const base = { channel: "elicitation", approved: false as const, kind, why };
  if (problem !== "expired" && problem !== "other_arguments") return base;
  const claims = await (await context.sealer()).authentic(retry.requestState);
  if (claims === undefined) return base;
  const approver = context.approver(request);
  return {
    ...base,
    approver,
    answer: personAnswer(readElicitationResult(retry.response, context.allowSession)),
    askedDecisionId: claims.decisionId,
    ...(claims.issuedAt === undefined ? {} : { latencyMs: Math.max(0, now - claims.issuedAt) }),
  };
}

/** Opens thoth's `state`, or takes the claims its recognition already spent it for. */
async function openState(
  context: StatelessContext,
  state: string,
  digest: string,
  now: number,
  reserved: RetryReservation | "gone" | undefined,
): Promise<OpenedState> {
  if (reserved !== undefined && reserved !== "gone" && reserved.kind === "answer") {
    return { ok: true, claims: reserved.claims };
  }
  return await (await context.sealer()).open(state, digest, now);
}
