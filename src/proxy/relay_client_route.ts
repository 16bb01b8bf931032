/**
 * Where one message from the client goes (`routeFromClient`): a request to
 * `relay_client_requests.ts`, an answer to a request of the server's or of
 * thoth's own checked and passed on, a notification forwarded or refused,
 * anything JSON-RPC does not allow refused; and the client's
 * `notifications/cancelled`, which ends a held or pending call. What
 * JSON-RPC reads as no request (an empty batch, a batch in a batch, an
 * element that is not an object) is answered, recorded, never forwarded.
 *
 * @example
 * ```ts
 * const forward = routeFromClient(state, message); // true, false or a pending decision
 * ```
 */
import { idKey, idText, isId } from "../protocol/jsonrpc_id.ts";
import type { Message } from "../protocol/jsonrpc_message.ts";
import { errorResponse, RPC_INVALID_REQUEST } from "../protocol/responses.ts";
import { caseVariantKey, ENVELOPE_KEYS } from "../protocol/key_case.ts";
import { cancelledRequestId, isPlainObject } from "../protocol/mcp_shapes.ts";
import { shownMethod } from "./request_refusal_texts.ts";
import { GOVERNED_METHODS, governedVariant } from "../protocol/method_variant.ts";
import { shownText } from "./relay_line_text.ts";
import {
  governedNamed,
  messageValue,
  methodOf,
  namesMethod,
  neitherAnswer,
} from "./relay_envelopes.ts";
import { shownName } from "../approval/shown_name.ts";
import type { BatchAnswers } from "./relay_batch_answers.ts";
import { answeredRequest, sampledResponses } from "./relay_requests.ts";
import { refuseMalformedAnswer, samplingAnswer, toolUseReading } from "./relay_client_answers.ts";
import { recordRefusal, refuseInvalid, refuseVariant } from "./relay_client_refusals.ts";
import { clientRequest } from "./relay_client_requests.ts";
import { ownAnswer, ownId } from "./relay_own_client_requests.ts";
import { forgetProgress } from "./relay_own_progress.ts";
import { lateAnswer } from "./relay_server_cancels.ts";
import type { Forward, RelayState } from "./relay_state.ts";

export function routeFromClient(s: RelayState, message: Message): Forward {
  if (message.kind !== "batch" && isPlainObject(message.value)) {
    const variant = caseVariantKey(message.value, ENVELOPE_KEYS);
    if (variant !== undefined) {
      return refuseInvalid(s, `a message with the key ${JSON.stringify(variant)}`, message);
    }
  }
  switch (message.kind) {
    case "request":
      return clientRequest(s, message);
    case "notification":
      if (message.method === "notifications/cancelled") {
        return clientCancelled(s, message.params);
      }
      if (message.method === "tools/call") {
        // A tool call the enforcer cannot answer must not run unanswered either.
        s.ports.note(
          "dropped a tools/call sent without an id (as a notification): " +
            "thoth governs tool calls only as requests it can answer",
        );
        recordRefusal(s, message.value, undefined, "a tools/call sent without an id");
        return false;
      }
      {
        const governed = governedVariant(message.method);
        if (governed !== undefined) {
          return refuseVariant(s, message.method, undefined, governed, message.params);
        }
      }
      if (sampledResponses(message.params).length > 0) {
        // Answers that may choose tools, which the server would run, with no request to
        // answer if they are refused: never relayed.
        s.ports.note(
          `dropped a ${
            shownText(message.method)
          } notification that carries inputResponses: thoth decides the tools such answers ` +
            "choose only in a request it can answer",
        );
        return false;
      }
      return true;
    case "response": {
      // An answer under thoth's own ids is thoth's, never the server's: the server may ask
      // nothing under them (see `refuseOwnIdRequest`), so it is read for thoth first.
      if (typeof message.id === "string" && ownId(s, message.id)) {
        ownAnswer(s, message.id, message.value);
        return false;
      }
      if (message.defect !== undefined) return refuseMalformedAnswer(s, message);
      const key = message.id === null ? undefined : idKey(message.id);
      const asked = key === undefined ? undefined : s.serverRequests.get(key);
      if (asked !== undefined) {
        s.serverRequests.delete(key!);
        // Its offer is still read below (and then held by the task the answer creates).
        s.liveOffers.release(asked);
      } else if (key !== undefined && s.cancelledServerRequests.has(key)) {
        // The server cancelled that request and ignores its answer: dropped, never relayed.
        return lateAnswer(s, message.id!, key);
      }
      if (s.rootsRequests.length > 0 && message.id !== null) {
        const at = answeredRequest(s.rootsRequests, message.id);
        if (at !== -1) {
          s.rootsRequests.splice(at, 1);
          if (!message.isError) s.opts.events?.rootsListed?.(message.value["result"]);
        }
      }
      // A sampling answer may carry tools the model chose, which the server will run; an
      // answer to a request thoth does not remember is read as one too (fail closed). An
      // answer with a result has no error here (one with both is refused above).
      if (message.id !== null && "result" in message.value) {
        // Once a cancelled request that could choose tools was forgotten, its id may name
        // another request by now: every answer is read for tools (see relay_server_cancels.ts).
        const reading = toolUseReading(s, asked, message.value["result"]) ??
          (s.toolUseIdsForgotten ? {} : undefined);
        if (reading !== undefined) {
          return samplingAnswer(s, message.id, message.value, reading);
        }
      }
      return true;
    }
    case "batch":
      // JSON-RPC has no batch inside a batch; a lenient server must not get one past the enforcer.
      return refuseNoRequest(s, NESTED, message);
    default: {
      if (!isPlainObject(message.value)) {
        return refuseNoRequest(s, "a message that is not a JSON object", message);
      }
      const called = methodOf(message.value);
      if (called === "tools/call") {
        return refuseInvalid(s, "a tools/call whose id is not a string or a number", message);
      }
      if (isPlainObject(message.value) && !namesMethod(message.value)) {
        // No method name (none, `""`, or not a string) and neither result nor error: Go's
        // SDK reads `"method": ""` as a response, so no message of this shape is forwarded.
        const id = message.value["id"];
        const method = "method" in message.value;
        if (isId(id) && s.serverRequests.has(idKey(id))) {
          // An answer with neither result nor error: the server's request gets an error.
          return refuseMalformedAnswer(s, neitherAnswer(id, message.value));
        }
        if ("id" in message.value || method) {
          return refuseInvalid(
            s,
            method
              ? "a message whose method is empty or not a string"
              : "a message with an id and neither method, result nor error",
            message,
          );
        }
      }
      if (
        isPlainObject(message.value) && sampledResponses(message.value["params"]).length > 0
      ) {
        return refuseInvalid(
          s,
          "a request that carries inputResponses under an id that is not a string or a number",
        );
      }
      if (
        typeof called === "string" &&
        (GOVERNED_METHODS.has(called) || governedVariant(called) !== undefined)
      ) {
        // A lenient server reads some such ids as ids (pydantic takes `false` for 0).
        return refuseInvalid(
          s,
          `a request with the method ${shownMethod(called)} whose id is not a string or a number`,
          message,
        );
      }
      return true;
    }
  }
}

