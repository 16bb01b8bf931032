/**
 * A verdict on a `tools/call` settled: an allowed call released, a blocked
 * one answered (after a stateless retry's carried answer is recorded), and
 * one that needs a person held while the approver asks, in the session era
 * (`heldApproval`) or the stateless era (`statelessApproval`).
 *
 * @example
 * ```ts
 * const forward = settle(state, call, verdict, message, key, undefined, undefined);
 * ```
 */
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import { idKey } from "../protocol/jsonrpc_id.ts";
import type { RequestMessage } from "../protocol/jsonrpc_message.ts";
import { isTaskAugmented } from "../protocol/mcp_shapes.ts";
import {
  blockedText,
  encodeLine,
  notApprovedText,
  refusedCallAnswer,
} from "../protocol/responses.ts";
import { isDecisionTimeout } from "../enforcer/decision_timeout.ts";
import { decisionTimeoutText } from "./decision_timeout_texts.ts";
import { hiddenToolName } from "./hidden_tool_name.ts";
import { carriesRequestState } from "./relay_requests.ts";
import type {
  ApprovalOutcome,
  ApprovalRequest,
  Approver,
  StatelessApprovalStep,
} from "./relay_types.ts";
import { answerCall, release } from "./relay_call_release.ts";
import { ENDED_FIRST, toldLate } from "./relay_decision_bounds.ts";
import { errorMessage } from "./relay_line_text.ts";
import { channel } from "./relay_own_client_requests.ts";
import { approvalStage, clientLeftReason } from "./relay_shutdown.ts";
import type { CallRefusal, Forward, Held, RelayState } from "./relay_state.ts";

export function settle(
  s: RelayState,
  call: ToolCall,
  verdict: Verdict,
  message: RequestMessage,
  key: string,
  held: Held | undefined,
  progressToken: string | number | undefined,
): Forward {
  const id = message.id;
  if (held?.cancelled) {
    // Its record (the audit wrapper's, written as it decided) may say "forwarded".
    toldLate(s, call, verdict, id, ENDED_FIRST);
    return false;
  }
  // A token the client uses again names a new call: none of thoth's earlier progress counts.
  if (progressToken !== undefined) s.progressSent.delete(idKey(progressToken));
  s.opts.events?.decision?.(call, verdict, id);
  const task = isTaskAugmented(message.params);
  if (verdict.decision === "allow") {
    return release(s, {
      call,
      decisionId: verdict.decisionId,
      id,
      key,
      held,
      progressToken: undefined,
      task,
    }, message.params);
  }
  // The model gets a flagged unlisted tool name (a token put where a tool name goes) in its
  // hidden form only, in the name and in the reasons that quote it: the answer stays in the
  // conversation and the client's logs.
  const hidden = hiddenToolName(call, verdict.reasons, undefined);
  const facts: CallRefusal = {
    server: call.server,
    tool: hidden?.tool ?? call.tool,
    ruleIds: verdict.ruleIds,
    reasons: hidden?.reasons ?? verdict.reasons,
    decisionId: verdict.decisionId,
    task,
  };
  const approver = s.opts.approver;
  if (verdict.decision === "block") {
    const text = isDecisionTimeout(verdict)
      ? decisionTimeoutText({ ...facts, listed: call.listed }, s.deadlines.ms)
      : blockedText(facts);
    const blocked = refusedCallAnswer(id, text, facts.task);
    if (call.era === "stateless" && approver?.stateless && carriesRequestState(message.params)) {
      return discardAnswer(s, approver, call, verdict, message, key, held, blocked);
    }
    return answerCall(s, key, held, id, blocked, verdict.decisionId);
  }
  if (approver === undefined) {
    return answerCall(
      s,
      key,
      held,
      id,
      refusedCallAnswer(
        id,
        notApprovedText(facts, "no approval channel is available here"),
        facts.task,
      ),
      verdict.decisionId,
    );
  }
  const waiting: Held = held ?? { id, tool: call.tool, cancelled: false };
  const abort = new AbortController();
  waiting.abort = abort;
  waiting.decisionId = verdict.decisionId;
  if (progressToken !== undefined) waiting.progressKey = idKey(progressToken);
  s.held.set(key, waiting);
  const request: ApprovalRequest = {
    call,
    verdict,
    requestId: id,
    progressToken,
    signal: abort.signal,
    client: channel(s),
    stage: (stage) => approvalStage(s, key, waiting, stage),
  };
  // Decided after the client closed its input: no one may be asked for a client that has
  // left. The approver hears the call with its signal aborted: a grant from earlier in the
  // session, or an answer the call already carries (a stateless retry), still decides it;
  // anything that would ask a person is not approved, and recorded as cancelled.
  if (s.clientInputClosed) abort.abort(clientLeftReason(s));
  if (call.era === "stateless" && approver.stateless !== undefined) {
    return statelessApproval(s, approver, request, message, key, waiting, facts);
  }
  return heldApproval(s, approver, request, key, waiting, facts, message.params);
}

/**
 * A stateless retry the enforcer blocked may carry a person's answer to
 * thoth's question: the approver records it (as not used) before the
 * block is answered, so no answer goes unrecorded.
 */
