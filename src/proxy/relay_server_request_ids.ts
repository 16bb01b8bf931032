/**
 * The server's requests to the client under an id one of its requests
 * still waiting for the client's answer uses: refused, never relayed. The
 * relay reads the client's answer by its id (`serverRequests`), so a second
 * request under that id would take the first one's place, and the client's
 * answer to a `sampling/createMessage` would then be read as the answer to,
 * say, a `roots/list`: past the decision on the tools its model chose, and
 * past their record. For the same reason no request is forgotten to make
 * room: while {@linkcode MAX_SERVER_REQUESTS} of the server's requests wait
 * for the client's answer, its next one is refused (see
 * {@linkcode refuseCrowdedRequest}). A request the server cancelled no longer
 * counts, but its id stays in use while the client may still answer it (see
 * `relay_server_cancels.ts`).
 *
 * @example
 * ```ts
 * const inUse = serverIdInUse(state, message.id);
 * if (inUse !== undefined) refuseReusedId(state, message, inUse); // the server gets an error
 * else if (state.serverRequests.size >= MAX_SERVER_REQUESTS) refuseCrowdedRequest(state, message);
 * ```
 */
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { RequestMessage } from "../protocol/jsonrpc_message.ts";
import { idOfKey } from "../protocol/id_spellings.ts";
import { errorResponse, RPC_INVALID_REQUEST, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import { shownText } from "./relay_line_text.ts";
import { throttledNote } from "./throttled_notes.ts";
import type { RelayState, ServerRequest } from "./relay_state.ts";

/**
 * How many of the server's requests may wait for the client's answer at
 * once; the next one is refused. None is forgotten to make room: its id
 * would then be free, and a request reusing it would have the client's
 * answer to the forgotten one (a sampling answer, say) read as its own.
 */
export const MAX_SERVER_REQUESTS = 1024;

/**
 * The key (see `idKey`) of the server's request in flight whose id is `id`
 * or reads as it: the same key (`2` and `2.0`, or two integers past 2^53
 * that parse to one number), or a string that reads as a number and that
 * number (`"2"` and `2`), which the relay takes for one another when it
 * matches the client's answer to a `roots/list` (see `answeredRequest`).
 * Undefined when no request of the server's in flight has such an id.
 */
export function serverIdInUse(s: RelayState, id: JsonRpcId): string | undefined {
  const waiting = idIn(s.serverRequests, id);
  if (waiting !== undefined || s.cancelledServerRequests.size === 0) return waiting;
  // One the server cancelled may still be answered: that answer must not pass for a new one's.
  return idIn(s.cancelledServerRequests, id);
}

/** The key in `requests` of `id`, or of an id that reads as it (see {@linkcode serverIdInUse}). */
function idIn(requests: ReadonlyMap<string, ServerRequest>, id: JsonRpcId): string | undefined {
  if (requests.size === 0) return undefined;
  const key = idKey(id);
  if (requests.has(key)) return key;
  if (typeof id === "string") {
    const number = Number(id);
    if (!Number.isFinite(number)) return undefined;
    const twin = idKey(number);
    return requests.has(twin) ? twin : undefined;
  }
  if (!key.startsWith("n:")) return undefined;
  const number = Number(key.slice(2));
  for (const other of requests.keys()) {
    if (other.startsWith("s:") && Number(other.slice(2)) === number) return other;
  }
  return undefined;
}

/**
 * Refuses the server's request `message`, whose id is in use by its
 * request under the key `inUse` (see {@linkcode serverIdInUse}): the server
 * gets an error naming the id, the client gets nothing, and the earlier
 * request stays remembered as it was, so that the client's answer to it is
 * read (and a sampling answer decided) as that request's. Noted on stderr,
 * the first few one by one, then counted (see `throttled_notes.ts`).
 */
export function refuseReusedId(s: RelayState, message: RequestMessage, inUse: string): void {
  const same = idKey(message.id) === inUse;
  const cancelled = !s.serverRequests.has(inUse);
  const earlier = same
    ? "an earlier request of the server's under that id"
    : `the server's earlier request ${shownText(idOfKey(inUse))}, whose id reads the same,`;
  const waits = cancelled
    ? " was cancelled by the server, but the client may still answer it"
    : " still waits for the client's answer";
  const note = throttledNote(
    ++s.reusedServerIds,
    `refused the server's ${shownText(message.method)} request under the id ${
      shownText(message.id)
    }: ${earlier}${waits}, and the answer to one could be ` +
      "taken for the other's; it was not relayed to the client, and the server was sent " +
      "an error",
    {
      further: "further such requests are counted, not noted",
      total: (count) =>
        `refused ${count} requests of the server's so far under ids its requests still ` +
        "waiting for the client's answer use",
    },
  );
  if (note !== undefined) s.ports.note(note);
  s.ports.toServer(
    errorResponse(
      message.id,
      RPC_INVALID_REQUEST,
      `Invalid Request: the id ${
        shownText(message.id)
      } is in use by an earlier request of yours that ${
        cancelled
          ? "you cancelled, which the client may still answer"
          : "still waits for the client's answer"
      }, ` +
        "so thoth did not relay this request to the client. Send it again under another id.",
    ),
  );
}

/**
 * Refuses the server's request `message` because
 * {@linkcode MAX_SERVER_REQUESTS} of its requests already wait for the
 * client's answer: the server gets an error, the client gets nothing, and
 * every request still waiting stays remembered as it was. Noted on stderr,
 * the first few one by one, then counted (see `throttled_notes.ts`).
 */
export function refuseCrowdedRequest(s: RelayState, message: RequestMessage): void {
  const note = throttledNote(
    ++s.crowdedServerRequests,
    `refused the server's ${shownText(message.method)} request ${
      shownText(message.id)
    }: ${MAX_SERVER_REQUESTS} of its requests already wait for the client's answer; it was ` +
      "not relayed to the client, and the server was sent an error",
    {
      further: "further such requests are counted, not noted",
      total: (count) =>
        `refused ${count} requests of the server's so far while ${MAX_SERVER_REQUESTS} of its ` +
        "requests waited for the client's answer",
    },
  );
  if (note !== undefined) s.ports.note(note);
  s.ports.toServer(
    errorResponse(
      message.id,
      RPC_SERVER_ERROR,
      `too many of your requests wait for the client's answer (${MAX_SERVER_REQUESTS}), so ` +
        "thoth did not relay this request to the client. Send it again once the client has " +
        "answered some of them.",
    ),
  );
}