/**
 * What JSON-RPC reads as no request at all (`what`): an empty batch, a
 * batch inside a batch, a line that is not an object. Answered `-32600`
 * with a `null` id, as JSON-RPC answers an invalid request, recorded
 * (under the governed method it holds, if any; else under no method, with
 * the digest of its line), never forwarded: a server would read it as it
 * pleases, past the enforcer.
 */
export function refuseNoRequest(s: RelayState, what: string, message: Message): false {
  const value = messageValue(message);
  s.ports.note(`refused ${what} (${shownKind(value)}; not valid JSON-RPC); it was not forwarded`);
  s.ports.toClient(
    errorResponse(null, RPC_INVALID_REQUEST, `Invalid Request: thoth refused ${what}`),
  );
  recordRefusal(s, value, undefined, `${what} (not valid JSON-RPC)`, "");
  return false;
}

/** Whether a client batch's element is no request at all: not an object, or a batch. */
export function isNoRequest(item: Message): boolean {
  return item.kind === "batch" || (item.kind === "other" && !isPlainObject(item.value));
}

/**
 * The elements of a client batch that are no request at all (see
 * {@linkcode isNoRequest}): each answered `-32600` with a `null` id, as
 * JSON-RPC answers each invalid element of a batch, in the line's one
 * array of answers (`answers`, see `relay_batch_answers.ts`), never
 * forwarded; said on stderr and recorded once for the line, as
 * {@linkcode refuseNoRequest} records (a line of a million such elements
 * makes one note and one record, each record's digest being of the whole
 * line), the record naming the governed requests inside the refused
 * batches (see {@linkcode governedInside}).
 */
export function refuseBatchElements(
  s: RelayState,
  elements: readonly Message[],
  answers: BatchAnswers,
): void {
  const nested = elements.filter((item) => item.kind === "batch").length;
  const scalars = elements.length - nested;
  const parts: string[] = [];
  if (nested > 0) {
    parts.push(nested === 1 ? NESTED : `${nested} batches inside a batch`);
  }
  if (scalars > 0) {
    const first = elements.find((item) => item.kind !== "batch")!;
    parts.push(
      scalars === 1
        ? `${NOT_OBJECT} (${shownKind(messageValue(first))})`
        : `${scalars} batch elements that are not JSON objects`,
    );
  }
  const what = parts.join(" and ");
  s.ports.note(`refused ${what} (not valid JSON-RPC); none was forwarded`);
  const wire = (refused: string) =>
    errorResponse(null, RPC_INVALID_REQUEST, `Invalid Request: thoth refused ${refused}`);
  const nestedAnswer = nested > 0 ? wire(NESTED) : undefined;
  const scalarAnswer = scalars > 0 ? wire(NOT_OBJECT) : undefined;
  for (const item of elements) {
    answers.add(item.kind === "batch" ? nestedAnswer! : scalarAnswer!);
  }
  // A governed method inside a nested batch names the record; the reason names each one,
  // with the names the client chose that the detectors flag hidden in the record.
  const inside = elements.flatMap((item) => item.kind === "batch" ? messageValue(item) : []);
  const listed = (tool: string) => s.tools.has(tool);
  const reason = (hide?: (name: string) => string) =>
    `${what} (not valid JSON-RPC)${nested > 0 ? governedInside(inside, hide, listed) : ""}`;
  recordRefusal(s, inside, undefined, reason(), "", nested > 0 ? reason : undefined);
}

