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
