/**
 * JSON-RPC 2.0 message classification, only as deep as routing needs.
 * Pure: takes parsed JSON, returns a tagged union. What counts as an id is
 * `jsonrpc_id.ts`'s; a message too long to parse is read by
 * `message_fragments.ts`.
 *
 * @example
 * ```ts
 * const m = classifyMessage(JSON.parse('{"jsonrpc":"2.0","id":1,"method":"tools/list"}'));
 * if (m.kind === "request") console.log(m.method); // "tools/list"
 * ```
 */

import { isId, type JsonRpcId } from "./jsonrpc_id.ts";

/** A request: has a method (a non-empty string) and an id. */
export interface RequestMessage {
  kind: "request";
  id: JsonRpcId;
  method: string;
  params: unknown;
  value: Record<string, unknown>;
}

/** A notification: has a method, no id. */
export interface NotificationMessage {
  kind: "notification";
  method: string;
  params: unknown;
  value: Record<string, unknown>;
}

/**
 * A response: has an id and a result or an error (a message with no method
 * name, a non-empty string, that has either is read as one, even one
 * JSON-RPC does not allow: see `defect`).
 */
export interface ResponseMessage {
  kind: "response";
  /** Its id; null when it has none, or one that is not a string or a number. */
  id: JsonRpcId | null;
  /** Whether it has an `error` key (when it also has `result`, see `defect`). */
  isError: boolean;
  /**
   * What makes it no response JSON-RPC allows, in words for a note, when
   * something does: both `result` and `error` (whatever `error` holds: a
   * reader that takes `"error": null` for no error reads the result); a
   * `method` beside them (`""`, or not a string: Go's SDK reads a message
   * with an empty method as a response, others as a request); no `id`, or an
   * `id` that is not a string or a number (a null or absent id only with an
   * error, as JSON-RPC answers a request it could not read); an `error` that
   * is not an object (`null`, `"boom"`: the SDKs reject it, Go reads no
   * error); a `jsonrpc` that is absent or not `"2.0"` (every SDK rejects
   * it). Lenient readers differ on such a message (pydantic reads `"id":
   * false` as 0), so no side may take it as it is.
   */
  defect?: string;
  value: Record<string, unknown>;
}

/** A batch (2025-03-26): each element classified on its own. */
export interface BatchMessage {
  kind: "batch";
  items: Message[];
}

/** Valid JSON that is not a JSON-RPC message thoth can route. */
export interface OtherMessage {
  kind: "other";
  value: unknown;
}

/** Any classified message. */
export type Message =
  | RequestMessage
  | NotificationMessage
  | ResponseMessage
  | BatchMessage
  | OtherMessage;

/**
 * Classifies one parsed JSON value. A batch's elements are classified one by
 * one; an array inside a batch (which JSON-RPC does not allow, and which
 * the relay refuses) is a batch whose elements are all `other`, never looked
 * into: however deep a client or server nests arrays, this does not recurse.
 */
export function classifyMessage(value: unknown): Message {
  if (!Array.isArray(value)) return classifyOne(value);
  const items: Message[] = [];
  for (const item of value) {
    items.push(Array.isArray(item) ? unlookedBatch(item) : classifyOne(item));
  }
  return { kind: "batch", items };
}

/** An array inside a batch: its elements kept as they are, as `other`. */
function unlookedBatch(value: unknown[]): BatchMessage {
  return { kind: "batch", items: value.map((item): Message => ({ kind: "other", value: item })) };
}

function classifyOne(value: unknown): Message {
  if (value === null || typeof value !== "object") return { kind: "other", value };
  const object = value as Record<string, unknown>;
  const method = object["method"];
  // An empty method names nothing: Go's SDK reads a message with `"method": ""` as a
  // response, so it is never a request here (see `defect`).
  if (typeof method === "string" && method !== "") {
    const id = object["id"];
    if (isId(id)) return { kind: "request", id, method, params: object["params"], value: object };
    if (!("id" in object)) {
      return { kind: "notification", method, params: object["params"], value: object };
    }
    return { kind: "other", value };
  }
  const hasResult = "result" in object;
  const hasError = "error" in object;
  if (hasResult || hasError) {
    const id = object["id"];
    const usable = isId(id);
    const message: ResponseMessage = {
      kind: "response",
      id: usable ? id : null,
      isError: hasError,
      value: object,
    };
    const defect = responseDefect(object, hasResult, hasError, usable);
    if (defect !== undefined) message.defect = defect;
    return message;
  }
  return { kind: "other", value };
}

/**
 * What makes a message with a result or an error no response JSON-RPC
 * allows (see {@linkcode ResponseMessage}), or undefined. Key tests on the
 * parsed object only.
 */
function responseDefect(
  object: Record<string, unknown>,
  hasResult: boolean,
  hasError: boolean,
  usable: boolean,
): string | undefined {
  if (hasResult && hasError) return "it has both result and error";
  if ("method" in object) {
    return `it has a method (${shownMethod(object["method"])}) beside its ${
      hasResult ? "result" : "error"
    }`;
  }
  const id = object["id"];
  // A null or absent id only with an error: JSON-RPC's answer to a request it could not read.
  if (!usable && !(hasError && (id === null || !("id" in object)))) {
    return responseIdDefect(object, id);
  }
  if (hasError && !isPlainObject(object["error"])) {
    return `its error ${shownValue(object["error"])} is not an object`;
  }
  const version = object["jsonrpc"];
  if (version !== "2.0") {
    return "jsonrpc" in object
      ? `its jsonrpc ${shownValue(version)} is not "2.0"`
      : 'it has no jsonrpc "2.0"';
  }
  return undefined;
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A method that names nothing, in words for a note. */
function shownMethod(method: unknown): string {
  return method === "" ? "an empty string" : `${shownValue(method)}, not a name`;
}

/** A value in a note: a short scalar as JSON, else its kind. */
function shownValue(value: unknown): string {
  if (Array.isArray(value)) return "(an array)";
  if (value !== null && typeof value === "object") return "(an object)";
  if (typeof value === "string" && value.length > 40) return "(a long string)";
  return JSON.stringify(value) ?? String(value);
}

/** Why a response's id is none JSON-RPC allows. */
function responseIdDefect(object: Record<string, unknown>, id: unknown): string {
  if (!("id" in object)) return "it has no id";
  if (typeof id === "number") return "its id is a number out of range";
  const shown = id === null || typeof id !== "object"
    ? JSON.stringify(id)
    : Array.isArray(id)
    ? "(an array)"
    : "(an object)";
  return `its id ${shown} is not a string or a number`;
}
