/**
 * A decided call (or a tool a model chose) that did not happen because the
 * client had stopped reading thoth's output: neither sent to the server nor
 * answered to anyone who reads. Told by its decision id (`notCarriedOut`),
 * so that progressive mode takes back what it counted for it. A call
 * thoth forwarded, or answered while the client still read, stays counted.
 *
 * @example
 * ```ts
 * if (s.clientNotReading) notCarriedOut(s, verdict.decisionId);
 * ```
 */
import type { RelayState } from "./relay_state.ts";

/** Tells the decision `decisionId` as not carried out, once the client stopped reading. */
export function notCarriedOut(s: RelayState, decisionId: string | undefined): void {
  if (decisionId === undefined || !s.clientNotReading) return;
  s.opts.events?.notCarriedOut?.(decisionId);
}
