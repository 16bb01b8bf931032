/**
 * A client request other than a notification: refused when its id is in use
 * (thoth's own, an unanswered or cancelled request's, a task's, or one that
 * reads the same to a client), handed to `relay_tool_calls.ts` when it is a
 * `tools/call`, else checked and forwarded, pending on the server from then
 * on (`initialize` and `tools/list` noted for later).
 *
 * @example
 * ```ts
 * const forward = clientRequest(state, message); // true: forward the line as it came
 * ```
 */
import { idKey } from "../protocol/jsonrpc_id.ts";
import type { RequestMessage } from "../protocol/jsonrpc_message.ts";
import {
  declaresElicitation,
  isPlainObject,
  peerInfoOf,
  protocolVersionOf,
  requestEra,
} from "../protocol/mcp_shapes.ts";
import { idOfKey, looseKeyOf } from "../protocol/id_spellings.ts";
import { requestedTaskId } from "../protocol/task_shapes.ts";
import { continuedRound, requestRound, requestRounds } from "../protocol/round_trips.ts";
import type { OfferScope } from "./input_offers.ts";
import { INVALID_REQUEST_RULE } from "./request_refusal_texts.ts";
import { GOVERNED_METHODS, governedVariant } from "../protocol/method_variant.ts";
import { UNSENT_CLIENT_NOT_READING } from "./client_left_texts.ts";
import { shownText } from "./relay_line_text.ts";
import { clientNameOf, type InputResponse, inputResponseEntries } from "./relay_requests.ts";
import { askedPage } from "./tools_list_pages.ts";
import { answerCall, finishHeld } from "./relay_call_release.ts";
import { gateInputResponses } from "./relay_client_answers.ts";
import {
  refusedResource,
  refuseInvalid,
  refuseUnrecorded,
  refuseVariant,
} from "./relay_client_refusals.ts";
import { exactOf } from "./relay_exact_ids.ts";
import { notCarriedOut } from "./not_carried_out.ts";
import { ownId } from "./relay_own_client_requests.ts";
import type { Forward, Held, Refused, RelayState } from "./relay_state.ts";
import { toolCall } from "./relay_tool_calls.ts";

/** Why a request under an id thoth cannot tell apart from another is refused. */
const ID_IN_USE = "its answer could be taken for another's";

export function clientRequest(s: RelayState, message: RequestMessage): Forward {
  const key = idKey(message.id);
  if (ownId(s, message.id)) {
    // thoth's own ids (its requests to the server and the client): an answer under one
    // would be taken for the answer to thoth's request.
    return refuseInvalid(
      s,
      `a request under thoth's own id ${JSON.stringify(message.id)}`,
      message,
      ID_IN_USE,
    );
  }
  if (s.pending.has(key) || s.held.has(key)) {
    // Two requests under one id: answers, outcomes and tools/list would be mixed up.
    return refuseInvalid(
      s,
      `a request with id ${JSON.stringify(message.id)}, which an unanswered request still uses`,
      message,
      ID_IN_USE,
    );
  }
  if (s.cancelled.size > 0 && s.cancelled.inUse(key, s.now())) {
    // The server may still answer the cancelled one: its late answer would pass for this one's.
    return refuseInvalid(
      s,
      `a request with id ${
        JSON.stringify(message.id)
      }, which a cancelled request still uses until the server answers it`,
      message,
      ID_IN_USE,
    );
  }
  if (s.tasks.size > 0 && s.tasks.holdsId(key)) {
    // The audit links the task's outcome to its call by this id, when the task's result comes.
    return refuseInvalid(
      s,
      `a request with id ${
        JSON.stringify(message.id)
      }, which a task-augmented call still uses until its task's result is fetched`,
      message,
      ID_IN_USE,
    );
  }
  const twin = looseTwin(s, key);
  if (twin !== undefined) {
    // `2` and `"2"` are two ids to JSON-RPC, one to a client that matches answers with
    // `Number(id)` (the SDK) or as text: one's answer would be taken for the other's.
    return refuseInvalid(
      s,
      `a request with id ${JSON.stringify(message.id)} while the id ${
        JSON.stringify(idOfKey(twin))
      } of an unanswered request reads the same to a client`,
      message,
      ID_IN_USE,
    );
  }
  if (message.method === "tools/call") return toolCall(s, message, key);
  if (GOVERNED_METHODS.has(message.method)) {
    if (refusedResource(s, message)) return false;
  } else {
    const governed = governedVariant(message.method);
    if (governed !== undefined) {
      return refuseVariant(s, message.method, message.id, governed, message.params);
    }
  }
  const responses = inputResponseEntries(message.params);
  if (responses.length > 0) return carryingRequest(s, message, key, responses);
  return forwardRequest(s, message, key);
}

/**
 * A request other than `tools/call` that carries answers to the server's
 * own requests (`inputResponses`): the server acts on them as on a live
 * answer, running the tools a model chose there, so each is decided first
 * (see `gateInputResponses`). When one is refused, the request is not
 * forwarded: the client gets the error, and the request a cancellation
 * that says why.
 */
