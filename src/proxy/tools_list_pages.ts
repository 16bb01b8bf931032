/**
 * What the client's `tools/list` pages, and the server's word that its
 * tools changed, make of what thoth knows of the server's tools: the
 * annotations it decides calls with, and whether it knows every tool. A
 * listing is complete only when its pages started on the first page (a
 * request with no `cursor`) and followed each page's `nextCursor` to a page
 * without one; a page fetched from any other cursor adds its tools to what
 * is known but never makes it complete, so a call to a tool no page shows
 * makes thoth list every page itself first. After
 * `notifications/tools/list_changed` what thoth knew is stale: the next call
 * makes it list again before it is decided. No I/O here.
 *
 * @example
 * ```ts
 * s.toolsListCalls.set(key, askedPage(message.params)); // the client's request
 * clientToolsPage(s, s.toolsListCalls.get(key), result); // the server's answer to it
 * toolsChanged(s); // the server's notifications/tools/list_changed
 * ```
 */
import type { ToolAnnotations } from "../policy/tool_call.ts";
import { isPlainObject, readToolsListResult } from "../protocol/mcp_shapes.ts";
import type { RelayState, ToolsListAsk } from "./relay_state.ts";

/** Which page a client's `tools/list` request asked for. */
export function askedPage(params: unknown): ToolsListAsk {
  // A `cursor` of any kind is not the first page, even one thoth cannot follow.
  if (!isPlainObject(params) || !("cursor" in params)) return { first: true };
  const cursor = params["cursor"];
  return { first: false, cursor: typeof cursor === "string" ? cursor : undefined };
}

/** The next page a `tools/list` result names (a non-empty `nextCursor`), if any. */
function nextCursorOf(result: unknown): string | undefined {
  const next = isPlainObject(result) ? result["nextCursor"] : undefined;
  return typeof next === "string" && next !== "" ? next : undefined;
}

/**
 * The server's answer to a client's `tools/list` (`asked`: the page it asked
 * for; undefined when thoth no longer knows, which never completes a
 * listing): the first page replaces what thoth knew; a later page adds to
 * it, and completes the listing only when it is the page the listing's last
 * page named.
 */
export function clientToolsPage(
  s: RelayState,
  asked: ToolsListAsk | undefined,
  result: unknown,
): void {
  const listed = readToolsListResult(result);
  const next = nextCursorOf(result);
  if (asked?.first === true) {
    s.tools = listed;
    s.toolsListSeen = true;
    s.toolsListNext = next;
    s.toolsListPartial = next !== undefined;
    return;
  }
  const follows = s.toolsListSeen && s.toolsListNext !== undefined &&
    asked?.cursor === s.toolsListNext;
  if (s.toolsListSeen) {
    for (const [name, annotations] of listed) s.tools.set(name, annotations);
  } else {
    // Nothing current is known (no listing yet, or the tools changed): this page is all.
    s.tools = listed;
    s.toolsListSeen = true;
    s.toolsListPartial = true;
  }
  if (follows) {
    s.toolsListNext = next;
    s.toolsListPartial = next !== undefined;
  }
}

/**
 * The server said its tools changed (`notifications/tools/list_changed`):
 * the annotations thoth knows may be stale, so the next call makes it list
 * again (its own listing, every page) before it is decided, and a listing
 * of thoth's own under way when it came is done again.
 */
export function toolsChanged(s: RelayState): void {
  s.toolsListSeen = false;
  s.toolsListPartial = false;
  s.toolsListNext = undefined;
  s.toolsListVersion++;
}

/**
 * thoth's own listing, every page from the first, done: what it knows is
 * complete and current.
 */
export function toolsListedByThoth(
  s: RelayState,
  tools: Map<string, ToolAnnotations>,
): void {
  s.tools = tools;
  s.toolsListSeen = true;
  s.toolsListPartial = false;
  s.toolsListNext = undefined;
}
