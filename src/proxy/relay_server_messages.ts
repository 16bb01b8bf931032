/**
 * Books one message from the server before it may reach the client: its
 * requests remembered for their answers (and refused under thoth's own ids,
 * an id one of its requests in flight uses, or while too many wait),
 * notifications that speak for thoth's requests dropped, answers matched to
 * the client's pending requests (tool lists, handshakes, outcomes and tasks
 * recorded), and messages that are neither dropped with an error for what
 * their id names.
 *
 * @example
 * ```ts
 * if (noteServerMessage(state, message, () => undefined)) ports.toClient(bytes);
 * ```
 */
import { idKey, idText, isId, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { Message, OtherMessage, RequestMessage } from "../protocol/jsonrpc_message.ts";
import {
  isPlainObject,
  isTaskAugmented,
  peerInfoOf,
  protocolVersionOf,
} from "../protocol/mcp_shapes.ts";
import { errorResponse, RPC_INVALID_REQUEST } from "../protocol/responses.ts";
import {
  createdTaskId,
  endedWithoutResult,
  handedTaskId,
  requestedTaskId,
} from "../protocol/task_shapes.ts";
import { shownText } from "./relay_line_text.ts";
import { namesMethod, neitherAnswer } from "./relay_envelopes.ts";
import { clientToolsPage, toolsChanged } from "./tools_list_pages.ts";
import { forgetProgress } from "./relay_own_progress.ts";
import { ownId } from "./relay_own_client_requests.ts";
import {
  malformedServerAnswer,
  misspelledAnswer,
  unmatchedAnswer,
} from "./relay_server_answers.ts";
import {
  MAX_SERVER_REQUESTS,
  refuseCrowdedRequest,
  refuseReusedId,
  serverIdInUse,
} from "./relay_server_request_ids.ts";
import { serverCancelled } from "./relay_server_cancels.ts";
import { noteRound, noteTaskState } from "./relay_task_states.ts";
import { offeredTools } from "../protocol/offered_tools.ts";
import type { RelayState, ServerRequest } from "./relay_state.ts";

/** The server's unanswered `roots/list` requests remembered; older ones are forgotten. */
const MAX_ROOTS_REQUESTS = 16;

/** What reading the client's answer to the server's request `message` needs of it. */
function serverRequest(message: RequestMessage): ServerRequest {
  const asked: ServerRequest = { method: message.method, task: isTaskAugmented(message.params) };
  if (message.method === "tasks/result" || message.method === "tasks/get") {
    const taskId = requestedTaskId(message.params);
    if (taskId !== undefined) asked.taskId = taskId;
  } else if (message.method === "sampling/createMessage" && isPlainObject(message.params)) {
    const tools = message.params["tools"];
    // Too many tools to keep: dropped, and every tool chosen is read at its strictest.
    if (Array.isArray(tools)) asked.offered = offeredTools(tools);
  }
  return asked;
}

/**
 * Books one message from the server; false when it must not reach the
 * client: an answer to no request the client forwarded to the server, or
 * to one under another spelling of its id. `spelling`: the text of the
 * message's id as the server wrote it (read only for an answer with a
 * numeric id).
 */
export function noteServerMessage(
  s: RelayState,
  message: Message,
  spelling: () => string | undefined,
): boolean {
  if (message.kind === "request" && ownId(s, message.id)) {
    refuseOwnIdRequest(s, message);
    return false;
  }
  if (message.kind === "notification") {
    // Relayed all the same; until a complete listing comes, thoth lists before each call.
    if (message.method === "notifications/tools/list_changed") toolsChanged(s);
    const named = namedOwn(s, message.params);
    if (named !== undefined) {
      s.ports.note(
        `dropped the server's ${shownText(message.method)} notification: its ${named}; ` +
          "the server cannot speak for thoth's requests or for calls it was never sent",
      );
      return false;
    }
    // The server withdrew a request of its own: it no longer waits (see relay_server_cancels.ts).
    if (message.method === "notifications/cancelled" && s.serverRequests.size > 0) {
      serverCancelled(s, message.params);
    }
    // A task's state (the tasks extension): its sampling offers, or its end.
    if (message.method === "notifications/tasks") noteTaskState(s, undefined, message.params);
  }
  if (message.kind === "request") {
    // Two requests under one id: the client's answer to the first (a sampling answer,
    // whose tools are decided) would be read as the second's.
    const inUse = serverIdInUse(s, message.id);
    if (inUse !== undefined) {
      refuseReusedId(s, message, inUse);
      return false;
    }
    // None is forgotten to make room: its id, then free, could be reused the same way.
    if (s.serverRequests.size >= MAX_SERVER_REQUESTS) {
      refuseCrowdedRequest(s, message);
      return false;
    }
    const asked = serverRequest(message);
    s.serverRequests.set(idKey(message.id), asked);
    // Its offer counted toward the bound on all live offers (the oldest forgotten past it).
    s.liveOffers.hold(asked);
  }
  if (message.kind === "request" && message.method === "roots/list") {
    // Where the server may resolve relative paths from now on (see path_bases.ts).
    if (s.rootsRequests.length >= MAX_ROOTS_REQUESTS) s.rootsRequests.shift();
    s.rootsRequests.push(message.id);
    return true;
  }
  if (message.kind === "other") return serverOther(s, message);
  if (message.kind !== "response") return true;
  if (message.id === null) {
    return message.defect === undefined || malformedServerAnswer(s, message, undefined);
  }
  const key = idKey(message.id);
  const own = s.ownServerRequests.get(key);
  if (own !== undefined) {
    s.ownServerRequests.delete(key);
    own(message);
    return false;
  }
  const pending = s.pending.get(key);
  if (pending === undefined) {
    return message.defect === undefined
      ? unmatchedAnswer(s, message, message.id, key, spelling)
      : malformedServerAnswer(s, message, undefined);
  }
  const wanted = idText(pending.id);
  if (wanted !== undefined) {
    const written = spelling();
    if (written !== wanted) return misspelledAnswer(s, key, pending, written, wanted);
  }
  s.pending.delete(key);
  if (message.defect !== undefined) {
    s.toolsListCalls.delete(key);
    return malformedServerAnswer(s, message, pending);
  }
  forgetProgress(s, pending.progressKey);
  const result = message.value["result"];
  // A stateless-era round trip: the tools its sampling requests offer, for the retry's answers.
  if (pending.round !== undefined) {
    noteRound(s, pending.round, message.isError ? undefined : result);
  }
  switch (pending.method) {
    case "initialize":
      s.negotiatedVersion = protocolVersionOf(result) ?? s.negotiatedVersion;
      if (!message.isError) s.initializeAnswered = true;
      s.handshake.end();
      s.opts.events?.initialized?.({
        client: s.clientHello?.client,
        requestedVersion: s.clientHello?.requestedVersion,
        server: message.isError ? undefined : peerInfoOf(result, "serverInfo"),
        protocolVersion: message.isError ? undefined : protocolVersionOf(result),
        isError: message.isError,
      });
      break;
    case "tools/list": {
      const asked = s.toolsListCalls.get(key);
      s.toolsListCalls.delete(key);
      if (message.isError) break;
      clientToolsPage(s, asked, result);
      const definitions = result !== null && typeof result === "object"
        ? (result as { tools?: unknown }).tools
        : undefined;
      s.opts.events?.toolsListed?.(
        s.tools,
        Array.isArray(definitions) ? definitions : [],
        asked,
      );
      break;
    }
    case "tools/call": {
      // In 2025-11-25 only a call that asked for a task may create one; in the stateless
      // era's tasks extension the server decides (`resultType: "task"`), for a call whose
      // client declared the extension. Any other answer is the call's outcome.
      const handed = message.isError || pending.takesTask !== true
        ? undefined
        : handedTaskId(result);
      const taskId = handed ??
        (message.isError || pending.task !== true ? undefined : createdTaskId(result));
      if (taskId !== undefined) {
        // A task was created: the call's outcome is the task's result, when it comes.
        const displaced = s.tasks.created(taskId, {
          id: pending.id,
          key,
          tool: pending.tool ?? "",
          started: pending.started,
          ...(handed === undefined ? {} : { stateless: true }),
        });
        if (displaced !== undefined) {
          s.opts.events?.cancelled?.(
            displaced.call.id,
            displaced.call.tool,
            displaced.why === "replaced"
              ? `replaced: the server created task ${
                JSON.stringify(taskId)
              } again for another call, so this call's outcome cannot be told apart`
              : "thoth stopped waiting for the task's result: too many task-augmented calls wait",
          );
        }
        break;
      }
      const isError = message.isError ||
        (result !== null && typeof result === "object" &&
          (result as Record<string, unknown>)["isError"] === true);
      s.opts.events?.outcome?.(
        pending.id,
        pending.tool ?? "",
        isError,
        s.now() - pending.started,
        message.isError ? message.value["error"] : result,
      );
      break;
    }
    case "tasks/result":
    case "tasks/get": {
      if (pending.taskId === undefined) break;
      // A task's state: its sampling offers; a stateless-era task's end is its call's outcome.
      if (pending.method === "tasks/get" && !message.isError) {
        if (noteTaskState(s, pending.taskId, result)) break;
      }
      // A stateless-era task ends only in a state that says so: a failed poll ends nothing.
      if (s.tasks.get(pending.taskId)?.stateless === true) break;
      // A task that failed or was cancelled has no result to fetch: that is its outcome.
      const ended = pending.method === "tasks/result" || message.isError ||
        endedWithoutResult(result);
      const task = ended ? s.tasks.take(pending.taskId) : undefined;
      if (task === undefined) break;
      const isError = pending.method === "tasks/get" || message.isError ||
        (isPlainObject(result) && result["isError"] === true);
      s.opts.events?.outcome?.(
        task.id,
        task.tool,
        isError,
        s.now() - task.started,
        message.isError ? message.value["error"] : result,
      );
      break;
    }
  }
  return true;
}

/**
 * A request of the server's under thoth's own ids (or one that would pass
 * for them): the client's answer to it would be taken for the answer to
 * thoth's own request (an approval form), so it never reaches the client.
 * The server is told, with an error, and nothing of it is remembered.
 */
function refuseOwnIdRequest(s: RelayState, message: RequestMessage): void {
  s.ports.note(
    `refused the server's ${shownText(message.method)} request under the id ${
      shownText(message.id)
    }: ids of that form are reserved for thoth's own requests, so it was not relayed ` +
      "to the client; the server was sent an error",
  );
  s.ports.toServer(
    errorResponse(
      message.id,
      RPC_INVALID_REQUEST,
      "Invalid Request: this id is, or reads as, one of the ids thoth keeps for its own " +
        'requests ("thoth-" and this session\'s nonce), so thoth did not relay this request ' +
        "to the client. Send it again under another id.",
    ),
  );
}

/**
 * What in a server notification's params names one of thoth's own requests
 * to the client or a progress token thoth reports under (a call waiting for
 * a person, which the server never saw), in words for a note; undefined when
 * nothing does. The keys a client reads a request or token from
 * (`requestId`, `progressToken`, also in `_meta`, in any case) are read.
 */
function namedOwn(s: RelayState, params: unknown): string | undefined {
  if (!isPlainObject(params)) return undefined;
  const meta = params["_meta"];
  const places = isPlainObject(meta) ? [params, meta] : [params];
  for (const place of places) {
    for (const [name, value] of Object.entries(place)) {
      const lower = name.toLowerCase();
      if (!lower.endsWith("requestid") && lower !== "progresstoken") continue;
      if (ownId(s, value as JsonRpcId)) {
        return `${shownText(name)} ${shownText(value)} names a request of thoth's own`;
      }
      if (lower === "progresstoken" && heldToken(s, value)) {
        return `progress token ${
          shownText(value)
        } is one of a call thoth holds (it waits for a person and the server never saw it)`;
      }
    }
  }
  return undefined;
}

/** Whether `token` is the progress token of a call thoth holds (thoth reports under it). */
function heldToken(s: RelayState, token: unknown): boolean {
  if (typeof token !== "string" && typeof token !== "number") return false;
  const key = idKey(token);
  const own = s.progressSent.get(key);
  if (own !== undefined && own.call === undefined) return true;
  for (const held of s.held.values()) if (held.progressKey === key) return true;
  return false;
}

/**
 * A server message that is neither a request, a notification nor a
 * response, yet has an id or a `method` that names nothing (`""`): a client
 * that reads a message without a method name as a response (Go's SDK
 * does) takes `{"id":1}` or `{"id":1,"method":""}` for the answer to its
 * call 1 and fails it, while thoth would go on waiting. Dropped; the call
 * its id names, when one waits, gets an error (recorded as its outcome).
 * Any other such message goes on as it came.
 */
function serverOther(s: RelayState, message: OtherMessage): boolean {
  const value = message.value;
  if (!isPlainObject(value) || namesMethod(value)) return true;
  if (!("id" in value) && !("method" in value)) return true;
  const id = value["id"];
  const answer = neitherAnswer(isId(id) ? id : null, value);
  if (answer.id === null) return malformedServerAnswer(s, answer, undefined);
  const key = idKey(answer.id);
  const own = s.ownServerRequests.get(key);
  if (own !== undefined) {
    s.ownServerRequests.delete(key);
    own({ missing: "the server's answer to it had neither a result nor an error" });
    return false;
  }
  const pending = s.pending.get(key);
  if (pending === undefined) return malformedServerAnswer(s, answer, undefined);
  s.pending.delete(key);
  s.toolsListCalls.delete(key);
  return malformedServerAnswer(s, answer, pending);
}
