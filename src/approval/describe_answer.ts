/**
 * An answer to an approval request in words ({@linkcode describeAnswer}):
 * who settled it and how, as `thoth approvals` and the refusals of a second
 * answer say it. Pure.
 *
 * @example
 * ```ts
 * describeAnswer({ ...answer, decision: "approve", by: "ana" }); // "approved by ana"
 * describeAnswer(undefined); // "settled"
 * ```
 */
import { givenWords } from "./answer_given.ts";
import type { QueueAnswer } from "./queue_record.ts";

/**
 * "approved by ana", "approved by root without a terminal" (how it was
 * given, when it says so: see `answer_given.ts`), "denied by ana",
 * "expired", "withdrawn by the proxy".
 */
export function describeAnswer(answer: QueueAnswer | undefined): string {
  if (answer === undefined) return "settled";
  const words = givenWords(answer.given);
  const how = words === "" ? "" : ` ${words}`;
  switch (answer.decision) {
    case "approve":
      return `approved by ${answer.by}${how}`;
    case "session":
      return `approved for the session by ${answer.by}${how}`;
    case "deny":
      return `denied by ${answer.by}${how}`;
    case "expired":
      return "expired (no one answered in time)";
    case "withdrawn":
      return "withdrawn (the client cancelled the call, or its session ended)";
  }
}
