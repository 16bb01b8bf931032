/**
 * The verdict on a call whose decision did not come in time: an enforcer
 * that answers later (a promise) and has not answered by the deadline is
 * taken as stuck, and the call is blocked under rule
 * {@linkcode DECISION_TIMEOUT_RULE}. Fail closed: a decision that comes
 * after is never used. Pure data and a constant.
 *
 * @example
 * ```ts
 * decisionTimedOutVerdict("d-1", DEFAULT_DECISION_DEADLINE_MS);
 * // { decision: "block", ruleIds: ["thoth.decision_timeout"], reasons: ["… within 15 s …"], … }
 * ```
 */
import type { Verdict } from "../policy/verdict.ts";
import { secondsText } from "../platform/take_lock_patiently.ts";

/** The rule a call is blocked under when its decision did not come in time. */
export const DECISION_TIMEOUT_RULE = "thoth.decision_timeout";

/**
 * How long a decision that comes later may take, by default: 15 s. A
 * decision is the policy's verdict and its audit record. Local verdicts take
 * microseconds, or up to 5 s while the progressive counters' lock is held
 * (that wait blocks the call itself, with its own remedy, and must end
 * first); a synced record takes milliseconds, seconds on a slow disk; a
 * remote enforcer, a network round trip. Past 15 s the decision is stuck,
 * not slow, and the client is told so well before its own request timeout
 * (60 s in the MCP SDKs) would end the call without a word of why. A
 * person's approval (STEP_UP) is not part of it: that wait has its own
 * timeout (`--approval-timeout`).
 */
export const DEFAULT_DECISION_DEADLINE_MS = 15_000;

/** The verdict on a call whose decision did not come within `ms`: blocked. */
export function decisionTimedOutVerdict(decisionId: string, ms: number): Verdict {
  return {
    decision: "block",
    decisionId,
    ruleIds: [DECISION_TIMEOUT_RULE],
    reasons: [`the decision did not come within ${secondsText(ms)}; thoth fails closed`],
  };
}

/** Whether `verdict` is thoth's own block of a call whose decision did not come in time. */
export function isDecisionTimeout(verdict: Verdict): boolean {
  return verdict.ruleIds.length === 1 && verdict.ruleIds[0] === DECISION_TIMEOUT_RULE;
}
