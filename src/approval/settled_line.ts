/**
 * What `thoth approvals approve` and `deny` print once they wrote an
 * answer: who answered, how, and what for (the tool, the server and the
 * decision id the answer is bound to, see `answer_binding.ts`), so the
 * person sees what they approved. Names are shown by `shownName`. Pure.
 *
 * @example
 * ```ts
 * settledLine(answer);
 * // 'k3f9x2qa: approved by ana (once): tool "write_file" on server "fs" (decision d-1)\n'
 * ```
 */
import type { QueueAnswer } from "./queue_record.ts";
import { describeAnswer } from "./describe_answer.ts";
import { shownName, unusualNameNote } from "./shown_name.ts";
import { displayText } from "./display_text.ts";

/** The line (or two, with the note on unusual names) printed for `answer`. */
export function settledLine(answer: QueueAnswer): string {
  // How it was given is for the list and the audit: this is the person's own answer, just given.
  const { given: _given, ...written } = answer;
  const how = answer.decision === "approve"
    ? `approved by ${answer.by} (once)`
    : describeAnswer(written);
  if (answer.tool === undefined || answer.server === undefined) return `${answer.id}: ${how}\n`;
  const decision = answer.decisionId === undefined
    ? ""
    : ` (decision ${displayText(answer.decisionId, 100)})`;
  const note = unusualNameNote([answer.tool, answer.server]);
  return `${answer.id}: ${how}: tool ${shownName(answer.tool)} on server ` +
    `${shownName(answer.server)}${decision}\n${note === undefined ? "" : `${note}\n`}`;
}

/** `answer` as `approve --json` and `deny --json` print it. */
export function settledJson(answer: QueueAnswer): string {
  return JSON.stringify(
    {
      id: answer.id,
      decision: answer.decision,
      by: answer.by,
      ...(answer.reason === undefined ? {} : { reason: answer.reason }),
      at: new Date(answer.at).toISOString(),
      ...(answer.server === undefined ? {} : { server: answer.server }),
      ...(answer.tool === undefined ? {} : { tool: answer.tool }),
      ...(answer.decisionId === undefined ? {} : { decisionId: answer.decisionId }),
    },
    null,
    2,
  ) + "\n";
}
