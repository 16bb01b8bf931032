/**
 * How a `RelaySession` (`relay_session.ts`) reads a message's JSON-RPC
 * envelope: its id, method and outcome keys (also as a client that folds key
 * case reads them), whether a large line's keys make a result thoth may
 * relay, the governed method a refused message names, and a batch line
 * rebuilt without some of its elements. Pure.
 *
 * @example
 * ```ts
 * namesMethod({ jsonrpc: "2.0", method: "" }); // false
 * ```
 */
import { isId, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { Message, RequestMessage, ResponseMessage } from "../protocol/jsonrpc_message.ts";
import { caseVariantKey, ENVELOPE_KEYS, foldKey } from "../protocol/key_case.ts";
import { isPlainObject } from "../protocol/mcp_shapes.ts";
import type { TopLevelKeys } from "../protocol/top_level_keys.ts";
import { GOVERNED_METHODS, governedVariant } from "../protocol/method_variant.ts";
import { arrayItemSpans, bomKeeping, encoder } from "./relay_line_text.ts";

/** The id of a message thoth cannot route, when it is a valid JSON-RPC id; else null. */
export function usableId(message: Message | undefined): JsonRpcId | null {
  if (message?.kind !== "other" || !isPlainObject(message.value)) return null;
  const id = message.value["id"];
  return isId(id) ? id : null;
}

/**
 * Whether a large line's top-level keys (see `top_level_keys.ts`) are those
 * of a result JSON-RPC allows: `jsonrpc` once, as "2.0", `result` once, and
 * no `error`, `method` or `id` beside the one its first bytes show.
 */
export function relayableEnvelope(top: TopLevelKeys): boolean {
  let jsonrpc = 0;
  let result = 0;
  let id = 0;
  for (const key of top.keys) {
    if (key === "error" || key === "method") return false;
    if (key === "jsonrpc") jsonrpc++;
    else if (key === "result") result++;
    else if (key === "id") id++;
  }
  return jsonrpc === 1 && result === 1 && id === 1 && top.jsonrpc === "2.0";
}

/** Whether a message has a method that names something: a non-empty string. */
export function namesMethod(value: Record<string, unknown>): boolean {
  const method = value["method"];
  return typeof method === "string" && method !== "";
}

/**
 * A message with an id (or none) and neither result nor error, as the
 * response it would be to a reader that takes a message without a method
 * name for one.
 */
export function neitherAnswer(
  id: JsonRpcId | null,
  value: Record<string, unknown>,
): ResponseMessage {
  return {
    kind: "response",
    id,
    isError: false,
    defect: "method" in value
      ? "it has neither result nor error, and its method is empty or not a string"
      : "it has neither result nor error",
    value,
  };
}

/** The `method` of a message's value, whatever it is; undefined when the value is no object. */
export function methodOf(value: unknown): unknown {
  return isPlainObject(value) ? value["method"] : undefined;
}

/**
 * The governed method a refused message names (see `#recordRefusal`), as
 * written, with its params; undefined when it names none.
 */
export function governedNamed(value: unknown): { method: string; params: unknown } | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const named = governedNamed(isPlainObject(item) ? item : undefined);
      if (named !== undefined) return named;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || (key !== "method" && foldKey(key) !== "method")) continue;
    const method = value[key];
    if (
      typeof method === "string" &&
      (GOVERNED_METHODS.has(method) || governedVariant(method) !== undefined)
    ) {
      return { method, params: value["params"] };
    }
  }
  return undefined;
}

/** Whether `message` is a `tools/call` request. */
export function isToolCall(message: Message): message is RequestMessage {
  return message.kind === "request" && message.method === "tools/call";
}

/** The JSON value of a message (of each element, for a batch). */
export function messageValue(message: Message): unknown {
  if (message.kind === "batch") return message.items.map(messageValue);
  return message.value;
}

/**
 * The first key of a message (or of an element of a batch) that differs from
 * a JSON-RPC key only by case (see `key_case.ts`), or undefined. An ordinary
 * message costs a look at each of its few top-level keys.
 */
export function envelopeVariant(message: Message): string | undefined {
  const items = message.kind === "batch" ? message.items : [message];
  for (const item of items) {
    if (item.kind === "batch" || !isPlainObject(item.value)) continue;
    const variant = caseVariantKey(item.value, ENVELOPE_KEYS);
    if (variant !== undefined) return variant;
  }
  return undefined;
}

/**
 * The ids in a server line as a client that folds key case reads them: those
 * of answers, and those of requests (a `method` in any case and no
 * `result` or `error`). Every key that folds to `id` counts: such a client
 * keeps the last, which thoth cannot know to be the one it read.
 */
export function foldedEnvelopes(message: Message): { answers: JsonRpcId[]; requests: JsonRpcId[] } {
  const answers: JsonRpcId[] = [];
  const requests: JsonRpcId[] = [];
  const items = message.kind === "batch" ? message.items : [message];
  for (const item of items) {
    if (item.kind === "batch" || !isPlainObject(item.value)) continue;
    const ids: JsonRpcId[] = [];
    let method = false;
    let outcome = false;
    for (const [key, value] of Object.entries(item.value)) {
      const folded = foldKey(key);
      if (folded === "id" && isId(value) && value !== null) ids.push(value);
      else if (folded === "method" && typeof value === "string") method = true;
      else if (folded === "result" || folded === "error") outcome = true;
    }
    (method && !outcome ? requests : answers).push(...ids);
  }
  return { answers, requests };
}

/**
 * A server batch line without the elements `kept` marks false: the others
 * keep their exact text (a progress notification as rewritten), in order.
 */
export function keptItems(
  line: Uint8Array,
  items: readonly Message[],
  kept: readonly boolean[],
): Uint8Array {
  const text = bomKeeping.decode(line);
  const spans = arrayItemSpans(text);
  const parts = spans !== undefined && spans.length === kept.length
    ? spans.flatMap(([start, end], index) => kept[index] ? [text.slice(start, end)] : [])
    : items.flatMap((item, index) => kept[index] ? [JSON.stringify(messageValue(item))] : []);
  return encoder.encode(`[${parts.join(",")}]\n`);
}
