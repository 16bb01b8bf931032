/**
 * The stateless step of a retry refused before its answer could count
 * (`request.discarded`): the person's answer it carries is recorded as not
 * used, against the call that asked.
 *
 * @example
 * ```ts
 * if (request.discarded !== undefined) {
 *   return discardedAnswer(context, request, retry, digest, now, reserved);
 * }
 * ```
 */
import type { ApprovalOutcome, ApprovalRequest } from "../proxy/relay_session.ts";
import { readElicitationResult } from "./elicitation_form.ts";
import type { ApprovalRetry } from "./input_required.ts";
import { type AnswerFacts, personAnswer } from "./person_answer.ts";
import { RequestStateSealer } from "./request_state.ts";
import type { RetryReservation } from "./retry_reservations.ts";
import { openState, refusedState } from "./retry_state.ts";
import type { StatelessContext, StatelessStep } from "./stateless_context.ts";

/**
 * The retry was refused before its answer could count (`request.discarded`):
 * the answer it carries in thoth's state is read, the state spent, and the
 * answer recorded as not used, against the call that asked. A retry without
 * thoth's state carries no answer of a person's: nothing to record.
 */
export async function discardedAnswer(
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
