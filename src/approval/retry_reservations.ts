/**
 * `RetryReservations`: recognising a stateless (2026-07-28) retry before the
 * enforcer decides it, and reserving the state it carries at that moment. A
 * retry that carries thoth's sealed answer, or the server's own follow-up
 * state for a call a person allowed, is the call that asked: marked so
 * (`ApprovalRetryMark`), and in progressive mode not counted again. The
 * state is reserved for that mark at once, thoth's spent and the server's
 * taken, so that of two retries carrying one state only the first is marked:
 * any other is a new call, counted as one. The marked call is then decided
 * from its reservation alone (see `statelessStep`). Used by `createApprover()`.
 *
 * @example
 * ```ts
 * const reservations = new RetryReservations(followUps, sealer, Date.now);
 * const mark = await reservations.recognise(call, params); // before the enforcer decides
 * reservations.take(request); // in statelessStep: the reservation, once
 * ```
 */
import { type ApprovalRetryMark, approvalRetryOf } from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { ApprovalRequest } from "../proxy/relay_session.ts";
import { argumentDigest } from "./argument_digest.ts";
import { inexactNumber } from "./inexact_number.ts";
import { readApprovalRetry } from "./input_required.ts";
import { type RequestStateClaims, RequestStateSealer } from "./request_state.ts";
import type { FollowUpBinding, ServerFollowUps } from "./server_follow_ups.ts";

/** What recognising a retry reserved for it: the server's state it took, or thoth's it spent. */
export type RetryReservation =
  | { kind: "follow_up"; binding: FollowUpBinding }
  | { kind: "answer"; claims: RequestStateClaims };

/** The reservations of the retries one approver recognised, by their marks. */
export class RetryReservations {
  readonly #reserved = new WeakMap<ApprovalRetryMark, RetryReservation>();
  readonly #followUps: ServerFollowUps;
  readonly #sealer: () => Promise<RequestStateSealer>;
  readonly #now: () => number;

  constructor(
    followUps: ServerFollowUps,
    sealer: () => Promise<RequestStateSealer>,
    now: () => number,
  ) {
    this.#followUps = followUps;
    this.#sealer = sealer;
    this.#now = now;
  }

  /**
   * The mark of a retry that carries thoth's valid, unused state for these
   * arguments, or the server's follow-up state for them, with the state
   * reserved for it; undefined (at once, for most calls) for anything else.
   */
  recognise(
    call: ToolCall,
    params: unknown,
  ): ApprovalRetryMark | undefined | Promise<ApprovalRetryMark | undefined> {
    const retry = readApprovalRetry(params);
    if (retry === undefined) return undefined;
    const state = retry.requestState;
    const ours = RequestStateSealer.isThoth(state);
    if (!ours && !this.#followUps.holds(state)) return undefined;
    return (async (): Promise<ApprovalRetryMark | undefined> => {
      const digest = await argumentDigest(call.server, call.tool, call.arguments);
      if (!ours) {
        // A call with a number parsing may have changed never continues a follow-up.
        if (inexactNumber(call.arguments) !== undefined) return undefined;
        const binding = this.#followUps.take(state, digest, this.#now());
        if (binding === undefined) return undefined;
        return this.#reserve({ kind: "follow_up", askedDecisionId: binding.askedDecisionId }, {
          kind: "follow_up",
          binding,
        });
      }
      const claimed = await (await this.#sealer()).claim(state, digest, this.#now());
      if (!claimed.ok) return undefined;
      return this.#reserve({ kind: "answer", askedDecisionId: claimed.claims.decisionId }, {
        kind: "answer",
        claims: claimed.claims,
      });
    })();
  }

  /**
   * Takes what was reserved for `request`'s call: undefined when the call is
   * not marked as a retry, `"gone"` when it is but its reservation was used.
   */
  take(request: ApprovalRequest): RetryReservation | "gone" | undefined {
    const mark = approvalRetryOf(request.call);
    if (mark === undefined) return undefined;
    const reservation = this.#reserved.get(mark);
    this.#reserved.delete(mark);
    return reservation ?? "gone";
  }

  #reserve(mark: ApprovalRetryMark, reservation: RetryReservation): ApprovalRetryMark {
    this.#reserved.set(mark, reservation);
    return mark;
  }
}
