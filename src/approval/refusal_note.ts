/**
 * The way to say, next to a queued request, that thoth refused a call a
 * person approved there: the approval could not be recorded in the audit
 * log (or could not be marked taken), so the call did not run. The queue
 * channel hangs it on the answer's {@linkcode AnswerTaken}, the one fact of
 * a queued answer that reaches whoever records it (the session's audit
 * wrapper); that wrapper calls {@linkcode noteRefusal} when it refuses an
 * approved call, so that `thoth approvals list` says "thoth refused the
 * call" rather than "approved", or "its thoth ended without marking it
 * taken" once the session is gone. An answer of another channel carries
 * none, and noting is then nothing.
 *
 * @example
 * ```ts
 * const taken = withRefusalNote(markTaken, (why) => queue.recordOutcome(id, digest, why, "refused"));
 * await noteRefusal(outcome.answerTaken, "the approval could not be recorded in the audit log");
 * ```
 */
import type { AnswerTaken } from "./approval_channel.ts";
import type { ApprovalQueue } from "./approval_queue.ts";
import type { QueueEntry } from "./queue_record.ts";
import { displayText } from "./display_text.ts";

/**
 * Notes, next to the request, that thoth refused the call its answer
 * approved, and `reason` why (in words for a person, naming no argument
 * value or path). Best effort: it says on stderr when it cannot, and
 * never throws.
 */
export type AnswerRefused = (reason: string) => Promise<void>;

/** An {@linkcode AnswerTaken} that can also note a refusal (see {@linkcode withRefusalNote}). */
export type RefusalNoting = AnswerTaken & { readonly refused?: AnswerRefused };

/** `taken`, able to note through `refused` that thoth refused the call it approved. */
export function withRefusalNote(taken: AnswerTaken, refused: AnswerRefused): RefusalNoting {
  const noting: AnswerTaken = () => taken();
  return Object.assign(noting, { refused });
}

/**
 * Notes, through the `taken` of a queued answer, that thoth refused the
 * call it approved, and why; nothing for an answer without that way (see
 * {@linkcode withRefusalNote}). Never throws.
 */
export async function noteRefusal(taken: AnswerTaken | undefined, reason: string): Promise<void> {
  const refused = (taken as RefusalNoting | undefined)?.refused;
  if (refused === undefined) return;
  await refused(reason).catch(() => {});
}

/**
 * The {@linkcode AnswerRefused} of request `entry` in `queue`: a `refused`
 * outcome note beside it, written once; `warn` hears (for stderr) when the
 * note cannot be written, since the list may then show the call approved.
 */
export function queueRefusalNote(
  queue: Pick<ApprovalQueue, "recordOutcome">,
  entry: Pick<QueueEntry, "id" | "digest">,
  warn: (message: string) => void,
): AnswerRefused {
  return (reason) =>
    queue.recordOutcome(entry.id, entry.digest, reason, "refused").catch((error) =>
      warn(
        `thoth refused the approved call of request ${entry.id} (${reason}), but the queue ` +
          'could not note it, so "thoth approvals list" may show the call as approved: ' +
          displayText(String(error?.message ?? error), 300),
      )
    );
}
