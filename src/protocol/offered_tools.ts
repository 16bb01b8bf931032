/**
 * The tools a server's sampling requests offer the model (the request's
 * `tools`), and how their hints meet the ones a `tools/list` gave: each at
 * its stricter. In the stateless era (MCP 2026-07-28) a server sends those
 * requests inside a result's `inputRequests` (an `input_required` result, or
 * a task's state from `tasks/get` or `notifications/tasks`), each under a
 * key the client's `inputResponses` answer names. Pure.
 *
 * @example
 * ```ts
 * const offers = sampledOffers({
 *   s1: { method: "sampling/createMessage", params: { tools: [{ name: "zap", annotations: { destructiveHint: true } }] } },
 * });
 * offers.get("s1")?.get("zap"); // { destructiveHint: true }
 * stricterAnnotations({ readOnlyHint: true }, { readOnlyHint: false }); // { readOnlyHint: false }
 * ```
 */
import type { ToolAnnotations } from "../policy/tool_call.ts";
import { isPlainObject, readToolsListResult } from "./mcp_shapes.ts";

/**
 * The hints a tool offered by a sampling request thoth never saw is read
 * with: every one at its strictest (destructive, open-world, neither
 * read-only nor idempotent), since that request could have said so.
 */
export const STRICTEST_ANNOTATIONS: Readonly<ToolAnnotations> = Object.freeze({
  destructiveHint: true,
  openWorldHint: true,
  readOnlyHint: false,
  idempotentHint: false,
});

/**
 * The annotations of a tool both listed (`a`) and offered in a sampling
 * request (`b`), each hint at its stricter: destructive or open-world when
 * either says so, read-only or idempotent only when both do. One alone
 * counts as it is (a copy).
 */
export function stricterAnnotations(
  a: ToolAnnotations | undefined,
  b: ToolAnnotations | undefined,
): ToolAnnotations | undefined {
  if (a === undefined || b === undefined) {
    const one = a ?? b;
    return one === undefined ? undefined : { ...one };
  }
  const out: ToolAnnotations = {};
  const title = a.title ?? b.title;
  if (title !== undefined) out.title = title;
  for (const hint of ["destructiveHint", "openWorldHint"] as const) {
    if (a[hint] === true || b[hint] === true) out[hint] = true;
    else if (a[hint] === false && b[hint] === false) out[hint] = false;
  }
  for (const hint of ["readOnlyHint", "idempotentHint"] as const) {
    if (a[hint] === false || b[hint] === false) out[hint] = false;
    else if (a[hint] === true && b[hint] === true) out[hint] = true;
  }
  return out;
}

/** The `inputRequests` object of a result or a task's state, or undefined when it has none. */
export function inputRequestsOf(value: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined;
  const requests = value["inputRequests"];
  return isPlainObject(requests) ? requests : undefined;
}

/**
 * The most tools one sampling request's offer is remembered with: a longer
 * `tools` array is not kept, so a server cannot grow thoth's memory with it,
 * and every tool chosen in the answer is read at its strictest.
 */
export const MAX_OFFERED_TOOLS = 1024;

/**
 * The offer of a sampling request whose `tools` were too many to keep (past
 * {@linkcode MAX_OFFERED_TOOLS}): empty, and every tool chosen in its answer
 * is read at its strictest, in either era (compared by identity).
 */
export const DROPPED_OFFER: ReadonlyMap<string, ToolAnnotations> = new Map();

/**
 * The tools a sampling request's `tools` array offered, by name (a name
 * offered twice counts at its stricter hints); past
 * {@linkcode MAX_OFFERED_TOOLS} entries, {@linkcode DROPPED_OFFER}.
 */
export function offeredTools(tools: readonly unknown[]): ReadonlyMap<string, ToolAnnotations> {
  if (tools.length > MAX_OFFERED_TOOLS) return DROPPED_OFFER;
  const offered = new Map<string, ToolAnnotations>();
  for (const tool of tools) {
    for (const [name, hints] of readToolsListResult({ tools: [tool] })) {
      offered.set(name, stricterAnnotations(offered.get(name), hints)!);
    }
  }
  return offered;
}

/**
 * For each key of `inputRequests` whose request is a `sampling/createMessage`
 * with a `tools` array, the tools it offered (see {@linkcode offeredTools}).
 * Other keys are left out: an answer under them is read as one to a request
 * thoth never saw.
 */
export function sampledOffers(
  inputRequests: Record<string, unknown>,
): Map<string, ReadonlyMap<string, ToolAnnotations>> {
  const offers = new Map<string, ReadonlyMap<string, ToolAnnotations>>();
  for (const key in inputRequests) {
    if (!Object.hasOwn(inputRequests, key)) continue;
    const request = inputRequests[key];
    if (!isPlainObject(request) || request["method"] !== "sampling/createMessage") continue;
    const params = request["params"];
    const tools = isPlainObject(params) ? params["tools"] : undefined;
    if (!Array.isArray(tools)) continue;
    offers.set(key, offeredTools(tools));
  }
  return offers;
}
