/**
 * The types of the stateless (2026-07-28) step-up decision
 * (`stateless_step.ts`): what it needs from its approver
 * ({@linkcode StatelessContext}), and what it tells the relay to do
 * ({@linkcode StatelessStep}).
 *
 * @example
 * ```ts
 * const step: StatelessStep = await statelessStep(context, request, params);
 * if (step.kind === "hold") {
 *   // the client cannot elicit: ask through the other channels
 * }
 * ```
 */
import type { ApprovalOutcome, ApprovalRequest } from "../proxy/relay_session.ts";
import type { GrantStore } from "./grant_store.ts";
import type { RequestStateSealer } from "./request_state.ts";
import type { RetryReservation } from "./retry_reservations.ts";
import type { ServerFollowUps } from "./server_follow_ups.ts";

/** What the relay does with a stateless STEP_UP. */
export type StatelessStep =
  /** Answer the call with this `result` (an `input_required` result); forward nothing. */
  | { kind: "input_required"; result: Record<string, unknown> }
  /**
   * Decided: when approved, forward the call with `forwardParams` (thoth's
   * retry fields removed; re-serialized); otherwise answer with `outcome.why`.
   */
  | {
    kind: "decided";
    outcome: ApprovalOutcome;
    forwardParams?: Record<string, unknown>;
    /** The id of the session grant this step issued, if any (to withdraw it when refused). */
    sessionGrant?: string;
  }
  /** The client cannot elicit: hold the call and call the approver as usual. */
  | { kind: "hold" }
  /** With `request.discarded`: the call carries no answer of thoth's, so nothing is recorded. */
  | { kind: "none" };

/** What `statelessStep` needs from its approver. */
export interface StatelessContext {
  grants: GrantStore;
  sealer: () => Promise<RequestStateSealer>;
  /** Who answers at the client that sent `request`. */
  approver: (request: ApprovalRequest) => string;
  allowSession: boolean;
  /** More for the person to know with each question (why a choice is not offered). */
  notes?: string[];
  safeFields: (request: ApprovalRequest) => readonly string[];
  /** How long a person has to answer before the retry is refused. */
  stateTtlMs: number;
  /** Calls allowed once that the server may continue with its own `input_required`. */
  followUps: ServerFollowUps;
  /**
   * Takes what was reserved for `request`'s call when it was recognised as a
   * retry: undefined when the call is not marked as one, `"gone"` when it is
   * but its reservation was already used.
   */
  reserved: (request: ApprovalRequest) => RetryReservation | "gone" | undefined;
  now: () => number;
}
