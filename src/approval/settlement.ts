/**
 * What a person says to settle an approval request ({@linkcode Settlement}),
 * and the answer file it makes ({@linkcode settledAnswer}): bound to the
 * request as it was shown (see `answer_binding.ts`), in the answer form the
 * waiting thoth reads. Pure.
 *
 * @example
 * ```ts
 * const answer = settledAnswer(entry, { decision: "approve", by: "ana" }, Date.now());
 * answer.decision; // "approve"
 * ```
 */
import { answerBinding } from "./answer_binding.ts";
import type { AnswerGiven } from "./answer_given.ts";
import {
  QUEUE_ANSWER_VERSION,
  type QueueAnswer,
  type QueueDecision,
  type QueueEntry,
  takesAnswerGiven,
} from "./queue_record.ts";

/** What a settler says. */
export interface Settlement {
  decision: QueueDecision;
  by: string;
  reason?: string;
  /**
   * The request as the person was shown it (`watch`), when read before this
   * settles it: what the answer is bound to (see `answer_binding.ts`);
   * default, the request as read now.
   */
  shown?: QueueEntry;
  /**
   * How the answer was given (see `answer_given.ts`): written, under the
   * answer's MAC, for a request whose thoth takes it (request version 3);
   * left out for one of version 2, whose thoth would refuse the field.
   */
  given?: AnswerGiven;
}

/**
 * The answer `settlement` makes to the request `entry` at `now`: `by` cut to
 * 200 characters and `reason` to 500; `given` only for a thoth that takes it.
 */
export function settledAnswer(entry: QueueEntry, settlement: Settlement, now: number): QueueAnswer {
  // A thoth that takes no `given` (request version 2) gets the answer form it reads.
  const given = takesAnswerGiven(entry) ? settlement.given : undefined;
  return {
    v: takesAnswerGiven(entry) ? QUEUE_ANSWER_VERSION : 2,
    id: entry.id,
    digest: entry.digest,
    decision: settlement.decision,
    by: settlement.by.slice(0, 200),
    ...(settlement.reason === undefined ? {} : { reason: settlement.reason.slice(0, 500) }),
    at: now,
    ...answerBinding(settlement.shown ?? entry),
    ...(given === undefined ? {} : { given }),
  };
}
