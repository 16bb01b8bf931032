/**
 * Audit records for the calls thoth blocks itself when their decision did
 * not come in time (`thoth.decision_timeout`, see `decision_deadlines.ts`).
 * The audit writes a call's decision record as its enforcer decides, inside
 * the enforcer it wraps; such a call's enforcer never answered, so there is
 * none. These relay events write it when the relay tells of the block (a
 * `tools/call`'s decision, or a tool a model chose in a sampling answer),
 * through that same wrapper, so it is a decision record like any other
 * block's: verdict block, effect blocked, the rule, the decision id the
 * client was given, and the call's argument digest.
 *
 * @example
 * ```ts
 * const events = withTimeoutRecords(audit.events(), audit, note);
 * ```
 */
import { isDecisionTimeout } from "../enforcer/decision_timeout.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import type { RelayEvents } from "./relay_session.ts";
import type { SessionAudit } from "./session_audit.ts";

/** `events`, which also record each call thoth blocked at its decision deadline in `audit`. */
export function withTimeoutRecords(
  events: RelayEvents,
  audit: Pick<SessionAudit, "wrapEnforcer">,
  note: (message: string) => void,
): RelayEvents {
  const failed = (error: unknown) =>
    note(
      `cannot record a call blocked at its decision deadline: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  const record = (call: ToolCall, verdict: Verdict) => {
    if (!isDecisionTimeout(verdict)) return;
    try {
      const recorder = audit.wrapEnforcer({ name: "thoth", decide: () => verdict });
      const recorded = recorder.decide(call, () => verdict.decisionId);
      if (recorded instanceof Promise) recorded.catch(failed);
    } catch (error) {
      failed(error);
    }
  };
  return {
    ...events,
    decision: (call, verdict, requestId) => {
      record(call, verdict);
      events.decision?.(call, verdict, requestId);
    },
    // Before the audit forgets which sampling request chose the tool: the record names it.
    toolUseEnded: (call, verdict, samplingRequestId, forwarded) => {
      record(call, verdict);
      events.toolUseEnded?.(call, verdict, samplingRequestId, forwarded);
    },
  };
}
