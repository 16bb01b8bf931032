/**
 * The request state a client's stateless retry carries: opened (or the
 * claims its recognition already spent it for), and, when it does not open,
 * the outcome recorded for it: an error or a timeout, never a person's
 * denial.
 *
 * @example
 * ```ts
 * const opened = await openState(context, retry.requestState, digest, now, reserved);
 * if (!opened.ok) return await refusedState(context, request, retry, opened.problem, now);
 * ```
 */
import type { ApprovalOutcome, ApprovalRequest } from "../proxy/relay_session.ts";
import { readElicitationResult } from "./elicitation_form.ts";
import type { ApprovalRetry } from "./input_required.ts";
import { type AnswerFacts, personAnswer } from "./person_answer.ts";
import type { OpenedState } from "./request_state.ts";
import type { RetryReservation } from "./retry_reservations.ts";
import type { StatelessContext } from "./stateless_context.ts";

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

/** What the record says of each problem of a retried state, as its `why`. */
export const PROBLEM_WHY: Record<string, string> = {
  malformed: "the approval state the client sent back is malformed",
  bad_mac: "the approval state the client sent back was altered or not issued by this thoth",
  expired: "the approval state expired before the call was retried",
  used: "the approval state was already used once",
  other_arguments: "the approval given was for different arguments, so thoth refused it",
};

/**
 * The outcome of a retry whose state did not open. A state this thoth
 * issued (its MAC holds) names the call that asked: a retry too late, or
 * for other arguments, is recorded against that call, with the answer the
 * person gave. A reused state is recorded against the retry alone (the
 * call that asked has its answer recorded already), and an altered, forged
 * or malformed one names no call of this session: an error either way,
 * never a person's denial.
 */
export async function refusedState(
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
export async function openState(
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
