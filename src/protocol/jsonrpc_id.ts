/**
 * JSON-RPC ids as MCP allows them, and as the relay keeps them: what counts
 * as one, the map key that keeps `1` and `"1"` apart, and the id an answer
 * must carry when the client wrote its number otherwise than `String(id)`
 * would, or past 2^53 (kept as `JSON.rawJSON`, digit for digit). Pure.
 *
 * @example
 * ```ts
 * isId(1); // true
 * idKey(1) === idKey("1"); // false
 * idText(spelledId(2, "2.0")); // "2.0"
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
