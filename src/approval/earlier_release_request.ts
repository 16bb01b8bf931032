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
 * answer `entry`, a request that says it is of an earlier release: what it
 * is, who waits on it, and the ways on. Its `"v"` is all that says so, and
 * any process of this user can rewrite it in a request of this release:
 * the words allow for that, as nothing here can tell the two apart (a
 * waiting thoth's pid names no release, and a mark in the file could be
 * rewritten as well). Either way nothing answers it, so no answer is given.
 * The hints lead with what holds even when that release is gone (a
 * self-update replaced it): the call is refused when it times out.
 */
export function earlierReleaseRefusal(entry: QueueEntry, program = "thoth"): AppError {
  return new AppError(
    "approval.earlier_release",
    `request "${entry.id}" was queued by a thoth of an earlier release (pid ${entry.pid}), ` +
      'or its request file was edited to say so ("v": 1); such a thoth would refuse this ' +
      "release's answer as malformed and not run the call: nothing was answered",
    {
      hints: [
        "left unanswered, it is refused when it times out; restart the MCP client so that " +
        "its server runs under this release, and answer the request the call makes then",
        "or answer it with that release's thoth if it is still installed " +
        `("${program} approvals approve ${entry.id}" or "deny" run by the earlier release's ` +
        "thoth, on the same profile)",
        `if the thoth with pid ${entry.pid} is of this release, the request file was edited: ` +
        "no thoth approvals can answer it (that thoth refuses an earlier release's answer), " +
        "and the call is refused when it times out",
      ],
    },
  );
}

/**
 * The lines `thoth approvals list` and `watch` add under a pending request
 * of an earlier release (see `listed_words.ts`): what it is, and the ways
 * on, as {@linkcode earlierReleaseRefusal} gives them.
 */
export const EARLIER_RELEASE_LINES: readonly string[] = [
  "queued by a thoth of an earlier release (or its file was edited to say so), which " +
  "refuses this release's answers",
  "left unanswered, it is refused when it times out: restart the MCP client so its server " +
  "runs under this release, or answer it with that release's thoth approvals if it is " +
  "still installed",
];

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
