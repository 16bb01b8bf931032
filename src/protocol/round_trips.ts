/**
 * Which stateless-era round trip (MCP 2026-07-28, multi-round-trip requests)
 * a request or result belongs to, as a short scope string: the sampling
 * requests a server sends in an `input_required` result are answered in the
 * client's retry, so the offers of one request's round trip must serve only
 * that request's retry, never another's. A retry carries the result's
 * `requestState` back when the server gave one (the scope is then that
 * state's); without it, the retry is the original request again with its
 * answers added (the scope is then the request's method and params, its
 * `inputResponses`, `requestState` and `_meta` left out). Scopes are
 * digests: two that collide share their offers, each tool at its stricter
 * hints, which gives the server nothing it could not offer itself. Pure.
 *
 * @example
 * ```ts
 * resultRound({ resultType: "input_required", requestState: "a" });       // "s:…"
 * continuedRound({ name: "agent", inputResponses: {}, requestState: "a" }); // the same
 * requestRound("tools/call", { name: "agent", arguments: {} });            // "r:…"
 * ```
 */
import { isPlainObject } from "./mcp_shapes.ts";

/** The keys a retry adds to the original request, left out of its scope. */
const RETRY_KEYS = new Set(["inputResponses", "requestState", "_meta"]);

/** The scope of the round trip a request starts (its method and params, as a retry repeats them). */
export function requestRound(method: string, params: unknown): string {
  let kept: unknown = params;
  if (isPlainObject(params)) {
    const own: Record<string, unknown> = {};
    for (const key in params) {
      if (Object.hasOwn(params, key) && !RETRY_KEYS.has(key)) own[key] = params[key];
    }
    kept = own;
  }
  return `r:${digest(JSON.stringify([method, kept ?? null]))}`;
}

/**
 * The scope of the round trip a request continues: the `requestState` it
 * carries back, or undefined when it carries none.
 */
export function continuedRound(params: unknown): string | undefined {
  return stateRound(params);
}

/** The scope a result's `inputRequests` are remembered under: its `requestState`'s, or undefined. */
export function resultRound(result: unknown): string | undefined {
  return stateRound(result);
}

function stateRound(value: unknown): string | undefined {
  const state = isPlainObject(value) ? value["requestState"] : undefined;
  return typeof state === "string" ? `s:${digest(state)}` : undefined;
}

/** Two 32-bit FNV-1a hashes of `text` (different offsets), as 16 hex digits. */
function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/**
 * The round trips of a stateless-era request with `method` and `params`:
 * the one it starts (computed when asked) and, for a retry (`retry`: it
 * carries `inputResponses`) or a request that carries a `requestState`
 * back, the one it continues. None for the tasks extension's methods, whose
 * requests belong to their task.
 */
export function requestRounds(
  method: string,
  params: unknown,
  retry: boolean,
): { own: () => string; continues?: string } | undefined {
  if (method.startsWith("tasks/")) return undefined;
  const own = () => requestRound(method, params);
  const continues = continuedRound(params) ?? (retry ? own() : undefined);
  return continues === undefined ? { own } : { own, continues };
}
