/**
 * Server lines that cannot be relayed: one with a defect, over the line cap,
 * or not JSON. Each is dropped and said on stderr (a server logging to
 * stdout is noted a few times, then counted), and whoever waits for it gets
 * an error: a client request (a tool call's outcome recorded as that error)
 * or a request of the server's.
 *
 * @example
 * ```ts
 * fromServerOversize(state, info); // the request it answered, if found, gets an error
 * ```
 */
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { FragmentFacts } from "../protocol/message_fragments.ts";
import type { OversizeLine } from "../protocol/line_decoder.ts";
import {
  errorResponse,
  RPC_INVALID_PARAMS,
  RPC_INVALID_REQUEST,
  RPC_SERVER_ERROR,
} from "../protocol/responses.ts";
import {
  formatBytes,
  fragmentsOf,
  fragmentsOfOversize,
  showsMessageKeys,
} from "./relay_line_text.ts";
import { forgetProgress } from "./relay_own_progress.ts";
import type { Pending, RelayState } from "./relay_state.ts";

/** How many dropped server lines that answered nothing are noted one by one. */
export const LOST_LINES_NOTED = 5;

/**
 * A server line the client might read as other messages than thoth did
 * (see `line_defect.ts`): dropped, and each request it answered gets an
 * error instead, so that nothing waits for it and the evidence holds what
 * the client was given.
 */
export function refuseServerLine(
  s: RelayState,
  defect: string,
  ids: readonly JsonRpcId[],
  serverRequests: readonly JsonRpcId[] = [],
): void {
  s.droppedFromServer++;
  for (const id of serverRequests) {
    s.ports.toServer(
      errorResponse(
        id,
        RPC_INVALID_REQUEST,
        `Invalid Request: thoth did not relay this request to the client: the line had ${defect}`,
      ),
    );
  }
  let answered = 0;
  for (const id of ids) {
    const key = idKey(id);
    const pending = s.pending.get(key);
    if (pending === undefined) continue;
    s.pending.delete(key);
    s.toolsListCalls.delete(key);
    failPending(s, pending, `thoth could not relay the server's response: the line had ${defect}`);
    answered++;
  }
  s.ports.note(
    `dropped a line from the server with ${defect}; the client might read it as other ` +
      "messages than thoth did" +
      (answered > 0 ? ` (answered ${answered} request(s) with an error)` : "") +
      (serverRequests.length > 0
        ? ` (answered ${serverRequests.length} of the server's request(s) with an error)`
        : ""),
  );
}

/** A server line over the cap: whoever waits for it, if found, gets an error. */
export function fromServerOversize(s: RelayState, info: OversizeLine): void {
  s.droppedFromServer++;
  const facts = fragmentsOfOversize(info);
  serverLineLost(
    s,
    facts.kind === "unknown" ? { ...facts, kind: "response" } : facts,
    `dropped a ${info.size}-byte message from the server: over the ${capText(s)} line cap`,
    "; raise it with --max-line-bytes",
    `The server's response (${info.size} bytes) is over thoth's line cap of ${capText(s)}`,
    `Request too large: ${info.size} bytes is over thoth's line cap of ${capText(s)}`,
    false,
  );
}

/** A server line that is not JSON (or not UTF-8): dropped; whoever waits for it gets an error. */
export function unreadServerLine(s: RelayState, line: Uint8Array): void {
  s.droppedFromServer++;
  serverLineLost(
    s,
    fragmentsOf([line]),
    `dropped a line from the server that is not JSON (${line.length} bytes)`,
    "; the server may be printing logs to stdout instead of stderr",
    "thoth could not read the server's response as JSON (or UTF-8), so it was not relayed",
    "Parse error: thoth could not read the request as JSON, so it was not forwarded",
    !showsMessageKeys(line),
  );
}

/**
 * A server line dropped unread. When its first and last bytes show the id
 * of a request the client waits on, that request gets an error (and its
 * outcome is recorded); when they show a request of the server's, the
 * server gets the error, so neither side waits for what never comes.
 * `throttled`: whether its note may be one of those only counted (see
 * `noteLostLine`): never for a line over the cap, nor one whose bytes
 * show an `id` or `method` key (a cut batch of answers, a message cut
 * short), which the client's log must show.
 */
function serverLineLost(
  s: RelayState,
  facts: FragmentFacts,
  note: string,
  hint: string,
  toClient: string,
  toServer: string,
  throttled: boolean,
): void {
  // A line of unknown kind answers nothing: a log line that quotes a message
  // must not fail the call it names.
  const { id, kind } = facts;
  if (id !== undefined && kind === "request") {
    s.ports.note(
      `${note} (a request of the server's, id ${
        JSON.stringify(id)
      }: answered with an error)${hint}`,
    );
    s.ports.toServer(errorResponse(id, RPC_INVALID_PARAMS, toServer));
    return;
  }
  const key = id === undefined || kind !== "response" ? undefined : idKey(id);
  const pending = key === undefined ? undefined : s.pending.get(key);
  if (pending === undefined || key === undefined) {
    if (throttled) noteLostLine(s, note + hint);
    else s.ports.note(note + hint);
    return;
  }
  s.ports.note(
    `${note} (answered request ${JSON.stringify(pending.id)} with an error)${hint}`,
  );
  s.pending.delete(key);
  s.toolsListCalls.delete(key);
  failPending(s, pending, toClient);
}

/**
 * Notes a server line dropped that answered nothing and shows no message's
 * keys (a log line). A server that logs to stdout would fill the client's
 * log with one note per line: the first
 * {@linkcode LOST_LINES_NOTED} are noted as they come, later ones only
 * counted, with a running count at 100, 1,000, 10,000 and so on.
 */
function noteLostLine(s: RelayState, text: string): void {
  const count = ++s.lostLines;
  if (count <= LOST_LINES_NOTED) {
    s.ports.note(
      count < LOST_LINES_NOTED ? text : `${text}; further such lines are counted, not noted`,
    );
    return;
  }
  if (count >= 100 && Number.isInteger(Math.log10(count))) {
    s.ports.note(
      `dropped ${count} lines from the server that are not JSON and show no message's ` +
        "id or method so far; the server may be printing logs to stdout",
    );
  }
}

/**
 * Answers a request the server's answer will not reach with an error; a
 * tool call's outcome is recorded as an error too (what the client was told).
 */
export function failPending(s: RelayState, pending: Pending, message: string): void {
  forgetProgress(s, pending.progressKey);
  // The client's initialize will not be answered: the calls waiting for it go on.
  if (pending.method === "initialize") s.handshake.end();
  if (pending.method === "tools/call") {
    s.opts.events?.outcome?.(
      pending.id,
      pending.tool ?? "",
      true,
      s.now() - pending.started,
    );
  }
  s.ports.toClient(errorResponse(pending.id, RPC_SERVER_ERROR, message));
}

export function capText(s: RelayState): string {
  const cap = s.opts.maxLineBytes;
  return cap === undefined ? "configured" : formatBytes(cap);
}
