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
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";

/** Makes a fresh, unique decision id. */
export type DecisionIdSource = () => string;

/** Decides ALLOW, BLOCK or STEP_UP for one tool call. */
export interface Enforcer {
  /** A short name shown in logs and audit records ("local", "remote", …). */
  readonly name?: string;
  decide(call: ToolCall, newDecisionId: DecisionIdSource): Verdict | Promise<Verdict>;
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

/** The stderr line for such a call. */
export function enforcerFailedNote(error: unknown): string {
  return `the enforcer failed, so the call was blocked: ${
    error instanceof Error ? error.message : String(error)
  }`;
}
