/**
 * thoth's own listing of the server's tools, every page, for a tool call
 * that comes before the client listed them: the policy reads the annotations
 * the server declares (`destructiveHint`, `readOnlyHint`), which a call
 * decided without them would never match. A page that does not come, or
 * comes as an error or without a result thoth can read, ends the listing as
 * failed, with why, in words for the decision's record (never the server's
 * own text, which the model would read in a refusal); so does a listing that
 * still names a next page after `maxPages` pages, or that is not done within
 * `budgetMs` (a tool on a page thoth never read would otherwise count as one
 * in no listing). No I/O here: `ask` sends one `tools/list` request and
 * resolves with its answer, or with why there is none within `timeoutMs`;
 * `now` reads the clock the budget is kept on.
 *
 * @example
 * ```ts
 * const listed = await listServerTools(
 *   (params, timeoutMs) => requestServer("tools/list", params, timeoutMs),
 *   { meta: undefined, maxPages: 32, pageTimeoutMs: 5_000, budgetMs: 15_000, now: () => performance.now() },
 * );
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
    /** How many pages it took. */
    pages: number;
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
  /** The most pages asked for: a listing that names a next page after as many fails. */
  maxPages: number;
  /** How long one page may take. */
  pageTimeoutMs: number;
  /** How long the whole listing may take: one not done by then fails. */
  budgetMs: number;
  /** The clock `budgetMs` is kept on, in milliseconds. */
  now: () => number;
  /**
   * When the budget began, on `now`'s clock (default: now): a listing tried
   * again after the server said its tools changed spends what the earlier
   * tries left, so the tries together take no longer than `budgetMs`.
   */
  startedAt?: number;
}

/** Lists the server's tools, page by page, through `ask`. */
export async function listServerTools(
  ask: (params: Record<string, unknown> | undefined, timeoutMs: number) => Promise<OwnAnswer>,
  options: ListingOptions,
): Promise<ToolsListing> {
  const tools = new Map<string, ToolAnnotations>();
  const definitions: unknown[] = [];
  const started = options.startedAt ?? options.now();
  const late = (pages: number) =>
    `the listing was not done within ${options.budgetMs / 1000} s (after ${pages} page${
      pages === 1 ? "" : "s"
    })`;
  let cursor: string | undefined;
  for (let page = 0; page < options.maxPages; page++) {
    const left = options.budgetMs - (options.now() - started);
    if (left <= 0) return { ok: false, why: late(page) };
    const params: Record<string, unknown> = {};
    if (cursor !== undefined) params["cursor"] = cursor;
    if (options.meta !== undefined) params["_meta"] = options.meta;
    const answer = await ask(
      Object.keys(params).length === 0 ? undefined : params,
      Math.min(options.pageTimeoutMs, left),
    );
    const why = unreadable(answer);
    if (why !== undefined) {
      // A page cut short by the listing's budget, not its own timeout: the budget is why.
      if ("missing" in answer && options.now() - started >= options.budgetMs) {
        return { ok: false, why: late(page) };
      }
      return { ok: false, why: page === 0 ? why : `page ${page + 1}: ${why}` };
    }
    const result = (answer as { value: Record<string, unknown> }).value["result"] as Record<
      string,
      unknown
    >;
    for (const [name, annotations] of readToolsListResult(result)) tools.set(name, annotations);
    // One by one: a page may hold more tools than a call can take arguments.
    for (const definition of result["tools"] as unknown[]) definitions.push(definition);
    const next = result["nextCursor"];
    if (typeof next !== "string" || next === "") {
      return { ok: true, tools, definitions, pages: page + 1 };
    }
    cursor = next;
  }
  // The server still names a next page: a tool on it would count as one in no listing.
  return {
    ok: false,
    why:
      `more than ${options.maxPages} pages: the server still named a next page after page ${options.maxPages}`,
  };
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
