/**
 * How a `RelaySession` refuses what the client sent before it could be
 * decided: a line a server might read otherwise, a message JSON-RPC does not
 * allow, a method spelled like a governed one, a resource request that
 * reaches a protected file, a governed request whose record cannot be
 * written; each answered with an error and, when it names a governed
 * method, recorded.
 *
 * @example
 * ```ts
 * refuseInvalid(state, "a message with the key \"ID\"", message); // false
 * ```
 */
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { classifyMessage, type Message, type RequestMessage } from "../protocol/jsonrpc_message.ts";
import { mayHoldLongInteger } from "../protocol/exact_integers.ts";
import { partsLength, terminatorLength } from "../protocol/byte_parts.ts";
import { errorResponse, RPC_INVALID_REQUEST, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import type { ResourceRefusal } from "../enforcer/resource_guard.ts";
import {
  GUARD_FAILED_RULE,
  INVALID_REQUEST_RULE,
  METHOD_VARIANT_RULE,
  resourceRefusedNote,
  resourceRefusedReason,
  resourceRefusedWire,
  variantNote,
  variantReason,
  variantWire,
} from "./request_refusal_texts.ts";
import { unrecordedRequestNote, unrecordedRequestWire } from "./unrecorded_request_texts.ts";
import { errorMessage, exactLine } from "./relay_line_text.ts";
import { governedNamed, messageValue, methodOf, usableId } from "./relay_envelopes.ts";
import { failServerRequest } from "./relay_client_line_loss.ts";
import { exactIds } from "./relay_exact_ids.ts";
import type { RelayState } from "./relay_state.ts";
import type { QuotingReason } from "./client_request_records.ts";

/**
 * A line the server might read as something other than what thoth parsed:
 * nothing of it is forwarded, and each request in it gets an error.
 */
export function refuseLine(s: RelayState, value: unknown, defect: string, text: string): void {
  s.ports.note(
    `refused a line from the client with ${defect}: a server might read it as other messages ` +
      "than thoth did, so none of it was forwarded",
  );
  // Answered under the ids as the client wrote them, long integers too.
  s.exactLine = mayHoldLongInteger(text) ? exactLine(value, text) : undefined;
  let message: Message;
  try {
    message = exactIds(s, classifyMessage(value), text);
  } finally {
    s.exactLine = undefined;
  }
  const items = message.kind === "batch" ? message.items : [message];
  for (const item of items) {
    // An answer to a request of the server's: the server gets an error instead of waiting.
    if (item.kind === "response") {
      const refused = `thoth refused the client's answer: its line had ${defect}`;
      if (item.id !== null && failServerRequest(s, item.id, refused)) {
        s.ports.note(
          `the refused line answered the server's request ${
            JSON.stringify(item.id)
          }; the server was sent an error instead`,
        );
      }
      continue;
    }
    // A request, or one whose id is no JSON-RPC id (answered with a null id, as JSON-RPC says).
    const id = item.kind === "request"
      ? item.id
      : item.kind === "other" && methodOf(item.value) !== undefined
      ? null
      : undefined;
    if (id === undefined) continue;
    s.ports.toClient(
      errorResponse(
        id,
        RPC_INVALID_REQUEST,
        `Invalid Request: thoth refused a line with ${defect}`,
      ),
    );
    recordRefusal(s, messageValue(item), id ?? undefined, `a line with ${defect}`);
  }
}

/**
 * A message that is not valid JSON-RPC and may hide a tool call, or a
 * request whose id would be confused with another's (`why`): answered,
 * never forwarded.
 */
export function refuseInvalid(
  s: RelayState,
  what: string,
  message?: Message,
  why = "not valid JSON-RPC",
): false {
  s.ports.note(`refused ${what} (${why}); it was not forwarded`);
  const id = message?.kind === "request" ? message.id : usableId(message);
  if (message?.kind !== "notification" && message?.kind !== "response") {
    s.ports.toClient(
      errorResponse(id, RPC_INVALID_REQUEST, `Invalid Request: thoth refused ${what}`),
    );
  }
  if (message !== undefined && message.kind !== "response") {
    recordRefusal(s, messageValue(message), id ?? undefined, `${what} (${why})`);
  }
  return false;
}

/**
 * Records a client request refused before it could be decided, when it
 * names a governed method (see `method_variant.ts`), under `method` or a
 * key that differs from it only by case (for a batch, its first element
 * that does): with the digest of its line's bytes while the line is
 * routed, else of its params. Nothing else is recorded (only such a
 * request could have run ungoverned), unless `unnamed` is given: the
 * method recorded for a value that names no governed one. `quoting` renders
 * `reason` for the record when it quotes names the client chose.
 */
export function recordRefusal(
  s: RelayState,
  value: unknown,
  id: JsonRpcId | undefined,
  reason: string,
  unnamed?: string,
  quoting?: QuotingReason,
): void {
  const record = s.opts.events?.request;
  if (record === undefined) return;
  const named = governedNamed(value) ??
    (unnamed === undefined ? undefined : { method: unnamed, params: undefined });
  if (named === undefined) return;
  const parts = s.routedParts;
  record({
    method: named.method,
    requestId: id,
    forwarded: false,
    refusal: {
      ruleId: INVALID_REQUEST_RULE,
      reason: `thoth refused ${reason}`,
      ...(quoting === undefined ? {} : { quoting: (hide) => `thoth refused ${quoting(hide)}` }),
    },
    ...(parts === undefined
      ? { params: named.params }
      : { line: { parts, bytes: partsLength(parts) - terminatorLength(parts) } }),
  });
}

/**
 * A client request (`id`) or notification (`id` undefined) whose method
 * differs from the governed method `governed` only by case, white space
 * or characters drawn as nothing: a server that reads it as `governed`
 * would run it ungoverned, so it is refused, and recorded.
 */
export function refuseVariant(
  s: RelayState,
  method: string,
  id: JsonRpcId | undefined,
  governed: string,
  params: unknown,
): false {
  s.ports.note(variantNote(method, id, governed));
  if (id !== undefined) {
    s.ports.toClient(errorResponse(id, RPC_INVALID_REQUEST, variantWire(method, governed)));
  }
  s.opts.events?.request?.({
    method,
    requestId: id,
    params,
    forwarded: false,
    refusal: { ruleId: METHOD_VARIANT_RULE, reason: variantReason(method, governed) },
  });
  return false;
}

/**
 * Whether thoth refuses the client's `resources/read`,
 * `resources/subscribe` or `prompts/get` request `message`: its params (a
 * prompt's arguments among them, which a server may read a file by) reach
 * files thoth protects in every mode (see `resource_guard.ts`), or they
 * could not be checked (fail closed). It is answered with an error, said
 * on stderr and recorded; it never reaches the server.
 */
export function refusedResource(s: RelayState, message: RequestMessage): boolean {
  const { method, id } = message;
  const guarded = method === "resources/read" || method === "resources/subscribe" ||
    method === "prompts/get";
  if (!guarded) return false;
  const guard = s.opts.enforcer.guardResource;
  if (guard === undefined) return false;
  let refusal: ResourceRefusal | undefined;
  try {
    refusal = guard(message.params);
  } catch (error) {
    refusal = {
      ruleId: GUARD_FAILED_RULE,
      reaches: `thoth could not check which files its params reach: ${errorMessage(error)}`,
    };
  }
  if (refusal === undefined) return false;
  s.ports.note(resourceRefusedNote(method, id, refusal));
  s.ports.toClient(
    errorResponse(id, RPC_SERVER_ERROR, resourceRefusedWire(method, refusal.ruleId)),
  );
  s.opts.events?.request?.({
    method,
    requestId: id,
    params: message.params,
    forwarded: false,
    refusal: { ruleId: refusal.ruleId, reason: resourceRefusedReason(refusal) },
  });
  return true;
}

/**
 * A governed request whose record cannot be written (the audit log is
 * failing): no evidence, no request, as for a `tools/call`. The client
 * gets an error that names the problem, the person at the machine a line
 * on stderr; the request never reaches the server.
 */
export function refuseUnrecorded(s: RelayState, message: RequestMessage): false {
  const { method, id } = message;
  s.ports.note(unrecordedRequestNote(method, id));
  s.ports.toClient(errorResponse(id, RPC_SERVER_ERROR, unrecordedRequestWire(method)));
  return false;
}
