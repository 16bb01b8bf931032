/**
 * thoth's own requests to the client (an approval form): the channel the
 * approver asks through, sending under ids of thoth's own prefix, a request
 * withdrawn with `notifications/cancelled` when its signal aborts, and the
 * client's answers under those ids, consumed and never forwarded (a late
 * one handed to whoever records it).
 *
 * @example
 * ```ts
 * const answer = await requestClient(state, "elicitation/create", params, { signal });
 * ```
 */
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { encodeLine } from "../protocol/responses.ts";
import { underOwnPrefix } from "../protocol/own_ids.ts";
import { type ClientLeftTexts, clientLeftTexts } from "./client_left_texts.ts";
import { errorMessage, shownText } from "./relay_line_text.ts";
import { clientGoneAnswer, withdrawalReason } from "./relay_withdrawals.ts";
import type { ClientChannel, OwnRequestOptions } from "./relay_types.ts";
import { noteOwnProgress } from "./relay_own_progress.ts";
import type { RelayState } from "./relay_state.ts";

/** Withdrawn requests of thoth's own remembered (for late answers); older ones are forgotten. */
const MAX_WITHDRAWN = 256;

export function channel(s: RelayState): ClientChannel {
  const elicitation = () => s.clientElicitation;
  const name = () => s.clientName;
  const inputClosed = () => s.clientInputClosed;
  return {
    get elicitation(): boolean {
      return elicitation();
    },
    get name(): string | undefined {
      return name();
    },
    get inputClosed(): boolean {
      return inputClosed();
    },
    request: (method, params, options) => requestClient(s, method, params, options),
    notify: (method, params) => {
      if (method === "notifications/progress") noteOwnProgress(s, params);
      s.ports.toClient(encodeLine({ jsonrpc: "2.0", method, params }));
    },
  };
}

/**
 * Sends a request of thoth's own to the client (elicitation for approval);
 * its id cannot collide with the server's, and its response is consumed.
 * When `options.signal` aborts first, the request is withdrawn: the client
 * is sent `notifications/cancelled` for it (so it can close the form), the
 * promise rejects, and an answer that still comes is consumed and handed to
 * `options.late`, never taken for the answer to anything else.
 */
export function requestClient(
  s: RelayState,
  method: string,
  params: unknown,
  options: OwnRequestOptions = {},
): Promise<Record<string, unknown>> {
  const id = `${s.clientPrefix}${++s.clientCounter}`;
  const { signal, late } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    if (s.clientInputClosed) {
      resolve(clientGoneAnswer(leftTexts(s).ownRequest));
      return;
    }
    const withdraw = () => {
      if (!s.ownRequests.delete(id)) return;
      withdrawOwn(s, id, signal?.reason, late);
      reject(signal?.reason);
    };
    s.ownRequests.set(id, (response) => {
      signal?.removeEventListener("abort", withdraw);
      resolve(response);
    });
    signal?.addEventListener("abort", withdraw, { once: true });
    s.ports.toClient(encodeLine({ jsonrpc: "2.0", id, method, params }));
  });
}

/**
 * Whether thoth sent the client a request under `id` this session: the
 * client-facing prefix, and a number it has used there (its requests to the
 * server have a prefix and a count of their own, and are never the
 * client's to answer). Only such an answer can be thoth's; the server can
 * ask nothing under thoth's prefixes (see `refuseOwnIdRequest`), so an
 * answer under one is never the server's either.
 */
function sentByThoth(s: RelayState, id: string): boolean {
  if (!id.startsWith(s.clientPrefix)) return false;
  const count = id.slice(s.clientPrefix.length);
  return /^[1-9]\d{0,15}$/.test(count) && Number(count) <= s.clientCounter;
}

/** Whether `id` is under one of thoth's own prefixes, or would pass for such an id. */
export function ownId(s: RelayState, id: JsonRpcId): boolean {
  return underOwnPrefix(id, [s.clientPrefix, s.serverPrefix]);
}

/**
 * The client's answer under one of thoth's own ids: the answer to thoth's
 * request when thoth sent the client that very id and still waits; a late
 * one when it sent it earlier; else it answers nothing anyone asked (thoth
 * never sent it, and the server may not ask under thoth's ids), and is
 * dropped. Never forwarded to the server.
 */
export function ownAnswer(s: RelayState, id: string, response: Record<string, unknown>): void {
  const own = s.ownRequests.get(id);
  if (own !== undefined) {
    s.ownRequests.delete(id);
    own(response);
    return;
  }
  if (s.withdrawn.has(id) || sentByThoth(s, id)) {
    staleAnswer(s, id, response);
    return;
  }
  s.ports.note(
    `dropped the client's answer under the id ${
      shownText(id)
    }: it is in thoth's own id space, and thoth sent the client no request under it`,
  );
}

/**
 * An answer to a request of thoth's own to the client (its id has thoth's
 * prefix and the client-facing nonce) that nothing waits for: consumed, never forwarded, and
 * told; recorded as a late answer when the request is still remembered as
 * withdrawn (older ones are forgotten, see {@linkcode MAX_WITHDRAWN}).
 */
function staleAnswer(s: RelayState, id: string, response: Record<string, unknown>): void {
  const known = s.withdrawn.has(id);
  const late = s.withdrawn.get(id);
  s.withdrawn.delete(id);
  if (late !== undefined) {
    try {
      late(response);
    } catch (error) {
      s.ports.note(`cannot record a late answer: ${errorMessage(error)}`);
    }
    return;
  }
  s.ports.note(
    `the client answered thoth's request ${JSON.stringify(id)} ${
      known ? "after it was withdrawn" : "after thoth stopped waiting for it"
    }; the answer was not used`,
  );
}

/** Tells the client that thoth no longer waits for its request `id`; remembers the id. */
export function withdrawOwn(
  s: RelayState,
  id: string,
  reason: unknown,
  late: ((response: Record<string, unknown>) => void) | undefined,
): void {
  if (s.withdrawn.size >= MAX_WITHDRAWN) {
    s.withdrawn.delete(s.withdrawn.keys().next().value!);
  }
  s.withdrawn.set(id, late);
  s.ports.toClient(encodeLine({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: id, reason: withdrawalReason(reason) },
  }));
}

/** The texts for the way the client went away (see `client_left_texts.ts`). */
export function leftTexts(s: RelayState): ClientLeftTexts {
  return clientLeftTexts(s.clientLeaving ?? "input_closed");
}
