/**
 * The enforcer that allows every call: what `thoth run` uses when no policy
 * governs the server.
 *
 * @example
 * ```ts
 * const verdict = allowAllEnforcer.decide(call, () => "d-1"); // { decision: "allow", … }
 * ```
 */
import type { Enforcer } from "./enforcer.ts";

/** Allows everything, synchronously, so the relay keeps message order exactly. */
export const allowAllEnforcer: Enforcer = {
  name: "allow-all",
  decide: (_call, newDecisionId) => ({
    decision: "allow",
    decisionId: newDecisionId(),
    ruleIds: [],
    reasons: [],
  }),
};
