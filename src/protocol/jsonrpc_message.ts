/**
 * JSON-RPC 2.0 message classification, only as deep as routing needs.
 * Pure: takes parsed JSON, returns a tagged union.
 *
 * @example
 * ```ts
 * const m = classifyMessage(JSON.parse('{"jsonrpc":"2.0","id":1,"method":"tools/list"}'));
 * if (m.kind === "request") console.log(m.method); // "tools/list"
 * ```
 */

import { isRawJson } from "./exact_integers.ts";

/**
 * A JSON-RPC id as MCP allows it. An integer id too large for a double may
 * also be the `JSON.rawJSON` value the relay keeps its digits in (see
 * {@linkcode exactId}): typed as a number, keyed like the rounded number,
 * and written back digit for digit.
 */
export type JsonRpcId = string | number;

/** A request: has a method and an id. */
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

/** A response: has an id and a result or an error. */
export interface ResponseMessage {
  kind: "response";
  id: JsonRpcId | null;
  isError: boolean;
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

/** Whether a value is a JSON-RPC id as MCP allows it: a string or a finite number. */
export function isId(value: unknown): value is JsonRpcId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value)) ||
    rawIdText(value) !== undefined;
}

/**
 * The id to answer a request with: `exact` (the same id parsed with its
 * digits kept, see `exact_integers.ts`) when `id` is an integer a double
 * could not hold and `exact` is its raw JSON; else `id`. A client that
 * numbers requests past 2^53 then gets thoth's own answers under the id it
 * sent, not a rounded one it would wait on forever.
 */
export function exactId(id: JsonRpcId, exact: unknown): JsonRpcId {
  if (typeof id !== "number" || Number.isSafeInteger(id)) return id;
  const text = rawIdText(exact);
  return text !== undefined && Number(text) === id ? exact as JsonRpcId : id;
}

/** The digits of an id kept as raw JSON (an integer), or undefined. */
function rawIdText(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || isRawJson?.(value) !== true) return undefined;
  const text = (value as { rawJSON?: unknown }).rawJSON;
  return typeof text === "string" && /^-?\d+$/.test(text) ? text : undefined;
}

/** Classifies one parsed JSON value. */
export function classifyMessage(value: unknown): Message {
  if (Array.isArray(value)) {
    return { kind: "batch", items: value.map(classifyMessage) };
  }
  if (value === null || typeof value !== "object") return { kind: "other", value };
  const object = value as Record<string, unknown>;
  const method = object["method"];
  if (typeof method === "string") {
    const id = object["id"];
    if (isId(id)) return { kind: "request", id, method, params: object["params"], value: object };
    if (!("id" in object)) {
      return { kind: "notification", method, params: object["params"], value: object };
    }
    return { kind: "other", value };
  }
  if ("result" in object || "error" in object) {
    const id = object["id"];
    return {
      kind: "response",
      id: isId(id) ? id : null,
      isError: "error" in object,
      value: object,
    };
  }
  return { kind: "other", value };
}

/**
 * A map key for an id that keeps `1` and `"1"` apart (JSON-RPC treats them
 * as different ids).
 */
export function idKey(id: JsonRpcId): string {
  if (typeof id === "number") return `n:${id}`;
  if (typeof id === "string") return `s:${id}`;
  // A kept integer id: keyed as its rounded number, as the server's answer will be read.
  return `n:${Number(rawIdText(id))}`;
}

const ID_AT_END = /"id"\s*:\s*(-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.){0,256}")\s*\}\s*$/;
const ID_AT_START =
  /^\s*\{(?:\s*"(?:jsonrpc|method)"\s*:\s*"(?:[^"\\]|\\.){0,256}"\s*,)*\s*"id"\s*:\s*(-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.){0,256}")/;

/**
 * Best effort: the top-level id of a message that was too long to parse,
 * from its first and last bytes. Only ids in the two places serializers put
 * them are recognised (first keys, or the very last key); anything else is
 * `undefined`.
 *
 * @example
 * ```ts
 * findIdInFragments('{"jsonrpc":"2.0","id":7,"result":{"a', 'x"}}'); // 7
 * ```
 */
export function findIdInFragments(head: string, tail: string): JsonRpcId | undefined {
  const atStart = ID_AT_START.exec(head);
  const raw = atStart?.[1] ?? ID_AT_END.exec(tail)?.[1];
  if (raw === undefined) return undefined;
  try {
    const id = JSON.parse(raw);
    return isId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
