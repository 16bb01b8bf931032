/**
 * thoth's own listing of the server's tools (every page), for a call that
 * comes before the client listed them, to a tool its listing may not hold
 * (it did not run from the first page to the last), or after the server said
 * its tools changed; and the requests thoth itself sends the server for it,
 * answered or given up on after a timeout. In the `initialize` era none is
 * sent before the server answered an `initialize`.
 *
 * @example
 * ```ts
 * const failure = await listTools(state, undefined); // undefined once listed
 * ```
 */
import { idKey } from "../protocol/jsonrpc_id.ts";
import { STATELESS_CAPABILITIES_META, STATELESS_VERSION_META } from "../protocol/mcp_shapes.ts";
import { encodeLine } from "../protocol/responses.ts";
import { listServerTools, type OwnAnswer, type ToolsListing } from "./own_tools_listing.ts";
import type { RelayState } from "./relay_state.ts";
import { toolsListedByThoth } from "./tools_list_pages.ts";

/** How long thoth waits for the server's answer to a request of its own. */
const OWN_REQUEST_TIMEOUT_MS = 5_000;

/** The most pages of `tools/list` thoth asks for on its own: a server that names more fails it. */
const MAX_OWN_LIST_PAGES = 32;

/** How long thoth's own listing may take in all, every page: one not done by then fails. */
const OWN_LISTING_BUDGET_MS = 15_000;

/** A listing of thoth's own that takes longer than this is noted (its calls waited for it). */
const SLOW_LISTING_MS = 2_000;

/** How many times thoth lists again when the server says its tools changed while it lists. */
const MAX_LISTING_TRIES = 3;

/** Why a request of thoth's own to the server got no answer when the server ended. */
export const SERVER_ENDED = "the server ended before it answered";

/**
 * Why thoth did not list the server's tools: in the `initialize` era the
 * server answered no `initialize` (MCP allows no request but `ping` before
 * that), so thoth asked it nothing.
 */
export const BEFORE_INITIALIZE = "the server has answered no initialize yet, and thoth asks " +
  "a server nothing before its handshake";

/**
 * Why thoth did not list the server's tools: the `initialize` on its way
 * stayed unanswered for {@linkcode OWN_REQUEST_TIMEOUT_MS} (a slow server),
 * and thoth asks a server nothing before its handshake.
 */
export const INITIALIZE_UNANSWERED = `the server did not answer initialize within ${
  OWN_REQUEST_TIMEOUT_MS / 1000
} s, and thoth asks a server nothing before its handshake`;

/** How long a call waits for an `initialize` on its way, in words ("5 s"). */
export const INITIALIZE_WAIT = `${OWN_REQUEST_TIMEOUT_MS / 1000} s`;

/** Whether thoth knows every page of the server's tools, current (no change since). */
function toolsListed(s: RelayState): boolean {
  return s.toolsListSeen && !s.toolsListPartial;
}

/**
 * Lists the server's tools (every page) for calls made before the client
 * listed them, to a tool not on the pages thoth knows when its listing did
 * not run from the first page to the last, or after the server said its
 * tools changed; resolves with why it failed, or undefined. Calls that come
 * meanwhile share it; one that comes after a failure tries again. An
 * `initialize` in flight is answered first (bounded by
 * {@linkcode OWN_REQUEST_TIMEOUT_MS}); in the `initialize` era
 * (`version` undefined) thoth asks nothing of a server that has answered
 * no `initialize` (MCP allows no request but `ping` before it): the
 * listing fails at once with {@linkcode BEFORE_INITIALIZE} (with
 * {@linkcode INITIALIZE_UNANSWERED} when one in flight was not answered
 * in time). `version`:
 * the protocol version of a stateless-era call (that era has no
 * handshake), which its requests carry in `_meta` when the server has
 * answered no `initialize`. A complete listing of the client's own that arrives
 * first wins. A page that fails or does not come within
 * {@linkcode OWN_REQUEST_TIMEOUT_MS}, a server that still names a next page
 * after {@linkcode MAX_OWN_LIST_PAGES} pages, and a listing not done within
 * {@linkcode OWN_LISTING_BUDGET_MS} fail the listing, and the calls waiting
 * for it are decided as calls whose annotations are unknown (fail closed).
 * When the server says its tools changed while thoth lists, it lists again
 * (up to {@linkcode MAX_LISTING_TRIES} times in all).
 */
