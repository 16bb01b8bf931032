/**
 * What an approver's outcome carries besides its verdict: the way to
 * withdraw (and give back) the session grant its answer made
 * ({@linkcode GrantFacts}, added by {@linkcode withRevoke}), and the way to
 * mark a queued answer taken ({@linkcode TakenFacts}); and the outcome of a
 * call a session grant already covers ({@linkcode standingGrantOutcome}).
 *
 * @example
 * ```ts
 * const outcome = withRevoke(approved, grants, redeemed.grant);
 * outcome.revokeGrant?.();
 * const granted = standingGrantOutcome(grants.sessionGrant(digest, now)!); // approved, scope "grant"
 * ```
 */
import type { ApprovalOutcome } from "../proxy/relay_session.ts";
import type { AnswerTaken } from "./approval_channel.ts";
import type { Grant, GrantStore } from "./grant_store.ts";

/**
 * What an approved outcome carries when its answer made a session grant:
 * `revokeGrant` withdraws exactly that grant, for a wrapper that refuses the
 * call after all (its approval record could not be written), so that no
 * later call passes on a grant the client was told did not count; and
 * `restoreGrant` gives it back, for a wrapper that withdrew it only until
 * the record was on the disk (`--audit-sync always`).
 *
 * @example
 * ```ts
 * const outcome = await approver(request);
 * if (refused) (outcome as ApprovalOutcome & GrantFacts).revokeGrant?.();
 * ```
 */
export interface GrantFacts {
  revokeGrant?: () => void;
  restoreGrant?: () => void;
}

/**
 * What an outcome carries when its answer is a person's answer on file (the
 * queue's): `answerTaken` marks it taken, for pruning. The wrapper that
 * records the outcome calls it once the approval record is written (on the
 * disk, with `--audit-sync always`), never before: an answer marked taken
 * may be pruned, so its record must exist first (see `prune_queue.ts`).
 *
 * @example
 * ```ts
 * if (written) await (outcome as ApprovalOutcome & TakenFacts).answerTaken?.();
 * ```
 */
export interface TakenFacts {
  answerTaken?: AnswerTaken;
}

/**
 * The outcome of a call a session grant covers (a person allowed this tool
 * with these arguments for the session): approved with no one asked.
 */
export function standingGrantOutcome(standing: Pick<Grant, "approver">): ApprovalOutcome {
  return {
    approved: true,
    kind: "approved",
    scope: "grant",
    why: `${standing.approver} allowed this tool with these arguments for the session`,
    channel: "grant",
    approver: standing.approver,
    latencyMs: 0,
  };
}

/** `outcome` with a way to withdraw the session grant `id` its answer made (see {@linkcode GrantFacts}). */
export function withRevoke<T extends ApprovalOutcome>(
  outcome: T,
  grants: GrantStore,
  grant: Pick<Grant, "id" | "scope"> | undefined,
): T {
  if (grant === undefined || grant.scope !== "session") return outcome;
  const id = grant.id;
  return {
    ...outcome,
    revokeGrant: () => grants.revoke(id),
    restoreGrant: () => grants.restore(id),
  };
}
