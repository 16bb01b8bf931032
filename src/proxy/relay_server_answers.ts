/**
 * Server answers that cannot go to the client as they are: one JSON-RPC does
 * not allow, one that answers no pending request (late for a cancelled call,
 * whose outcome is still recorded), and one under another spelling of a
 * request's id; each dropped, and the request it names answered with an
 * error. Those that answer no waiting request are noted a few times, then
 * counted.
 *
 * @example
 * ```ts
 * unmatchedAnswer(state, message, spelling); // false: the answer is not relayed
 * ```
 */
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { ResponseMessage } from "../protocol/jsonrpc_message.ts";
import { isPlainObject } from "../protocol/mcp_shapes.ts";
import { idOfKey, idSpellings } from "../protocol/id_spellings.ts";
import { looseTwin } from "./relay_client_requests.ts";
import { failPending } from "./relay_server_line_loss.ts";
import { throttledNote } from "./throttled_notes.ts";
import type { Pending, RelayState } from "./relay_state.ts";

/**
 * A server answer JSON-RPC does not allow (`message.defect`: both `result`
 * and `error`, neither, a `method` beside them, no id or one that is not a
 * string or a number, an `error` that is not an object, no `jsonrpc`
 * `"2.0"`): clients
 * read such a message differently (the SDKs take `{"result":…,"error":null}`
 * for a result, which thoth would book as an error), so it never reaches
 * the client. The request it answers (`pending`, when one waits) is
 * answered with an error instead, and a tool call's outcome is recorded as
 * that error: what the client was told. Returns false (dropped).
 */
export function malformedServerAnswer(
  s: RelayState,
  message: ResponseMessage,
  pending: Pending | undefined,
): false {
  const what = `it is not a response JSON-RPC allows: ${message.defect}`;
  const shown = message.id === null ? "" : ` with id ${JSON.stringify(message.id)}`;
  if (pending === undefined) {
    noteUnmatched(
      s,
      `dropped a response from the server${shown}: ${what}; a client might read it as the ` +
        "answer to one of its requests",
    );
    return false;
  }
  s.ports.note(
    `refused the server's answer to request ${JSON.stringify(pending.id)}: ${what}; ` +
      "the client was sent an error instead",
  );
  failPending(
    s,
    pending,
    `thoth refused the server's answer: ${what} (clients read such an answer differently)`,
  );
  return false;
}

/**
 * A server answer under an id no forwarded request waits for: a late answer
 * to a request the client cancelled goes on (the client ignores it), and a
 * tool call's is recorded as its decision's outcome; any other is dropped
 * and noted. The server cannot answer a call thoth holds or answered itself
 * (it never saw it), nor under another spelling of an id (`"2"` for `2`,
 * which the SDK takes for `2`): thoth's answer is the only one. Nor does a
 * late answer reach the client while a request it would take it for
 * waits (`"2"` cancelled long ago, `2` in flight).
 */
export function unmatchedAnswer(
  s: RelayState,
  message: ResponseMessage,
  id: JsonRpcId,
  key: string,
  spelling: () => string | undefined,
): boolean {
  const late = s.cancelled.answered(key, typeof id === "string" ? undefined : spelling);
  if (late?.answeredByThoth) {
    noteUnmatched(
      s,
      `dropped the server's response with id ${JSON.stringify(id)}: thoth had already ` +
        "answered that request with an error, when the server first answered it under " +
        "another spelling of its id",
    );
    return false;
  }
  if (late !== undefined) {
    const call = late.call;
    if (call !== undefined) {
      const result = message.value[message.isError ? "error" : "result"];
      s.opts.events?.lateOutcome?.(
        call.id,
        call.decisionId,
        call.tool,
        message.isError || (isPlainObject(result) && result["isError"] === true),
        s.now() - call.started,
        result,
      );
    }
    const twin = looseTwin(s, key, true);
    if (twin === undefined) return true;
    noteUnmatched(
      s,
      `dropped the server's late answer to the cancelled request ${
        JSON.stringify(id)
      }: the client would take it for the answer to its request ${
        JSON.stringify(idOfKey(twin))
      }, which still waits`,
    );
    return false;
  }
  const held = idSpellings(id).some((spelling) => s.held.has(spelling));
  noteUnmatched(
    s,
    held
      ? `dropped the server's response with id ${JSON.stringify(id)}: thoth has not ` +
        "forwarded that call to the server (it waits for its decision); thoth answers it itself"
      : `dropped a response from the server with id ${JSON.stringify(id)}: no request ` +
        "forwarded to the server waits for it (none was sent under that id, or it was " +
        "answered already, by thoth when it could not deliver it or at the session's end)",
  );
  return false;
}

/**
 * A server answer under another spelling of a forwarded request's id
 * (`2.0` for `2`, `1152921504606847000` for `1152921504606846977`): a
 * client that matches ids exactly never takes it for that request's
 * answer, so it is dropped, and the request (`pending`, under `key`) is
 * answered with an error at once, as the client would otherwise wait for
 * an answer that does not come: a server answers a request once, and
 * this one did. Its id stays in use until the server answers under the
 * client's spelling after all, or a cancelled id's time passes (see
 * `cancelled_calls.ts`): such an answer is dropped then, never taken
 * for a new request's under the same id. Returns false (dropped).
 */
export function misspelledAnswer(
  s: RelayState,
  key: string,
  pending: Pending,
  written: string | undefined,
  wanted: string,
): false {
  s.pending.delete(key);
  s.toolsListCalls.delete(key);
  s.cancelled.answeredByThoth(key, s.now(), wanted);
  s.ports.note(
    `dropped a response from the server with id ${written ?? "(unreadable)"}: it reads as the ` +
      `id ${wanted} of a request forwarded to the server, but is not written as the client ` +
      "wrote it, and a client that compares ids exactly would never take it for that " +
      "request's answer; the request was answered with an error instead",
  );
  failPending(
    s,
    pending,
    "thoth could not relay the server's answer to this request: the server wrote the " +
      "request's id otherwise than the client did, and a client that compares ids exactly " +
      "would not take it for this answer",
  );
  return false;
}

/**
 * Notes a server answer dropped that answered no request waiting for it
 * (one JSON-RPC does not allow, a late, repeated or unknown id, one to a
 * call thoth holds or refused): a server can send such answers without end,
 * so the first few are noted as they come and later ones only counted (see
 * `throttled_notes.ts`).
 */
function noteUnmatched(s: RelayState, text: string): void {
  const note = throttledNote(++s.unmatchedAnswers, text, {
    further: "further responses that answer no waiting request are counted, not noted",
    total: (count) =>
      `dropped ${count} responses from the server so far that answer no request waiting ` +
      "for them (late, repeated or unknown ids, or not responses JSON-RPC allows)",
  });
  if (note !== undefined) s.ports.note(note);
}
