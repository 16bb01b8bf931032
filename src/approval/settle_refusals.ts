/**
 * Why a person's answer to an approval request is refused
 * (`ApprovalQueue.settle`): no such request, the session choice not offered,
 * its thoth gone, expired, a refused answer already in its place, or already
 * settled. Each a typed error with its hint. Pure.
 *
 * @example
 * ```ts
 * throw expiredRequest("k7m2p9q4"); // approval.expired
 * ```
 */
import { AppError } from "../errors.ts";
import { describeAnswer } from "./describe_answer.ts";
import type { QueueAnswer, QueueEntry } from "./queue_record.ts";

/** No request `id` in the queue folder `dir`. */
export function unknownRequest(id: string, dir: string): AppError {
  return new AppError(
    "approval.unknown_id",
    `no approval request with id "${id}" in the queue folder "${dir}"`,
    { hints: ['run "thoth approvals list" to see the requests waiting'] },
  );
}

/** Request `id` does not offer the session choice. */
export function sessionNotOffered(id: string): AppError {
  return new AppError(
    "approval.session_not_offered",
    `request "${id}" cannot be allowed for the session`,
    {
      hints: [
        "the session choice is not offered in progressive mode (every repeat counts " +
        "toward the block rung) or for arguments holding a number too large to compare exactly",
        `approve it once with "thoth approvals approve ${id}"`,
      ],
    },
  );
}

/** The thoth that queued `entry` is gone: nothing waits for an answer. */
export function orphanedRequest(entry: QueueEntry): AppError {
  return new AppError(
    "approval.orphaned",
    `request "${entry.id}" was left by a thoth (pid ${entry.pid}) that is no longer running ` +
      "(or stopped refreshing it), so nothing waits for this answer and the call will not run",
    { hints: ["ask the model to make the call again, then answer the new request"] },
  );
}

/** Request `id` expired before it was approved. */
export function expiredRequest(id: string): AppError {
  return new AppError("approval.expired", `request "${id}" expired before it was approved`, {
    hints: ["ask the model to make the call again, then approve the new request"],
  });
}

/** What stands where request `id`'s answer goes is refused (`reason`): its call was refused. */
export function answerRefused(id: string, reason: string | undefined): AppError {
  return new AppError(
    "approval.answer_refused",
    `request "${id}" cannot be answered: ${reason}`,
    {
      hints: [
        "the call it asked about was refused; ask the model to make the call again, then " +
        "answer the new request",
      ],
    },
  );
}

/** Request `id` was settled already, with `existing` (undefined: unreadable). */
export function alreadySettled(id: string, existing: QueueAnswer | undefined): AppError {
  return new AppError(
    "approval.already_settled",
    `request "${id}" was already ${describeAnswer(existing)}`,
    {
      hints: ['run "thoth approvals list" to see the requests still waiting'],
    },
  );
}
