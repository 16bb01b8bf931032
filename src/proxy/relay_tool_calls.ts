/**
 * A client's `tools/call` up to its verdict: its params read, the server's
 * tools listed first when the client has not (see `relay_own_listing.ts`;
 * when that would come before the server's handshake, refused, or in
 * observe mode decided with the annotations unknown), a
 * stateless retry recognised, the enforcer asked, and a verdict that comes
 * later bounded by the session's decision deadline (told as late when it
 * comes after it, see `relay_decision_bounds.ts`). `relay_call_approval.ts`
 * settles the verdict.
 *
 * @example
 * ```ts
 * const forward = toolCall(state, message, idKey(message.id)); // true, false or pending
 * ```
 */
import {
  enforcerFailedNote,
  enforcerFailedVerdict,
  markApprovalRetry,
} from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { RequestMessage } from "../protocol/jsonrpc_message.ts";
import { buildToolCall } from "../protocol/build_tool_call.ts";
import { CALL_PARAMS_KEYS, caseVariantKey } from "../protocol/key_case.ts";
import { isPlainObject, readToolCallParams, requestEra } from "../protocol/mcp_shapes.ts";
import { errorResponse, RPC_INVALID_PARAMS, RPC_INVALID_REQUEST } from "../protocol/responses.ts";
import { blockNote } from "./block_note.ts";
import { EXPIRED } from "./decision_deadlines.ts";
import { decisionTimedOutVerdict } from "../enforcer/decision_timeout.ts";
import { decisionTimeoutNote, lateDecisionReason } from "./decision_timeout_texts.ts";
import { notedToolName } from "../enforcer/noted_tool_name.ts";
import { hiddenToolName } from "./hidden_tool_name.ts";
import { shownText } from "./relay_line_text.ts";
import { readProgressToken } from "./relay_requests.ts";
import type { Approver } from "./relay_types.ts";
import { settle } from "./relay_call_approval.ts";
import { recordRefusal, refuseInvalid } from "./relay_client_refusals.ts";
import { boundedVerdict, ENDED_FIRST, toldLate } from "./relay_decision_bounds.ts";
import { exactOf } from "./relay_exact_ids.ts";
import {
  BEFORE_INITIALIZE,
  INITIALIZE_UNANSWERED,
  INITIALIZE_WAIT,
  listTools,
} from "./relay_own_listing.ts";
import type { Forward, Held, ListedCall, RelayState } from "./relay_state.ts";

/**
 * `listed`: a call resumed after thoth listed the tools for it: its exact
 * arguments (read while its line was routed: they are not known later),
 * and why the listing failed, when it did.
 */
