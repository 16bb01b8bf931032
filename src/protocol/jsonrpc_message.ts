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

import { isRawJson, parseExactIntegers } from "./exact_integers.ts";

/**
 * A JSON-RPC id as MCP allows it. An integer id too large for a double may
 * also be the `JSON.rawJSON` value the relay keeps its digits in (see
 * {@linkcode exactId}): typed as a number, keyed like the rounded number,
 * and written back digit for digit.
 */
export type JsonRpcId = string | number;

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

/**
 * The id to route a request under when its id is a number the client wrote
 * otherwise than `String(id)` writes it (`2.0`, `2e0`, `-0`): `text`, its
 * spelling in the client's line (see `id_text.ts`), kept as raw JSON, which
 * is keyed as the number it reads as (see {@linkcode idKey}) and written
 * back as the client wrote it. Else `id` (an integer past 2^53 is kept by
 * {@linkcode exactId}). The server's answer must then carry this spelling
 * (see {@linkcode idText}), and thoth's own answers carry it too.
 *
 * @example
 * ```ts
 * JSON.stringify({ id: spelledId(2, "2.0") }); // '{"id":2.0}'
 * spelledId(2, "2"); // 2
 * ```
 */
export function spelledId(id: JsonRpcId, text: string | undefined): JsonRpcId {
  if (typeof id !== "number" || text === undefined || rawJson === undefined) return id;
  if (text === String(id) || !NUMBER_TEXT.test(text) || Number(text) !== id) return id;
  return rawJson(text) as JsonRpcId;
}

/**
 * The text an answer's id must have to answer a request with id `id`, as
 * the client wrote it: a number's own text, or the text kept (see
 * {@linkcode exactId}, {@linkcode spelledId}); undefined for a string id (a
 * string's escapes spell the same string to every reader).
 *
 * @example
 * ```ts
 * idText(2); // "2"
 * idText(spelledId(2, "2.0")); // "2.0"
 * idText("2"); // undefined
 * ```
 */
export function idText(id: JsonRpcId): string | undefined {
  if (typeof id === "string") return undefined;
  if (typeof id === "number") return String(id);
  return rawIdText(id);
}

/** `JSON.rawJSON`, where the runtime has it. */
const rawJson = (JSON as { rawJSON?: (text: string) => unknown }).rawJSON;

/** A JSON number's text. */
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The text of a numeric id kept as raw JSON (as the client wrote it), or undefined. */
function rawIdText(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || isRawJson?.(value) !== true) return undefined;
  const text = (value as { rawJSON?: unknown }).rawJSON;
  return typeof text === "string" && NUMBER_TEXT.test(text) ? text : undefined;
}

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

/**
 * A map key for an id that keeps `1` and `"1"` apart (JSON-RPC treats them
 * as different ids).
 */
export function idKey(id: JsonRpcId): string {
  if (typeof id === "number") return `n:${id}`;
  if (typeof id === "string") return `s:${id}`;
  // A kept id (a long integer, a number spelled its own way): keyed as the number it reads
  // as, as the server's answer will be read.
  return `n:${Number(rawIdText(id))}`;
}

const STRING = String.raw`"(?:[^"\\]|\\.){0,256}"`;
const SCALAR = String.raw`(?:${STRING}|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)`;
/** One leading member with a plain value and the comma after it. */
const LEADING_MEMBER = new RegExp(String.raw`\s*(${STRING})\s*:\s*(${SCALAR})\s*,`, "y");
/** The key of the member after the leading ones. */
const NEXT_KEY = new RegExp(String.raw`\s*(${STRING})\s*:`, "y");
/** One member with a plain value after a comma, where the object's last members stand. */
const TRAILING_ONE = new RegExp(String.raw`,\s*${STRING}\s*:\s*${SCALAR}\s*`, "y");
/** The end of the object. */
const CLOSE = /\}\s*$/y;
const TRAILING_MEMBER = new RegExp(String.raw`(${STRING})\s*:\s*(${SCALAR})`, "g");

/** What the first and last bytes of a message too long (or too broken) to parse show. */
export interface FragmentFacts {
  /** Its top-level id, when it stands once among the members seen (a repeated id is no id). */
  id: JsonRpcId | undefined;
  /**
   * `request` (a request or notification): a top-level `method` among the
   * members seen, or `method` or `params` as the first member with a value
   * not read. `response`: `result` or `error` seen so, and no `method`.
   * `unknown`: neither seen, or the bytes are not those of one object.
   */
  kind: "request" | "response" | "unknown";
}