export function listTools(s: RelayState, version: string | undefined): Promise<string | undefined> {
  if (version === undefined && !s.initializeAnswered) {
    // Checked for each call: a stateless-era listing under way is none of this call's.
    const handshake = s.handshake.settled(OWN_REQUEST_TIMEOUT_MS);
    if (handshake === undefined) return Promise.resolve(BEFORE_INITIALIZE);
    // Still in flight once the wait is over: the server did not answer it in time.
    return handshake.then(() =>
      s.initializeAnswered
        ? listTools(s, version)
        : s.handshake.inFlight
        ? INITIALIZE_UNANSWERED
        : BEFORE_INITIALIZE
    );
  }
  if (s.ownListing !== undefined) return s.ownListing;
  const listing = (async (): Promise<string | undefined> => {
    // Without an initialize in flight, the first page is asked for at once.
    const handshake = s.handshake.settled(OWN_REQUEST_TIMEOUT_MS);
    if (handshake !== undefined) await handshake;
    if (toolsListed(s)) return undefined;
    const started = s.now();
    let why = "the server said its tools changed each time thoth listed them";
    for (let tries = 0; tries < MAX_LISTING_TRIES; tries++) {
      const listedVersion = s.toolsListVersion;
      // The tries share one budget: a server announcing changes cannot stretch the wait.
      const listed = await listOnce(s, version, started);
      if (toolsListed(s)) return undefined;
      if (!listed.ok) {
        why = listed.why;
        break;
      }
      // A change the server announced while thoth listed may be on pages read before it.
      if (s.toolsListVersion !== listedVersion) continue;
      toolsListedByThoth(s, listed.tools);
      // One page is the first page the client may list too; several, merged, are not.
      const page = listed.pages === 1 ? { first: true as const } : "every page" as const;
      s.opts.events?.toolsListed?.(s.tools, listed.definitions, page);
      const took = s.now() - started;
      if (took > SLOW_LISTING_MS) {
        s.ports.note(
          `listing the server's tools took ${(took / 1000).toFixed(1)} s (${listed.pages} page${
            listed.pages === 1 ? "" : "s"
          }): the calls waiting for it were held that long`,
        );
      }
      return undefined;
    }
    s.ports.note(
      `could not list the server's tools for a call on a tool thoth has no complete, current ` +
        `listing for (${why}): such a call is decided as one whose tool annotations are ` +
        "unknown (thoth.listing_failed)",
    );
    return why;
  })().finally(() => {
    if (s.ownListing === listing) s.ownListing = undefined;
  });
  s.ownListing = listing;
  return listing;
}

/**
 * One listing of every page, within what is left of the budget begun at
 * `startedAt`; a fault in reading them fails it rather than the session.
 */
async function listOnce(
  s: RelayState,
  version: string | undefined,
  startedAt: number,
): Promise<ToolsListing> {
  try {
    return await listServerTools(
      (params, timeoutMs) => requestServer(s, "tools/list", params, timeoutMs),
      {
        meta: version === undefined || s.initializeAnswered
          ? undefined
          // Both keys a 2026-07-28 request must carry; thoth's own listing declares no capability.
          : { [STATELESS_VERSION_META]: version, [STATELESS_CAPABILITIES_META]: {} },
        maxPages: MAX_OWN_LIST_PAGES,
        pageTimeoutMs: OWN_REQUEST_TIMEOUT_MS,
        budgetMs: OWN_LISTING_BUDGET_MS,
        now: s.now,
        startedAt,
      },
    );
  } catch (error) {
    const name = error instanceof Error ? error.name : "an error";
    return { ok: false, why: `thoth failed reading the server's tools (${name})` };
  }
}

/**
 * Sends the server a request of thoth's own (its id has thoth's prefix and
 * the server-facing nonce, which tells nothing of the ids the client is
 * sent; its answer is consumed, never forwarded). Resolves
 * with the answer, or with why there is none: the server is gone, or has
 * not answered within `timeoutMs` (at most {@linkcode OWN_REQUEST_TIMEOUT_MS}).
 */
function requestServer(
  s: RelayState,
  method: string,
  params: unknown,
  timeoutMs: number = OWN_REQUEST_TIMEOUT_MS,
): Promise<OwnAnswer> {
  if (s.serverGone) return Promise.resolve({ missing: SERVER_ENDED });
  const id = `${s.serverPrefix}server-${++s.serverCounter}`;
  const key = idKey(id);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      s.ownServerRequests.delete(key);
      resolve({
        missing: `the server did not answer within ${Math.ceil(timeoutMs / 100) / 10} s`,
      });
    }, timeoutMs);
    s.ownServerRequests.set(key, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    s.ports.toServer(
      encodeLine({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }),
    );
  });
}