function carryingRequest(
  s: RelayState,
  message: RequestMessage,
  key: string,
  responses: InputResponse[],
): Forward {
  const { id, method } = message;
  const { era, protocolVersion } = requestEra(message.params, s.negotiatedVersion);
  const version = era === "stateless" ? protocolVersion : undefined;
  // A `tasks/update` answers its task's requests (none when it names no task); any other
  // request, those of the round trip it continues.
  let scope: OfferScope | null;
  if (method.toLowerCase() === "tasks/update") {
    const task = requestedTaskId(message.params);
    scope = task === undefined ? null : { task };
  } else {
    scope = { round: continuedRound(message.params) ?? requestRound(method, message.params) };
  }
  const { decided, refused } = gateInputResponses(s, id, responses, scope, version);
  const waiting: Held = { id, tool: undefined, cancelled: false };
  const apply = (found: Refused | undefined): boolean => {
    // Not sent once the client stopped reading: the tools it chose would run unseen.
    const unread = s.clientNotReading;
    const forward = found === undefined && !waiting.cancelled && !unread;
    for (const chosen of decided) {
      s.opts.events?.toolUseEnded?.(chosen.call, chosen.verdict, id, forward);
      // Once the client stopped reading, no tool it chose runs: none of them happened.
      notCarriedOut(s, chosen.verdict.decisionId);
    }
    if (waiting.cancelled) return false;
    if (found === undefined && unread) {
      finishHeld(s, key, waiting);
      s.ports.note(
        `did not send ${shownText(method)} request ${shownText(id)} to the MCP server: the ` +
          "client stopped reading thoth's output while the answers it carries were decided",
      );
      s.opts.events?.cancelled?.(id, undefined, UNSENT_CLIENT_NOT_READING);
      return false;
    }
    if (found === undefined) {
      finishHeld(s, key, waiting);
      return forwardRequest(s, message, key, true);
    }
    const why = `thoth refused the answer to the server's sampling request this ${method} ` +
      `request carries in inputResponses: ${found.reason}`;
    s.ports.note(
      `refused ${shownText(method)} request ${JSON.stringify(id)}: the answer to the ` +
        `server's sampling request it carries in inputResponses: ${found.reason}; the ` +
        "request was not forwarded",
    );
    s.opts.events?.cancelled?.(id, undefined, why);
    if (GOVERNED_METHODS.has(method)) {
      s.opts.events?.request?.({
        method,
        requestId: id,
        params: message.params,
        forwarded: false,
        refusal: { ruleId: INVALID_REQUEST_RULE, reason: why },
      });
    }
    return answerCall(s, key, waiting, id, found.error);
  };
  if (!(refused instanceof Promise)) return apply(refused);
  // Held while decided: its id stays in use, and the client may cancel it.
  s.held.set(key, waiting);
  return refused.then(apply);
}

/**
 * Forwards a client request other than `tools/call`: it is pending on the
 * server from now on. Not a governed one whose record cannot be written:
 * it is refused (see {@linkcode refuseUnrecorded}).
 */
function forwardRequest(
  s: RelayState,
  message: RequestMessage,
  key: string,
  retry = false,
): boolean {
  let taskId: string | undefined;
  if (message.method === "initialize") {
    s.handshake.begin();
    s.clientElicitation = declaresElicitation(message.params);
    s.clientName = clientNameOf(message.params);
    s.clientHello = {
      client: peerInfoOf(message.params, "clientInfo"),
      requestedVersion: protocolVersionOf(message.params),
    };
  } else if (message.method === "tools/list") {
    s.toolsListCalls.set(key, askedPage(message.params));
  } else if (GOVERNED_METHODS.has(message.method)) {
    // A resource, prompt or completion the client asked for: recorded as it goes.
    const exact = exactOf(s, message.value);
    const recorded = s.opts.events?.request?.({
      method: message.method,
      requestId: message.id,
      params: isPlainObject(exact) ? exact["params"] : message.params,
      forwarded: true,
    });
    if (recorded === false) return refuseUnrecorded(s, message);
  } else if (message.method === "tasks/get") {
    // Any task's state may hold sampling requests (see `relay_task_states.ts`).
    taskId = requestedTaskId(message.params);
  } else if (s.tasks.size > 0 && message.method === "tasks/result") {
    taskId = requestedTaskId(message.params);
    if (taskId !== undefined && !s.tasks.has(taskId)) taskId = undefined;
  }
  // A stateless-era request: its answer may start a round trip, or end the one it continues.
  const round = requestEra(message.params, undefined).era === "stateless"
    ? requestRounds(message.method, message.params, retry)
    : undefined;
  s.pending.set(key, {
    id: message.id,
    method: message.method,
    tool: undefined,
    started: s.now(),
    ...(taskId === undefined ? {} : { taskId }),
    ...(round === undefined ? {} : { round }),
  });
  return true;
}

/**
 * The key of another request in flight whose id a client that matches ids
 * loosely takes for the one with key `key` (`2` for `"2"`, see
 * `looseKeyOf`); undefined when there is none. `waiting`: only requests
 * the client still waits on (forwarded or held), not cancelled ones or
 * those whose task's result is still to come.
 */
export function looseTwin(s: RelayState, key: string, waiting = false): string | undefined {
  const loose = looseKeyOf(key);
  if (loose !== key && !s.pending.indexing) {
    // The first string id that reads as a number: from now on, the ids waited on are
    // counted by loose key (before, a number's only twins were among them).
    s.pending.indexing = true;
    s.held.indexing = true;
  }
  // A number's twins are strings that read as numbers: none in flight unless the client used one.
  if (loose === key && !(s.pending.indexing && key.startsWith("n:"))) return undefined;
  const twin = s.waitingIds.twinOf(key);
  if (twin !== undefined || waiting) return twin;
  return s.cancelled.twinOf(key, s.now()) ?? s.tasks.twinOf(key);
}
