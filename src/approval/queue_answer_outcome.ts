/**
 * What a queue answer (`<id>.answer.json`, or the waiting thoth's own
 * close) means to the approval channel: an approval, a denial, a timeout,
 * or an error when it is for other arguments. Pure.
 *
 * @example
 * ```ts
 * const heard = toAnswer(answer, question.digest, allowSession, () => "ana");
 * // { kind: "approve", scope: "once", approver: "ana", digest: … }
 * thothClose({ ...answer, by: "thoth", decision: "expired" }); // true
 * ```
 */
import type { AnswerUnused, ChannelAnswer } from "./approval_channel.ts";
import type { QueueAnswer } from "./queue_record.ts";

/**
 * The channel's answer to a queue answer for `digest`. A `session` answer
 * covers the session only where that choice was offered (`allowSession`):
 * an older `thoth approvals approve --session`, or a file written by hand,
 * may carry one where it was not (progressive mode); it then allows once.
 */
export function toAnswer(
  answer: QueueAnswer,
  digest: string,
  allowSession: boolean,
  approver: () => string,
  unused?: AnswerUnused,
): ChannelAnswer {
  if (answer.digest !== digest) {
    return { kind: "error", message: "the queued answer does not match this call's arguments" };
  }
  switch (answer.decision) {
    case "approve":
    case "session":
      return {
        kind: "approve",
        scope: answer.decision === "session" && allowSession ? "session" : "once",
        approver: approver(),
        digest: answer.digest,
        ...(answer.decision === "session" && !allowSession ? { said: "session" as const } : {}),
        ...(unused === undefined ? {} : { unused }),
        ...(answer.given === undefined ? {} : { given: answer.given }),
      };
    case "deny":
      return {
        kind: "deny",
        approver: approver(),
        ...(answer.reason ? { reason: answer.reason } : {}),
        ...(unused === undefined ? {} : { unused }),
        ...(answer.given === undefined ? {} : { given: answer.given }),
      };
    case "expired":
    case "withdrawn":
      return { kind: "timeout" };
  }
}

/** Whether `answer` is a waiting thoth's own close of its request (expired or withdrawn). */
export function thothClose(answer: QueueAnswer): boolean {
  return answer.by === "thoth" &&
    (answer.decision === "expired" || answer.decision === "withdrawn");
}
