/**
 * How a session ends and how it copes with a side going away: the server
 * gone (every pending request and held call answered with an error, thoth's
 * own requests ended), the client closing its input or no longer reading
 * its output (calls waiting for a person withdrawn, calls not yet sent told
 * as cancelled).
 *
 * @example
 * ```ts
 * const answered = upstreamGone(state, "the MCP server exited");
 * ```
 */
import { errorResponse, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import { type ClientLeaving, UNSENT_CLIENT_NOT_READING } from "./client_left_texts.ts";
import { clientGoneAnswer, withdrawnReason } from "./relay_withdrawals.ts";
import type { ApprovalStage } from "./relay_types.ts";
import { leftTexts, withdrawOwn } from "./relay_own_client_requests.ts";
import { SERVER_ENDED } from "./relay_own_listing.ts";
import { forgetProgress } from "./relay_own_progress.ts";
import { failPending } from "./relay_server_line_loss.ts";
import type { Held, RelayState } from "./relay_state.ts";
import { notCarriedOut } from "./not_carried_out.ts";

/** Why a call still held (waiting for a decision or a person) ended with the session. */
const SESSION_ENDED = "the session ended while the call waited for its decision";

/**
 * The server is gone: answer every request it will never answer, and every
 * held call, with an error (`reason`; a held call, which the server never
 * saw, with `heldReason` when given: thoth was stopped, say). Returns how
 * many were answered.
 */
export function upstreamGone(s: RelayState, reason: string, heldReason: string = reason): number {
  let answered = 0;
  for (const pending of s.pending.values()) {
    failPending(s, pending, reason);
    answered++;
  }
  for (const held of s.held.values()) {
    held.cancelled = true;
    held.abort?.abort(withdrawnReason(heldReason));
    s.opts.events?.cancelled?.(held.id, held.tool, SESSION_ENDED);
    s.ports.toClient(errorResponse(held.id, RPC_SERVER_ERROR, heldReason));
    answered++;
  }
  s.pending.clear();
  s.held.clear();
  s.callLine.clear();
  s.handshake.end();
  s.serverGone = true;
  for (const resolve of [...s.ownServerRequests.values()]) resolve({ missing: SERVER_ENDED });
  s.ownServerRequests.clear();
  s.toolsListCalls.clear();
  s.progressSent.clear();
  s.cancelled.clear();
  s.tasks.clear();
  s.inputOffers.clear();
  s.liveOffers.clear();
  for (const [id, resolve] of s.ownRequests) {
    // Still open (a request sent without a signal): withdrawn from the client too.
    withdrawOwn(s, id, new Error(reason), undefined);
    resolve({ error: { code: RPC_SERVER_ERROR, message: reason } });
  }
  s.ownRequests.clear();
  return answered;
}

/**
 * The client stopped reading thoth's output (a write to it failed: it
 * closed its end): it is gone as at {@linkcode clientInputClosed}, and
 * more: no call is sent to the server from now on, not even one being
 * decided now and allowed later (it would run with no one to read its
 * result); each is told as cancelled instead. Safe to call from inside a
 * write to the client: the withdrawals follow in a microtask.
 */
export function clientOutputBroke(s: RelayState): void {
  if (s.clientNotReading) return;
  s.clientNotReading = true;
  queueMicrotask(() => {
    withdrawUnsent(s);
    clientLeft(s, "output_broken");
  });
}

/**
 * The client went away as `how` says (the first way counts): a call waiting
 * for a person is withdrawn, as is each request of thoth's own to it.
 */
export function clientLeft(s: RelayState, how: ClientLeaving): void {
  if (s.clientInputClosed) return;
  s.clientInputClosed = true;
  s.clientLeaving = how;
  // A call waiting for a person is withdrawn: the client that asked is going away, and an
  // approval shown now (a dialog, the queue) would outlive it. Its answer still goes out.
  for (const [key, held] of [...s.held]) withdrawForClientLeft(s, key, held);
  const open = [...s.ownRequests];
  s.ownRequests.clear();
  const { ownRequest } = leftTexts(s);
  for (const [id, resolve] of open) {
    withdrawOwn(s, id, new Error(ownRequest), undefined);
    resolve(clientGoneAnswer(ownRequest));
  }
}

/**
 * The calls allowed but still waiting in the call line (behind an earlier
 * call) when the client stopped reading: never sent, told as cancelled.
 */
function withdrawUnsent(s: RelayState): void {
  if (s.callLine.size === 0) return;
  for (const [key, pending] of [...s.pending]) {
    if (pending.method !== "tools/call" || !s.callLine.withdraw(key)) continue;
    s.pending.delete(key);
    forgetProgress(s, pending.progressKey);
    s.opts.events?.cancelled?.(pending.id, pending.tool, UNSENT_CLIENT_NOT_READING);
    notCarriedOut(s, pending.decisionId);
  }
}

/** The reason a wait for a person ends when the client went away (see `abortReason`). */
export function clientLeftReason(s: RelayState): Error {
  return withdrawnReason(leftTexts(s).whilePerson);
}

/**
 * Withdraws a call waiting for a person because the client went away (see
 * {@linkcode clientInputClosed}); a call still being decided (no abort
 * yet) is left to its decision, which withdraws it if it asks a person,
 * and so is one whose approver still looks for a grant and has asked no
 * one (its signal is aborted: it asks no one now).
 */
function withdrawForClientLeft(s: RelayState, key: string, held: Held): void {
  if (held.abort === undefined || held.cancelled || held.stepping) return;
  if (held.looking) {
    // Nobody was asked yet: a grant in hand still decides it, and the approver, seeing
    // its signal aborted, asks no one (else not approved, recorded as cancelled).
    if (!held.abort.signal.aborted) held.abort.abort(clientLeftReason(s));
    return;
  }
  if (!held.abort.signal.aborted) withdrawNow(s, key, held);
}

/**
 * Where a held call's approval stands (see `ApprovalStage`): a call whose
 * approver starts asking a person once the client has left (one that did
 * not heed its aborted signal) is withdrawn then.
 */
export function approvalStage(s: RelayState, key: string, held: Held, stage: ApprovalStage): void {
  held.looking = stage === "looking";
  if (held.looking || !s.clientInputClosed) return;
  if (held.cancelled || held.stepping || s.held.get(key) !== held) return;
  withdrawNow(s, key, held);
}

/** Answers a held call as withdrawn because the client went away, and tells its approver. */
function withdrawNow(s: RelayState, key: string, held: Held): void {
  const why = leftTexts(s).whilePerson;
  held.cancelled = true;
  held.abort?.abort(withdrawnReason(why));
  s.held.delete(key);
  forgetProgress(s, held.progressKey);
  s.opts.events?.cancelled?.(held.id, held.tool, why);
  // Withdrawn because the client stopped reading: it did not happen (read by no one).
  notCarriedOut(s, held.decisionId);
  s.ports.toClient(
    errorResponse(held.id, RPC_SERVER_ERROR, `thoth did not run this call: ${why}`),
  );
}