/** The governed requests a refusal's reason names at most; the rest are counted. */
export const SHOWN_INSIDE = 20;

/**
 * The governed requests (see `method_variant.ts`) found at any depth in
 * the batches `values` (the elements of refused nested batches), for a
 * record's reason: `; the governed requests inside: tools/call "echo" (id
 * 11), …`, the first {@linkcode SHOWN_INSIDE} named (a tool call by its
 * tool) and the rest counted; "" when there is none. `hide` gives the form
 * a record shows of a name the client chose (a prompt's, a string id, a
 * tool name no `tools/list` named, which `listed` tells): its keyed digest
 * when the detectors flag it (see `redact_recorded_names.ts`).
 */
export function governedInside(
  values: readonly unknown[],
  hide: (name: string) => string = (name) => name,
  listed: (tool: string) => boolean = () => false,
): string {
  const shown: string[] = [];
  let count = 0;
  // Walked without recursion: a line may nest its batches as deep as it is long.
  const pending: (readonly unknown[])[] = [values];
  while (pending.length > 0) {
    for (const value of pending.pop()!) {
      if (Array.isArray(value)) {
        pending.push(value);
        continue;
      }
      const named = isPlainObject(value) ? governedNamed(value) : undefined;
      if (named === undefined) continue;
      count++;
      if (shown.length < SHOWN_INSIDE) {
        shown.push(shownRequest(named, value as Record<string, unknown>, hide, listed));
      }
    }
  }
  if (count === 0) return "";
  const more = count > shown.length ? `, and ${count - shown.length} more (${count} in all)` : "";
  return `; the governed requests inside: ${shown.join(", ")}${more}`;
}

/**
 * A governed request for a reason: its method, its tool (for a `tools/call`)
 * or prompt, and its id, each name the client chose as `hide` gives it.
 */
function shownRequest(
  named: { method: string; params: unknown },
  value: Record<string, unknown>,
  hide: (name: string) => string,
  listed: (tool: string) => boolean,
): string {
  const tools = named.method === "tools/call";
  const method = tools ? named.method : shownMethod(named.method);
  const name = isPlainObject(named.params) ? named.params["name"] : undefined;
  const shown = typeof name === "string"
    ? ` ${shownName(tools && listed(name) ? name : hide(name), 80)}`
    : "";
  const raw = value["id"];
  const id = "id" in value
    ? ` (id ${shownText(typeof raw === "string" ? hide(raw) : raw)})`
    : " (no id)";
  return `${method}${shown}${id}`;
}

const NESTED = "a batch inside a batch";
const NOT_OBJECT = "a batch element that is not a JSON object";

/** What a refused message is, in words for a note: never its text. */
function shownKind(value: unknown): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? "an empty array" : `an array of ${value.length}`;
  }
  return value === null ? "null" : `a ${typeof value}`;
}

function clientCancelled(s: RelayState, params: unknown): boolean {
  const id = cancelledRequestId(params);
  if (id === undefined) return true;
  const key = idKey(id);
  const held = s.held.get(key);
  if (held !== undefined) {
    // The server never saw this call: end the wait here, answer nothing.
    held.cancelled = true;
    held.abort?.abort(new Error("the client cancelled the call"));
    s.held.delete(key);
    forgetProgress(s, held.progressKey);
    s.opts.events?.cancelled?.(id, held.tool);
    return false;
  }
  const pending = s.pending.get(key);
  if (pending !== undefined && s.callLine.size > 0 && s.callLine.withdraw(key)) {
    // Allowed, but still in the call line: the server never saw it, as a held call.
    s.pending.delete(key);
    forgetProgress(s, pending.progressKey);
    s.opts.events?.cancelled?.(id, pending.tool);
    return false;
  }
  if (pending !== undefined) {
    s.pending.delete(key);
    // The server may still answer it: that answer is this call's, never a newer one's,
    // and a tool call's answer is still its decision's outcome (see `unmatchedAnswer`).
    s.cancelled.add(
      key,
      s.now(),
      pending.method === "tools/call" && pending.decisionId !== undefined
        ? {
          id: pending.id,
          tool: pending.tool ?? "",
          started: pending.started,
          decisionId: pending.decisionId,
        }
        : undefined,
      idText(pending.id),
    );
    s.toolsListCalls.delete(key);
    forgetProgress(s, pending.progressKey);
    if (pending.method === "initialize") s.handshake.end();
    s.opts.events?.cancelled?.(id, pending.tool);
  }
  return true;
}
