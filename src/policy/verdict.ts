/**
 * The answer of an enforcer for one tool call: pure data.
 *
 * @example
 * ```ts
 * const verdict: Verdict = {
 *   decision: "block",
 *   decisionId: "d-7f3a",
 *   ruleIds: ["fs-outside-data"],
 *   reasons: ["write outside /data"],
 * };
 * ```
 */

/** ALLOW, BLOCK or STEP_UP (human approval needed). */
export type Decision = "allow" | "block" | "step_up";

/** An enforcer's decision with the rules and reasons behind it. */
export interface Verdict {
  decision: Decision;
  /** A unique id for this decision, shown to the model and kept in the audit. */
  decisionId: string;
  /** Ids of the rules that produced the decision (empty when none matched). */
  ruleIds: string[];
  /** Human-readable reasons, one per rule or detector; never argument values. */
  reasons: string[];
}

/** Severity order: block > step_up > allow. */
export const DECISION_RANK: Readonly<Record<Decision, number>> = {
  allow: 0,
  step_up: 1,
  block: 2,
};

/**
 * Returns the more restrictive of two decisions.
 *
 * @example
 * ```ts
 * mostRestrictive("allow", "step_up"); // "step_up"
 * ```
 */
export function mostRestrictive(a: Decision, b: Decision): Decision {
  return DECISION_RANK[a] >= DECISION_RANK[b] ? a : b;
}
