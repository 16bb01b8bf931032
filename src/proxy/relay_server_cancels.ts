/**
 * The server's own requests to the client that the server cancels itself
 * (`notifications/cancelled` naming one the client has not answered): they
 * stop counting toward the cap on those waiting (`MAX_SERVER_REQUESTS`) at once, and their
 * ids are remembered (bounded) until the client answers them after all.
 * MCP lets that answer come (the cancellation may cross it), and tells the
 * canceller to ignore it: such a late answer is dropped, never relayed, so
 * that no tool a model chose in a late sampling answer reaches the server,
 * gated or not. While remembered, the id stays in use: a new request of
 * the server's under it is refused (see `relay_server_request_ids.ts`), or
 * the late answer would be read as that one's. When more than
 * {@linkcode MAX_CANCELLED_SERVER_REQUESTS} wait, the oldest is forgotten;
 * once a forgotten one's answer could have chosen tools (a sampling
 * request, a task's result), every later answer from the client is read
 * for tools a model chose, whatever request it answers (fail closed: its id
 * may be reused by then).
 *
 * @example
 * ```ts
 * serverCancelled(state, message.params); // the request stops counting toward the cap
 * if (state.cancelledServerRequests.has(key)) return lateAnswer(state, id); // dropped
 * ```
 */
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { cancelledRequestId } from "../protocol/mcp_shapes.ts";
import { shownText } from "./relay_line_text.ts";
import { throttledNote } from "./throttled_notes.ts";
import type { RelayState, ServerRequest } from "./relay_state.ts";

/**
 * How many of the server's requests it cancelled are remembered until the
 * client answers them; the oldest is forgotten to make room.
 */
export const MAX_CANCELLED_SERVER_REQUESTS = 1024;

/**
 * The server cancelled its own request `params.requestId` (exactly that id:
 * a client matches the cancellation the same way): when it waits for the
 * client's answer, it stops counting and is remembered as cancelled.
 */
export function serverCancelled(s: RelayState, params: unknown): void {
  const id = cancelledRequestId(params);
  if (id === undefined) return;
  const key = idKey(id);
  const asked = s.serverRequests.get(key);
  if (asked === undefined) return;
  s.serverRequests.delete(key);
  // Its answer is dropped unread (see `lateAnswer`): its offer is needed no more.
  s.liveOffers.release(asked);
  const roots = s.rootsRequests.findIndex((request) => idKey(request) === key);
  if (roots !== -1) s.rootsRequests.splice(roots, 1);
  const cancelled = s.cancelledServerRequests;
  if (cancelled.size >= MAX_CANCELLED_SERVER_REQUESTS) {
    const [oldest, request] = cancelled.entries().next().value!;
    cancelled.delete(oldest);
    if (mayChooseTools(request)) s.toolUseIdsForgotten = true;
  }
  cancelled.set(key, asked);
}

/** Whether the client's answer to `request` may hold tools a model chose. */
function mayChooseTools(request: ServerRequest): boolean {
  return request.method === "sampling/createMessage" || request.method === "tasks/result" ||
    request.method === "tasks/get";
}

/**
 * The client's answer `id` (key `key`) to a request the server cancelled:
 * forgotten, dropped and noted (the first few one by one, then counted).
 * Returns false (not relayed).
 */
export function lateAnswer(s: RelayState, id: JsonRpcId, key: string): false {
  const asked = s.cancelledServerRequests.get(key);
  s.cancelledServerRequests.delete(key);
  const note = throttledNote(
    ++s.lateServerAnswers,
    `dropped the client's answer to the server's ${shownText(asked?.method ?? "")} request ${
      shownText(id)
    }: the server had cancelled that request, and MCP has it ignore such an answer; ` +
      "nothing of it was relayed to the server",
    {
      further: "further such answers are counted, not noted",
      total: (count) =>
        `dropped ${count} answers from the client so far to requests the server had cancelled`,
    },
  );
  if (note !== undefined) s.ports.note(note);
  return false;
}
