/**
 * thoth's own listing of the server's tools, every page, for a tool call
 * that comes before the client listed them: the policy reads the annotations
 * the server declares (`destructiveHint`, `readOnlyHint`), which a call
 * decided without them would never match. A page that does not come, or
 * comes as an error or without a result thoth can read, ends the listing as
 * failed, with why, in words for the decision's record (never the server's
 * own text, which the model would read in a refusal). No I/O here: `ask`
 * sends one `tools/list` request and resolves with its answer, or with why
 * there is none.
 *
 * @example
 * ```ts
 * const listed = await listServerTools((params) => requestServer("tools/list", params), {
 *   meta: undefined,
 *   maxPages: 32,
 * });
 * if (!listed.ok) console.log(`thoth could not list the server's tools: ${listed.why}`);
 * ```
 */
import type { ToolAnnotations } from "../policy/tool_call.ts";
import type { Message } from "../protocol/jsonrpc_message.ts";
import { isPlainObject, readToolsListResult } from "../protocol/mcp_shapes.ts";

/** The answer to a request of thoth's own to the server, or why there is none (words). */
export type OwnAnswer = Message | { missing: string };

/** What thoth's own listing came to. */
export type ToolsListing =
  | {
    ok: true;
    /** Every tool's annotations, by name, over all pages. */
    tools: Map<string, ToolAnnotations>;
    /** The tools' definitions as the server gave them, over all pages. */
    definitions: unknown[];
  }
  | { ok: false; why: string };

/** How to list. */
export interface ListingOptions {
  /**
   * `_meta` each request carries: the protocol version of a stateless-era
   * (2026-07-28) call, which that era requires on every request; undefined
   * in a session the server has answered `initialize` for.
   */
  meta: Record<string, unknown> | undefined;
  /** The most pages asked for. */
  maxPages: number;
}

/** Lists the server's tools, page by page, through `ask`. */
export async function listServerTools(
  ask: (params: Record<string, unknown> | undefined) => Promise<OwnAnswer>,
  options: ListingOptions,
): Promise<ToolsListing> {
  const tools = new Map<string, ToolAnnotations>();
  const definitions: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < options.maxPages; page++) {
    const params: Record<string, unknown> = {};
    if (cursor !== undefined) params["cursor"] = cursor;
    if (options.meta !== undefined) params["_meta"] = options.meta;
    const answer = await ask(Object.keys(params).length === 0 ? undefined : params);
    const why = unreadable(answer);
    if (why !== undefined) return { ok: false, why: page === 0 ? why : `page ${page + 1}: ${why}` };
    const result = (answer as { value: Record<string, unknown> }).value["result"] as Record<
      string,
      unknown
    >;
    for (const [name, annotations] of readToolsListResult(result)) tools.set(name, annotations);
    if (Array.isArray(result["tools"])) definitions.push(...result["tools"]);
    const next = result["nextCursor"];
    if (typeof next !== "string" || next === "") break;
    cursor = next;
  }
  return { ok: true, tools, definitions };
}

/** Why an answer to thoth's `tools/list` gives no page of tools; undefined when it does. */
function unreadable(answer: OwnAnswer): string | undefined {
  if ("missing" in answer) return answer.missing;
  if (answer.kind !== "response" || answer.defect !== undefined) {
    return "the server's answer to its tools/list is not a response JSON-RPC allows";
  }
  if (answer.isError) {
    const error = answer.value["error"];
    const code = isPlainObject(error) && typeof error["code"] === "number"
      ? ` ${error["code"]}`
      : "";
    return `the server answered its tools/list with error${code}`;
  }
  const result = answer.value["result"];
  if (!isPlainObject(result) || !Array.isArray(result["tools"])) {
    return "the server's answer to its tools/list holds no list of tools";
  }
  return undefined;
}