export function toolCall(
  s: RelayState,
  message: RequestMessage,
  key: string,
  listed?: ListedCall,
): Forward {
  const variant = isPlainObject(message.params)
    ? caseVariantKey(message.params, CALL_PARAMS_KEYS)
    : undefined;
  if (variant !== undefined) {
    return refuseInvalid(
      s,
      `a tools/call whose params have the key ${JSON.stringify(variant)}`,
      message,
    );
  }
  const params = readToolCallParams(message.params);
  if (!params.ok) {
    s.ports.note(
      `refused an uninspectable tools/call (id ${JSON.stringify(message.id)}): ${params.problem}`,
    );
    s.ports.toClient(
      errorResponse(message.id, RPC_INVALID_PARAMS, `Invalid params: ${params.problem}`),
    );
    recordRefusal(s, message.value, message.id, `an uninspectable tools/call: ${params.problem}`);
    return false;
  }
  const { era, protocolVersion } = requestEra(message.params, s.negotiatedVersion);
  let exactArguments = listed?.arguments;
  if (listed === undefined) {
    const exact = exactOf(s, message.value);
    const exactParams = isPlainObject(exact) ? exact["params"] : undefined;
    exactArguments = isPlainObject(exactParams) ? exactParams["arguments"] : undefined;
  }
  if (
    listed === undefined &&
    (!s.toolsListSeen || (s.toolsListPartial && !s.tools.has(params.name)))
  ) {
    // A call before the client listed the tools, in either era, with or without an
    // initialize, or to a tool that may be on a page of the list the client did not
    // fetch: their annotations (which the policy reads: destructiveHint,
    // readOnlyHint) are asked for first, or no rule on them could match. Not in the
    // initialize era before the server answered an initialize (see `listTools`).
    const stateless = era === "stateless";
    if (!stateless && !s.initializeAnswered && !s.handshake.inFlight) {
      return beforeInitialize(s, message, key, params.name, exactArguments, false);
    }
    const listing = listTools(s, stateless ? protocolVersion : undefined);
    const held: Held = { id: message.id, tool: params.name, cancelled: false };
    s.held.set(key, held);
    const decided = listing.then((listingFailure): Forward => {
      if (held.cancelled) return false;
      s.held.delete(key);
      if (listingFailure === BEFORE_INITIALIZE || listingFailure === INITIALIZE_UNANSWERED) {
        const waited = listingFailure === INITIALIZE_UNANSWERED;
        return beforeInitialize(s, message, key, params.name, exactArguments, waited);
      }
      return toolCall(s, message, key, { arguments: exactArguments, listingFailure });
    });
    s.opts.holding?.(decided);
    return decided;
  }
  const annotations = s.tools.get(params.name);
  let call: ToolCall = buildToolCall({
    server: s.opts.server,
    tool: params.name,
    arguments: params.arguments,
    exactArguments,
    annotations,
    listed: annotations !== undefined,
    era,
    protocolVersion,
  });
  // The listing failed: the annotations are unknown, and the policy fails closed on that.
  if (listed?.listingFailure !== undefined) {
    call = { ...call, listingFailure: listed.listingFailure };
  }
  const progressToken = readProgressToken(message.params);
  // A stateless retry carrying the answer to thoth's own question is that
  // call, not a new one: the enforcer is told before it decides (and counts).
  let retry: ReturnType<NonNullable<Approver["recogniseRetry"]>>;
  try {
    retry = call.era === "stateless"
      ? s.opts.approver?.recogniseRetry?.(call, message.params)
      : undefined;
  } catch {
    retry = undefined;
  }
  if (retry instanceof Promise) {
    const held: Held = { id: message.id, tool: params.name, cancelled: false };
    s.held.set(key, held);
    return retry.catch(() => undefined).then((mark) =>
      held.cancelled
        ? false
        : decide(s, markApprovalRetry(call, mark), message, key, held, progressToken)
    );
  }
  return decide(s, markApprovalRetry(call, retry), message, key, undefined, progressToken);
}

/**
 * A call that needs thoth's listing of the tools (the client listed none)
 * in the `initialize` era, before the server answered an `initialize`
 * (`waited`: one was on its way, unanswered after thoth's wait): thoth asks
 * a server nothing before its handshake, so it cannot list the tools. In
 * observe mode, which forwards every call, it is decided as a call whose
 * listing failed (its annotations unknown), with a reason naming that it
 * came before initialize, and recorded and forwarded as that mode does. In
 * every other mode it is refused: answered `-32600`, said on stderr and
 * recorded; never forwarded.
 */
function beforeInitialize(
  s: RelayState,
  message: RequestMessage,
  key: string,
  tool: string,
  exactArguments: unknown,
  waited: boolean,
): Forward {
  const wait = waited ? ` (thoth waited ${INITIALIZE_WAIT})` : "";
  // No tools/list named it yet: a name the detectors flag is not written out.
  const unlisted = notedToolName({ tool, listed: false });
  if (s.opts.enforcer.mode === "observe") {
    s.ports.note(
      `tools/call ${shownText(message.id)} (tool ${unlisted}) came before the server ` +
        `answered an initialize${wait}: thoth asks a server nothing before its handshake, so ` +
        "it decided the call with the tool's annotations unknown; observe mode forwards it",
    );
    return toolCall(s, message, key, {
      arguments: exactArguments,
      listingFailure: `the call came before the server answered an initialize${wait}, and ` +
        "thoth asks a server nothing before its handshake",
    });
  }
  s.ports.note(
    `refused tools/call ${shownText(message.id)} (tool ${unlisted}): it came before ` +
      `the server answered an initialize${wait}, so thoth could not list the server's tools ` +
      "to decide it (it asks a server nothing before its handshake); it was not forwarded",
  );
  s.ports.toClient(errorResponse(
    message.id,
    RPC_INVALID_REQUEST,
    `Invalid Request: thoth refused this tools/call: it came ${
      waited ? `before the server answered initialize${wait}` : "before initialize"
    }. Send initialize and wait for its answer before calling tools.`,
  ));
  recordRefusal(
    s,
    message.value,
    message.id,
    waited
      ? `a tools/call sent before the server answered initialize${wait}`
      : "a tools/call sent before initialize was answered",
  );
  return false;
}

