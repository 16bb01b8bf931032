/**
 * The stateless (2026-07-28) step-up decision for one held `tools/call`:
 * reuse a session grant, open the approval the client's retry carries, ask
 * for approval with an `input_required` result, or tell the relay to hold
 * the call and use the ordinary channels (dialog, queue) because the client
 * cannot elicit. Called through `SessionApprover.stateless`.
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
import {
  declaresStatelessElicitation,
  inputRequiredResult,
  readApprovalRetry,
  stripApprovalRetry,
} from "./input_required.ts";
import { RequestStateSealer } from "./request_state.ts";

/** What the relay does with a stateless STEP_UP. */
export type StatelessStep =
  /** Answer the call with this `result` (an `input_required` result); forward nothing. */
  | { kind: "input_required"; result: Record<string, unknown> }
  /**
   * Decided: when approved, forward the call with `forwardParams` (thoth's
   * retry fields removed; re-serialized); otherwise answer with `outcome.why`.
   */
  | { kind: "decided"; outcome: ApprovalOutcome; forwardParams?: Record<string, unknown> }
  /** The client cannot elicit: hold the call and call the approver as usual. */
  | { kind: "hold" };

/** What {@linkcode statelessStep} needs from its approver. */
export interface StatelessContext {
  grants: GrantStore;
  sealer: () => Promise<RequestStateSealer>;
  /** Who answers at the client. */
  approver: () => string;
  allowSession: boolean;
  safeFields: (request: ApprovalRequest) => readonly string[];
  /** How long a person has to answer before the retry is refused. */
  stateTtlMs: number;
  now: () => number;
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
  const retry = readApprovalRetry(params);
  const raw = params !== null && typeof params === "object" && !Array.isArray(params)
    ? params as Record<string, unknown>
    : {};
  if (retry !== undefined && RequestStateSealer.isThoth(retry.requestState)) {
    const opened = await (await context.sealer()).open(retry.requestState, digest, now);
    const base = { channel: "elicitation" };
    if (!opened.ok) {
      return {
        kind: "decided",
        outcome: { ...base, approved: false, why: PROBLEM_WHY[opened.problem] ?? "refused" },
      };
    }
    const approver = context.approver();
    const reading = readElicitationResult(retry.response, context.allowSession);
    if (reading.kind !== "approve") {
      const why = reading.kind === "deny"
        ? `a person (${approver}) denied it`
        : reading.kind === "cancel"
        ? `a person (${approver}) dismissed the approval prompt without approving`
        : `the client's approval answer could not be read (${reading.message})`;
      return { kind: "decided", outcome: { ...base, approved: false, approver, why } };
    }
    const id = context.grants.issue({
      digest: opened.claims.digest,
      scope: reading.scope,
      expiresAt: reading.scope === "session" ? Infinity : opened.claims.expiresAt,
      approver,
      channel: "elicitation",
    });
    const redeemed = context.grants.redeem(id, digest, now);
    if (!redeemed.ok) {
      return {
        kind: "decided",
        outcome: { ...base, approved: false, approver, why: PROBLEM_WHY["other_arguments"]! },
      };
    }
    return {
      kind: "decided",
      outcome: {
        ...base,
        approved: true,
        approver,
        why: reading.scope === "session"
          ? `${approver} allowed it for this session`
          : `${approver} allowed it once`,
      },
      forwardParams: stripApprovalRetry(raw),
    };
  }
  const standing = context.grants.sessionGrant(digest, now);
  if (standing !== undefined) {
    return {
      kind: "decided",
      outcome: {
        approved: true,
        why: `${standing.approver} allowed this tool with these arguments for the session`,
        channel: "grant",
        approver: standing.approver,
        latencyMs: 0,
      },
    };
  }
  if (!declaresStatelessElicitation(params)) return { kind: "hold" };
  const question = approvalQuestion(call, request.verdict, digest, context.safeFields(request));
  const state = await (await context.sealer()).seal({
    digest,
    decisionId: request.verdict.decisionId,
    expiresAt: now + context.stateTtlMs,
  });
  return {
    kind: "input_required",
    result: inputRequiredResult(question, state, context.allowSession),
  };
}
