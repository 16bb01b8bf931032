/**
 * What is said of a call whose decision did not come in time (see
 * `decision_timeout.ts`): the answer the model gets, the one stderr line for
 * the person at the machine, and the reason recorded when the decision comes
 * after all, too late to be used. Pure text.
 *
 * @example
 * ```ts
 * decisionTimeoutText({ server: "fs", tool: "write_file", decisionId: "d-1" }, 15_000);
 * // 'thoth did not run tool "write_file" on server "fs": its decision did not come within 15 s …'
 * ```
 */
import { DECISION_TIMEOUT_RULE } from "../enforcer/decision_timeout.ts";
import { shownName } from "../approval/shown_name.ts";
import { secondsText } from "../platform/take_lock_patiently.ts";
import { hiddenToolName } from "./hidden_tool_name.ts";

/** What the texts name of the call. */
export interface TimedOutCall {
  server: string;
  tool: string;
  /** Whether a `tools/list` named the tool; absent: it did not. */
  listed?: boolean;
  /** The decision id of thoth's block (the one the client is told). */
  decisionId: string;
}

/**
 * The answer the model gets: what happened (no decision in time, so the call
 * did not run), that it is neither a tool failure nor the policy's verdict,
 * and what to do (not retry at once; tell the user, whose remedy is on
 * thoth's stderr). Echoes no argument values. A tool name no `tools/list`
 * named that the secret, PII or PHI detectors flag (a token the model put
 * where a tool name goes) is not quoted back: the answer is kept in the
 * conversation and the client's logs, so it shows the hidden form, its
 * length alone (`#k:(40)`, see `hidden_tool_name.ts`; the decision's record
 * adds the keyed digest).
 */
export function decisionTimeoutText(call: TimedOutCall, ms: number): string {
  const tool = hiddenToolName({ tool: call.tool, listed: call.listed === true }, [], undefined)
    ?.tool ?? call.tool;
  return `thoth did not run tool ${shownName(tool)} on server ${
    shownName(call.server)
  }: its decision did not come within ${secondsText(ms)} (rule "${DECISION_TIMEOUT_RULE}"), ` +
    `and thoth runs no call it has not decided. Decision ${call.decisionId}. This is neither ` +
    "a tool failure nor a policy decision: do not retry this call right away; tell the user " +
    "that thoth could not decide it in time and that thoth's messages in the MCP client's " +
    "log say why.";
}

/**
 * The stderr line: which call (`what`, e.g. `tools/call 3 (tool "x")`), what
 * thoth did, and where to look. The decision is the enforcer's verdict and
 * its audit record, so either may be the one that is stuck.
 */
export function decisionTimeoutNote(what: string, decisionId: string, ms: number): string {
  return `blocked ${what}: its decision did not come within ${secondsText(ms)}, so thoth ` +
    `fails closed (rule ${DECISION_TIMEOUT_RULE}, decision ${decisionId}) and will not use ` +
    "a decision that comes later; the policy enforcer, or the disk that holds the audit " +
    'spool, may be stuck: run "thoth doctor"';
}

/**
 * The reason recorded with a decision that came after the deadline (its own
 * record may say the call was forwarded or put to a person): it was not used.
 */
export function lateDecisionReason(ms: number): string {
  return `this decision came after the ${secondsText(ms)} deadline, when thoth had already ` +
    `blocked the call (rule ${DECISION_TIMEOUT_RULE}); it was not used, and the call was not ` +
    "sent to the server";
}

/**
 * The reason recorded with the decision on a tool a model chose in a
 * sampling answer, when it came after the deadline: thoth had refused the
 * answer by then, so the tool did not run.
 */
export function lateToolUseReason(ms: number): string {
  return `this decision came after the ${secondsText(ms)} deadline, when thoth had already ` +
    `refused the sampling answer that chose the tool (rule ${DECISION_TIMEOUT_RULE}); it was ` +
    "not used, and the tool did not run";
}
