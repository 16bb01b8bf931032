/**
 * What this release says of a request queued by a thoth of an earlier
 * release (request version 1, see `QUEUE_REQUEST_VERSION`): such a thoth
 * refuses an answer of this release's form as malformed (it has the fields
 * that bind what the person was shown, which its answers never held), and
 * writes no note of that refusal. So this release's `thoth approvals`
 * answers no such request, rather than say "approved" of a call that will
 * not run, and lists it as from an earlier release. Writing the earlier
 * form instead would make this release give answers that bind nothing:
 * the kind of answer its own waiting thoth refuses, since a request file
 * rewritten after it was queued would have shown the person another call.
 * Pure.
 *
 * @example
 * ```ts
 * if (fromEarlierRelease(entry)) throw earlierReleaseRefusal(entry);
 * ```
 */
import { AppError } from "../errors.ts";
import type { QueueAnswer, QueueEntry } from "./queue_record.ts";

/**
 * The refusal of `thoth approvals approve` or `deny` (or `watch`) to
 * answer `entry`, a request of an earlier release: what it is, who waits
 * on it, and the two ways on.
 */
export function earlierReleaseRefusal(entry: QueueEntry, program = "thoth"): AppError {
  return new AppError(
    "approval.earlier_release",
    `request "${entry.id}" was queued by a thoth of an earlier release (pid ${entry.pid}), ` +
      "which would refuse this release's answer as malformed and not run the call: " +
      "nothing was answered",
    {
      hints: [
        `answer it with that release's thoth ("${program} approvals approve ${entry.id}" ` +
        'or "deny" run by the earlier release\'s thoth, on the same profile)',
        "or restart the MCP client so that its server runs under this release, and answer " +
        "the request the call makes then; left unanswered, this one is refused when it " +
        "times out",
      ],
    },
  );
}

/** The line `thoth approvals list` adds under a request of an earlier release. */
export const EARLIER_RELEASE_NOTE = "queued by a thoth of an earlier release, which refuses " +
  "this release's answers: answer it with that release's thoth approvals";

/**
 * Why an answer of this release's form to a request of an earlier release
 * decided nothing, as the list says it (one written before this release
 * refused to write them, or by hand): its waiting thoth refused it as
 * malformed, and notes no such refusal.
 */
export const EARLIER_RELEASE_ANSWER_REASON = "the thoth that asked is of an earlier release " +
  "and refuses an answer of this release's form as malformed, so it refused the call";

/**
 * Whether `answer` is of a form a thoth of an earlier release refuses: it
 * carries a field that release's answers never held (what the person was
 * shown), or a version other than 1.
 */
export function unreadableToEarlierRelease(answer: QueueAnswer): boolean {
  return answer.v !== 1 || answer.server !== undefined || answer.tool !== undefined ||
    answer.decisionId !== undefined || answer.shapeHash !== undefined;
}