/** Asks the enforcer about `call`, then settles it (holding it while the verdict is pending). */
function decide(
  s: RelayState,
  call: ToolCall,
  message: RequestMessage,
  key: string,
  held: Held | undefined,
  progressToken: string | number | undefined,
): Forward {
  let verdict: Verdict | Promise<Verdict>;
  try {
    verdict = s.opts.enforcer.decide(call, s.opts.newDecisionId);
  } catch (error) {
    verdict = enforcerFailed(s, call, error);
  }
  if (verdict instanceof Promise) {
    const waiting: Held = held ?? { id: message.id, tool: call.tool, cancelled: false };
    s.held.set(key, waiting);
    const id = message.id;
    const bounded = boundedVerdict(s, verdict, (late) => lateVerdict(s, call, late, id, waiting));
    return bounded.then(
      (v) => v === EXPIRED ? decisionTimedOut(s, call, id, waiting) : v,
      (error) => enforcerFailed(s, call, error),
    ).then((v) => settle(s, call, v, message, key, waiting, progressToken));
  }
  return settle(s, call, verdict, message, key, held, progressToken);
}

/**
 * The decision on the client's call `id` did not come in time: it is
 * blocked (fail closed) and said once on stderr; the verdict is then
 * settled, told (`decision`) and answered as any BLOCK's. Nothing is said
 * of a call the client cancelled meanwhile.
 */
function decisionTimedOut(s: RelayState, call: ToolCall, id: JsonRpcId, held: Held): Verdict {
  const ms = s.deadlines.ms;
  const verdict = decisionTimedOutVerdict(s.opts.newDecisionId(), ms);
  if (held.cancelled) return verdict;
  s.ports.note(decisionTimeoutNote(
    `tools/call ${shownText(id)} (tool ${notedToolName(call)})`,
    verdict.decisionId,
    ms,
  ));
  return verdict;
}

/**
 * The enforcer's decision on the call `id` came after its deadline, when
 * the call had been blocked: it is not used. Its own record (the audit
 * wrapper writes one as it decides) may say the call was forwarded or put
 * to a person, so it is told as late (`lateDecision`), which the audit
 * records as that decision's cancellation, by its decision id: the client
 * may use `id` for another request by now, whose records must not be
 * touched. A BLOCK's record is true as it stands.
 */
function lateVerdict(
  s: RelayState,
  call: ToolCall,
  verdict: Verdict,
  id: JsonRpcId,
  held: Held,
): void {
  // A call that ended first (the client cancelled it) was not blocked at the deadline.
  const reason = held.cancelled ? ENDED_FIRST : lateDecisionReason(s.deadlines.ms);
  toldLate(s, call, verdict, id, reason);
}

/**
 * The enforcer (or its audit wrapper) threw: blocked, and said as a block
 * line (not recorded), which shows an unlisted name the detectors flag by
 * its length alone (`#k:(40)`, see `hidden_tool_name.ts`).
 */
function enforcerFailed(s: RelayState, call: ToolCall, error: unknown): Verdict {
  const verdict = enforcerFailedVerdict(s.opts.newDecisionId());
  const failed = { ...verdict, reasons: [enforcerFailedNote(error)] };
  const shown = {
    server: call.server,
    tool: hiddenToolName(call, [], undefined)?.tool ?? call.tool,
  };
  s.ports.note(blockNote(shown, failed, { auditCommand: "thoth audit", recorded: false }));
  return verdict;
}
