/**
 * Decisions the enforcer gives later: bounded by the session's decision
 * deadline (see `decision_deadlines.ts`) and counted as held until they
 * come, and told as late (`RelayEvents.lateDecision`) when they come after
 * it or after their call ended; the enforcer the tools a model chose in a
 * sampling answer are decided by, bounded the same way.
 *
 * @example
 * ```ts
 * const enforcer = gateEnforcer(state, id); // a late decision is blocked, and told as late
 * ```
 */
import type { Enforcer } from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { EXPIRED } from "./decision_deadlines.ts";
import { decisionTimedOutVerdict } from "../enforcer/decision_timeout.ts";
import { decisionTimeoutNote, lateToolUseReason } from "./decision_timeout_texts.ts";
import { notedToolName } from "../enforcer/noted_tool_name.ts";
import { errorMessage } from "./relay_line_text.ts";
import type { RelayState } from "./relay_state.ts";

/** The reason recorded with a decision that came once its call had ended (see `toldLate`). */
export const ENDED_FIRST =
  "this decision came after the call had ended without reaching the server " +
  "(the client cancelled it or went away, or the session ended); it was not used, and the " +
  "call was not sent to the server";

/**
 * A decision the enforcer gives later, bounded by the session's deadline
 * (see `decision_deadlines.ts`) and counted as held (`holding`) until it
 * came or the deadline passed.
 */
export function boundedVerdict(
  s: RelayState,
  verdict: Promise<Verdict>,
  late?: (verdict: Verdict) => void,
): Promise<Verdict | typeof EXPIRED> {
  const bounded = s.deadlines.bound(verdict, late);
  s.opts.holding?.(bounded);
  return bounded;
}

/**
 * Tells of a decision that came too late to be used: after its deadline,
 * or once its call had ended (see `RelayEvents.lateDecision`).
 */
export function toldLate(
  s: RelayState,
  call: ToolCall,
  verdict: Verdict,
  id: JsonRpcId,
  reason: string,
): void {
  if (verdict.decision === "block") return;
  try {
    s.opts.events?.lateDecision?.(call, verdict, id, reason);
  } catch (error) {
    s.ports.note(`cannot record a decision that came too late: ${errorMessage(error)}`);
  }
}

/**
 * The enforcer for the tools a model chose in the answer `id` carries: its
 * later decisions are bounded too, and one that comes after its deadline
 * (the answer was refused by then) is told as late.
 */
export function gateEnforcer(s: RelayState, id: JsonRpcId): Enforcer {
  const inner = s.opts.enforcer;
  return {
    ...(inner.name === undefined ? {} : { name: inner.name }),
    decide: (call, newDecisionId) => {
      const verdict = inner.decide(call, newDecisionId);
      if (!(verdict instanceof Promise)) return verdict;
      const late = (v: Verdict) => toldLate(s, call, v, id, lateToolUseReason(s.deadlines.ms));
      return boundedVerdict(s, verdict, late).then((v) => {
        if (v !== EXPIRED) return v;
        const ms = s.deadlines.ms;
        const timedOut = decisionTimedOutVerdict(newDecisionId(), ms);
        s.ports.note(decisionTimeoutNote(
          `tool ${notedToolName(call)} chosen in an answer to the server's sampling request`,
          timedOut.decisionId,
          ms,
        ));
        return timedOut;
      });
    },
  };
}