/**
 * Best effort: the top-level id of a message too long to parse, and whether
 * it is a request or a response, from its first and last bytes. Only a text
 * that opens an object is read (a log line that quotes a message is not),
 * and only members with plain values before the first structured one, or
 * after the last when the text closes the object (where
 * serializers put `jsonrpc`, `id` and `method`), and the key of that first
 * structured one; a nested id is never taken for the message's. An integer
 * id past 2^53 keeps its digits.
 *
 * @example
 * ```ts
 * readFragments('{"jsonrpc":"2.0","id":7,"result":{"a', 'x"}}'); // { id: 7, kind: "response" }
 * ```
 */
export function readFragments(head: string, tail: string): FragmentFacts {
  const { id, kind } = readFragmentsWithText(head, tail);
  return { id, kind };
}

/**
 * {@linkcode readFragments}, with the text the id is written in (`2.0`,
 * `"a"`) when there is one: a member read whole, never cut at the end of `head`.
 *
 * @example
 * ```ts
 * readFragmentsWithText('{"id":2.0,"result":{"a', 'x"}}').idText; // "2.0"
 * ```
 */
export function readFragmentsWithText(
  head: string,
  tail: string,
): FragmentFacts & { idText: string | undefined } {
  const open = /^\s*\{/.exec(head);
  if (open === null) return { id: undefined, idText: undefined, kind: "unknown" };
  const members = new Map<string, string>();
  const repeated = new Set<string>();
  let at = open[0].length;
  for (;;) {
    LEADING_MEMBER.lastIndex = at;
    const member = LEADING_MEMBER.exec(head);
    if (member === null) break;
    remember(members, repeated, member[1]!, member[2]!);
    at = LEADING_MEMBER.lastIndex;
  }
  NEXT_KEY.lastIndex = at;
  const next = NEXT_KEY.exec(head);
  const firstStructured = next === null ? undefined : keyText(next[1]!);
  const trailing = trailingMembers(tail);
  if (trailing) {
    for (const member of trailing.matchAll(TRAILING_MEMBER)) {
      remember(members, repeated, member[1]!, member[2]!);
    }
  }
  const raw = repeated.has("id") ? undefined : members.get("id");
  const request = members.has("method") || firstStructured === "method" ||
    firstStructured === "params";
  const response = members.has("result") || members.has("error") ||
    firstStructured === "result" || firstStructured === "error";
  const id = raw === undefined ? undefined : idOf(raw);
  return {
    id,
    idText: id === undefined ? undefined : raw,
    kind: request ? "request" : response ? "response" : "unknown",
  };
}

/**
 * The top-level id of a message from its first and last bytes (see
 * {@linkcode readFragments}); `undefined` when they do not show one.
 *
 * @example
 * ```ts
 * findIdInFragments('{"jsonrpc":"2.0","id":7,"result":{"a', 'x"}}'); // 7
 * ```
 */
export function findIdInFragments(head: string, tail: string): JsonRpcId | undefined {
  return readFragments(head, tail).id;
}

/**
 * The members with plain values that end the object, from the first comma
 * where such members run up to its closing brace; "" when none do, and
 * undefined when `tail` does not end with a brace. The whole tail is read
 * (a member past any shorter bound would go unseen), in time linear in its
 * length: a chain of members that does not reach the brace is never walked
 * again from a later member of it.
 */
function trailingMembers(tail: string): string | undefined {
  const failed = new Set<number>();
  for (let start = tail.indexOf(","); start !== -1; start = tail.indexOf(",", start + 1)) {
    const walked: number[] = [];
    let at = start;
    while (!failed.has(at)) {
      TRAILING_ONE.lastIndex = at;
      if (TRAILING_ONE.exec(tail) === null) break;
      walked.push(at);
      at = TRAILING_ONE.lastIndex;
    }
    if (!failed.has(at)) {
      CLOSE.lastIndex = at;
      if (walked.length > 0 && CLOSE.test(tail)) return tail.slice(start, at);
      failed.add(at);
    }
    for (const member of walked) failed.add(member);
  }
  return /\}\s*$/.test(tail) ? "" : undefined;
}

function remember(
  members: Map<string, string>,
  repeated: Set<string>,
  key: string,
  value: string,
): void {
  const name = keyText(key);
  if (name === undefined) return;
  if (members.has(name)) repeated.add(name);
  else members.set(name, value);
}

function keyText(quoted: string): string | undefined {
  try {
    const key: unknown = JSON.parse(quoted);
    return typeof key === "string" ? key : undefined;
  } catch {
    return undefined;
  }
}

function idOf(raw: string): JsonRpcId | undefined {
  try {
    const id = parseExactIntegers(raw);
    return isId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
