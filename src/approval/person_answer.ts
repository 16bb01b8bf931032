/**
 * A person's answer in the form a stateless retry carried, as the audit
 * records it beside a step's outcome when thoth did not act on it as given.
 * Pure.
 *
 * @example
 * ```ts
 * personAnswer(readElicitationResult(retry.response, true)); // "allow_session"
 * ```
 */
import type { readElicitationResult } from "./elicitation_form.ts";

/** What a person answered in the form a retry carried, as the audit records it. */
export type PersonAnswer = "allow_once" | "allow_session" | "deny" | "dismiss" | "unreadable";

/**
 * What an outcome of this step may carry beyond `ApprovalOutcome`, for the
 * audit: the person's own answer, when thoth did not act on it as given (a
 * yes for other arguments, an answer in an expired state or in a retry
 * refused anyway).
 */
export interface AnswerFacts {
  answer?: PersonAnswer;
  /**
   * On an approved outcome, what the person answered (none for a standing
   * grant or a server's follow-up, which no person answered): recorded only
   * when thoth refuses the yes after all (the log could not be written).
   */
  said?: PersonAnswer;
}

/** The person's answer a reading holds. */
export function personAnswer(reading: ReturnType<typeof readElicitationResult>): PersonAnswer {
  return reading.kind === "approve"
    ? reading.scope === "session" ? "allow_session" : "allow_once"
    : reading.kind === "deny"
    ? "deny"
    : reading.kind === "cancel"
    ? "dismiss"
    : "unreadable";
}
