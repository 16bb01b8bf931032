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
import { discardedAnswer } from "./discarded_answer.ts";
import { standingGrantOutcome } from "./grant_facts.ts";
import { readElicitationResult } from "./elicitation_form.ts";
import { inexactNumber, inexactNumberWhy } from "./inexact_number.ts";
import {
  declaresStatelessElicitation,
  inputRequiredResult,
  readApprovalRetry,
  stripApprovalRetry,
} from "./input_required.ts";
import { type AnswerFacts, personAnswer } from "./person_answer.ts";
import { RequestStateSealer } from "./request_state.ts";
import { openState, PROBLEM_WHY, refusedState } from "./retry_state.ts";
import type { StatelessContext, StatelessStep } from "./stateless_context.ts";

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
  if (standing !== undefined) return { kind: "decided", outcome: standingGrantOutcome(standing) };
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
