/**
 * thoth's own listing of the server's tools (every page), for a call that
 * comes before the client listed them or to a tool on a page it did not
 * fetch; and the requests thoth itself sends the server for it, answered or
 * given up on after a timeout.
 *
 * @example
 * ```ts
 * const failure = await listTools(state, undefined); // undefined once listed
 * ```
 */
import { idKey } from "../protocol/jsonrpc_message.ts";
import { STATELESS_VERSION_META } from "../protocol/mcp_shapes.ts";
import { encodeLine } from "../protocol/responses.ts";
import { listServerTools, type OwnAnswer } from "./own_tools_listing.ts";
import type { RelayState } from "./relay_state.ts";

/** How long thoth waits for the server's answer to a request of its own. */
const OWN_REQUEST_TIMEOUT_MS = 5_000;

/** The most pages of `tools/list` thoth asks for on its own. */
const MAX_OWN_LIST_PAGES = 32;

/** Why a request of thoth's own to the server got no answer when the server ended. */
export const SERVER_ENDED = "the server ended before it answered";

/** Whether thoth knows every page of the server's tools (the client fetched them all). */
function toolsListed(s: RelayState): boolean {
  return s.toolsListSeen && !s.toolsListPartial;
}

/**
 * Lists the server's tools (every page) for calls made before the client
 * listed them, or to a tool not on the pages it fetched when it left some
 * unfetched; resolves with why it failed, or undefined. Calls that come
 * meanwhile share it; one that comes after a failure tries again. An
 * `initialize` in flight is answered first (bounded by
 * {@linkcode OWN_REQUEST_TIMEOUT_MS}); without one, thoth asks all the
 * same: a session need not begin with one (a client that never sends it,
 * the stateless era). `version`: the protocol version of a stateless-era
 * call, which its requests carry in `_meta` when the server has answered
 * no `initialize`. A listing of the client's own that arrives first wins;
 * a page that fails or does not come within
 * {@linkcode OWN_REQUEST_TIMEOUT_MS} fails the listing, and the calls
 * waiting for it are decided as calls whose annotations are unknown.
 */
export function listTools(s: RelayState, version: string | undefined): Promise<string | undefined> {
  if (s.ownListing !== undefined) return s.ownListing;
  const listing = (async (): Promise<string | undefined> => {
    // Without an initialize in flight, the first page is asked for at once.
    const handshake = s.handshake.settled(OWN_REQUEST_TIMEOUT_MS);
    if (handshake !== undefined) await handshake;
    if (toolsListed(s)) return undefined;
    const listed = await listServerTools(
      (params) => requestServer(s, "tools/list", params),
      {
        meta: version === undefined || s.initializeAnswered
          ? undefined
          : { [STATELESS_VERSION_META]: version },
        maxPages: MAX_OWN_LIST_PAGES,
      },
    );
    if (toolsListed(s)) return undefined;
    if (!listed.ok) {
      s.ports.note(
        `could not list the server's tools for a call made before the client listed them ` +
          `(${listed.why}): such a call is decided as one whose tool annotations are unknown`,
      );
      return listed.why;
    }
    s.tools = listed.tools;
    s.toolsListSeen = true;
    s.toolsListPartial = false;
    s.opts.events?.toolsListed?.(s.tools, listed.definitions);
    return undefined;
  })().finally(() => {
    if (s.ownListing === listing) s.ownListing = undefined;
  });
  s.ownListing = listing;
  return listing;
}

/**
 * Sends the server a request of thoth's own (its id has thoth's prefix and
 * the server-facing nonce, which tells nothing of the ids the client is
 * sent; its answer is consumed, never forwarded). Resolves
 * with the answer, or with why there is none: the server is gone, or has
 * not answered within {@linkcode OWN_REQUEST_TIMEOUT_MS}.
 */
function requestServer(s: RelayState, method: string, params: unknown): Promise<OwnAnswer> {
  if (s.serverGone) return Promise.resolve({ missing: SERVER_ENDED });
  const id = `${s.serverPrefix}server-${++s.serverCounter}`;
  const key = idKey(id);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      s.ownServerRequests.delete(key);
      resolve({
        missing: `the server did not answer within ${OWN_REQUEST_TIMEOUT_MS / 1000} s`,
      });
    }, OWN_REQUEST_TIMEOUT_MS);
    s.ownServerRequests.set(key, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    s.ports.toServer(
      encodeLine({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }),
    );
  });
}
