/**
 * The interception seam: every `tools/call` passes one {@linkcode Enforcer}
 * before the relay may forward it. A decision may be returned synchronously
 * (the relay then keeps message order exactly) or as a promise.
 *
 * @example
 * ```ts
 * const allowAll: Enforcer = {
 *   decide: (_call, ids) => ({ decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] }),
 * };
 * ```
 */
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import type { ResourceGuard } from "./resource_guard.ts";

/**
 * What the relay found out about a call before deciding it: the call is the
 * client's retry of one thoth already asked a person about (stateless era),
 * carrying thoth's sealed `requestState` (`answer`), or the server's own
 * state for a call a person allowed (`follow_up`). Such a retry is the call
 * that asked, not a new one: it is decided at the rung of the decision that
 * asked and never counted again (see `LocalEnforcer`).
 */
export interface ApprovalRetryMark {
  kind: "answer" | "follow_up";
  /** The decision of the call that asked the person. */
  askedDecisionId: string;
}

/** A {@linkcode ToolCall} the relay may have marked as an approval retry. */
export type MarkedToolCall = ToolCall & { approvalRetry?: ApprovalRetryMark };

/** `call` marked as the retry `mark` describes (unchanged when there is none). */
export function markApprovalRetry(
  call: ToolCall,
  mark: ApprovalRetryMark | undefined,
): MarkedToolCall {
  return mark === undefined ? call : { ...call, approvalRetry: mark };
}

/** The retry mark `call` carries, if any. */
export function approvalRetryOf(call: ToolCall): ApprovalRetryMark | undefined {
  return (call as MarkedToolCall).approvalRetry;
}

/** Makes a fresh, unique decision id. */
export type DecisionIdSource = () => string;

/** Decides ALLOW, BLOCK or STEP_UP for one tool call. */
export interface Enforcer {
  /** A short name shown in logs and audit records ("local", "remote", …). */
  readonly name?: string;
  /**
   * The enforcement mode its verdicts apply, when it has one. The relay
   * reads only whether it is `observe` (every call forwarded whatever the
   * verdict), for a call it may forward undecidable otherwise.
   */
  readonly mode?: EnforcementMode;
  decide(call: ToolCall, newDecisionId: DecisionIdSource): Verdict | Promise<Verdict>;
  /**
   * Checks the params of a client request that reads or watches a resource
   * (`resources/read`, `resources/subscribe`), or gets a prompt with
   * arguments (`prompts/get`), against the files thoth protects in every
   * mode (see `resource_guard.ts`); absent, none is checked.
   */
  readonly guardResource?: ResourceGuard;
}

/**
 * The verdict on a call whose enforcer failed (threw, rejected, or could not
 * be recorded): blocked, under rule `enforcer.error`. Fail closed.
 */
export function enforcerFailedVerdict(decisionId: string): Verdict {
  return {
    decision: "block",
    decisionId,
    ruleIds: ["enforcer.error"],
    reasons: ["the policy enforcer failed; thoth fails closed"],
  };
}

/**
 * Why such a call was blocked, as the reason of its stderr block line
 * (`blockNote`: the tool, server, decision id and, once recorded, the
 * `audit show` command that finds it); the cause stays off the verdict,
 * which the model hears.
 */
export function enforcerFailedNote(error: unknown): string {
  return `the enforcer failed, so the call was blocked: ${
    error instanceof Error ? error.message : String(error)
  }`;
}