function discardAnswer(
  s: RelayState,
  approver: Approver,
  call: ToolCall,
  verdict: Verdict,
  message: RequestMessage,
  key: string,
  held: Held | undefined,
  blocked: Uint8Array,
): Forward {
  const id = message.id;
  const waiting: Held = held ?? { id, tool: call.tool, cancelled: false };
  s.held.set(key, waiting);
  const request: ApprovalRequest = {
    call,
    verdict,
    requestId: id,
    progressToken: undefined,
    signal: new AbortController().signal,
    client: channel(s),
    discarded: `thoth blocked the call that carried it (${
      verdict.ruleIds.length > 0 ? `rule ${verdict.ruleIds.join(", ")}` : "policy"
    })`,
  };
  let step: Promise<unknown>;
  try {
    step = approver.stateless!(request, message.params);
  } catch (error) {
    step = Promise.reject(error);
  }
  return step.then(
    () => {},
    (error) =>
      s.ports.note(
        `cannot record the answer a blocked retry carried: ${errorMessage(error)}`,
      ),
  ).then(() =>
    waiting.cancelled ? false : answerCall(s, key, waiting, id, blocked, verdict.decisionId)
  );
}

/** The stateless era: answer with `input_required`, or settle the client's retry. */
function statelessApproval(
  s: RelayState,
  approver: Approver,
  request: ApprovalRequest,
  message: RequestMessage,
  key: string,
  waiting: Held,
  facts: CallRefusal,
): Forward {
  const id = message.id;
  let step: Promise<StatelessApprovalStep>;
  waiting.stepping = true;
  try {
    step = approver.stateless!(request, message.params);
  } catch (error) {
    step = Promise.reject(error);
  }
  return step.then((next): Forward => {
    waiting.stepping = false;
    if (waiting.cancelled) {
      // Cancelled by the client meanwhile: a person's answer the step spent is still recorded.
      if (next.kind === "decided") {
        s.opts.events?.approval?.(request.call, request.verdict, next.outcome);
      }
      return false;
    }
    // The client closed its input while the step was decided: nobody may be asked now.
    if (s.clientInputClosed && !request.signal.aborted) {
      waiting.abort?.abort(clientLeftReason(s));
    }
    // A question for a client that has closed its input could never be answered: the
    // approver decides without it (a grant still counts; else not approved, recorded).
    const asksGoneClient = next.kind === "input_required" && request.signal.aborted;
    if (next.kind === "hold" || next.kind === "none" || asksGoneClient) {
      return heldApproval(s, approver, request, key, waiting, facts, message.params);
    }
    if (next.kind === "input_required") {
      return answerCall(
        s,
        key,
        waiting,
        id,
        encodeLine({ jsonrpc: "2.0", id, result: next.result }),
      );
    }
    s.opts.events?.approval?.(request.call, request.verdict, next.outcome);
    if (!next.outcome.approved) {
      return answerCall(
        s,
        key,
        waiting,
        id,
        refusedCallAnswer(id, notApprovedText(facts, next.outcome), facts.task),
      );
    }
    const task = isTaskAugmented(next.forwardParams ?? message.params);
    const forwardParams = next.forwardParams;
    const released = release(s, {
      call: request.call,
      decisionId: request.verdict.decisionId,
      id,
      key,
      held: waiting,
      progressToken: request.progressToken,
      task,
    }, forwardParams ?? message.params);
    const send = (ok: boolean): boolean => {
      if (!ok || forwardParams === undefined) return ok;
      // The retry without thoth's own fields: the server never asked for them. The
      // id is the client's as written (an integer past 2^53 keeps its digits).
      s.ports.toServer(encodeLine({ ...message.value, id, params: forwardParams }));
      return false;
    };
    return released instanceof Promise ? released.then(send) : send(released);
  }, (error) => {
    waiting.stepping = false;
    return answerCall(
      s,
      key,
      waiting,
      id,
      refusedCallAnswer(
        id,
        notApprovedText(facts, `the approval channel failed (${errorMessage(error)})`),
        facts.task,
      ),
    );
  });
}

/** Holds the call while a person is asked through the approver's channels. */
function heldApproval(
  s: RelayState,
  approver: Approver,
  request: ApprovalRequest,
  key: string,
  waiting: Held,
  facts: CallRefusal,
  params: unknown,
): Forward {
  const { call, verdict, requestId: id } = request;
  uncountWhileAsked(s, key);
  let asked: Promise<ApprovalOutcome>;
  try {
    asked = approver(request);
  } catch (error) {
    asked = Promise.reject(error);
  }
  return asked.then(
    (outcome) => outcome,
    (error): { approved: false; why: string } => ({
      approved: false,
      why: `the approval channel failed (${
        error instanceof Error ? error.message : String(error)
      })`,
    }),
  ).then((outcome) => {
    if (waiting.cancelled) return false;
    s.opts.events?.approval?.(call, verdict, outcome);
    if (outcome.approved) {
      return release(s, {
        call,
        decisionId: verdict.decisionId,
        id,
        key,
        held: waiting,
        progressToken: request.progressToken,
        task: facts.task,
      }, params);
    }
    return answerCall(
      s,
      key,
      waiting,
      id,
      refusedCallAnswer(id, notApprovedText(facts, outcome), facts.task),
    );
  });
}

/**
 * A call that waits for a person no longer counts against the bytes held
 * for the server: a person, not the pipe, paces those calls, and the
 * client's input must be read meanwhile (its answer to an approval form,
 * a cancellation of the call, a ping). Once approved, its line counts
 * again as a write the server has not taken. It leaves the call line
 * too: the calls sent after it are written in their turn without it.
 */
function uncountWhileAsked(s: RelayState, key: string): void {
  // Nor do the calls sent after it wait for a person: it leaves the call line.
  if (s.callLine.size > 0) s.callLine.excuse(key);
  const hold = s.lineHolds.get(key);
  if (hold === undefined || !hold.counted) return;
  hold.counted = false;
  s.opts.heldBytes?.remove(hold.size);
}
