/**
 * Client lines that cannot be read (not JSON, or over the line cap) and
 * client answers that will not reach the server: dropped, said on stderr,
 * and whoever waits for them sent an error instead: the client for its
 * request, the server for its own request the answer was meant for.
 *
 * @example
 * ```ts
 * fromClientOversize(state, info); // the request, if its id shows, gets an error
 * ```
 */
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { FragmentFacts } from "../protocol/message_fragments.ts";
import type { OversizeLine } from "../protocol/line_decoder.ts";
import { errorResponse, RPC_INVALID_PARAMS, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import { fragmentsOfOversize } from "./relay_line_text.ts";
import { answeredRequest } from "./relay_requests.ts";
import { capText } from "./relay_server_line_loss.ts";
import type { RelayState } from "./relay_state.ts";

/** A client line over the cap: answered with an error when its id can be found. */
export function fromClientOversize(s: RelayState, info: OversizeLine): void {
  droppedUnread(
    s,
    `dropped a ${info.size}-byte message from the client: over the ${capText(s)} line cap`,
    fragmentsOfOversize(info),
    RPC_INVALID_PARAMS,
    `Request too large: ${info.size} bytes is over thoth's line cap of ${capText(s)}`,
    `The client's answer (${info.size} bytes) is over thoth's line cap of ${capText(s)}`,
  );
}

/**
 * A client line dropped unread: a note, and an error for whoever waits for
 * it when its id was found. A request's sender is the client itself; an
 * answer's is the server, whose request it answered.
 */
export function droppedUnread(
  s: RelayState,
  note: string,
  facts: FragmentFacts,
  code: number,
  toClient: string,
  toServer: string,
): void {
  const { id, kind } = facts;
  if (id === undefined) {
    s.ports.note(note);
  } else if (kind !== "response") {
    s.ports.note(`${note} (request id ${JSON.stringify(id)}, answered with an error)`);
    s.ports.toClient(errorResponse(id, code, toClient));
  } else if (failServerRequest(s, id, toServer)) {
    s.ports.note(
      `${note} (the answer to the server's request ${
        JSON.stringify(id)
      }; the server was sent an error instead)`,
    );
  } else {
    s.ports.note(note);
  }
}

/**
 * The client's answer to the server's request `id` will not reach the
 * server: when the server waits for it, it is sent an error instead
 * (`message`), and true is returned.
 */
export function failServerRequest(s: RelayState, id: JsonRpcId, message: string): boolean {
  const key = idKey(id);
  const asked = s.serverRequests.get(key);
  if (asked === undefined) return false;
  s.serverRequests.delete(key);
  s.liveOffers.release(asked);
  const roots = answeredRequest(s.rootsRequests, id);
  if (roots !== -1) s.rootsRequests.splice(roots, 1);
  s.ports.toServer(errorResponse(id, RPC_SERVER_ERROR, message));
  return true;
}
