/**
 * A queued approval request as `thoth approvals list` and `watch` show it
 * at a terminal ({@linkcode describeItem}), and a settled request's answer
 * with its writer as the audit names it ({@linkcode shownAnswer}).
 *
 * @example
 * ```ts
 * for (const item of await queue.list()) io.out(describeItem(item, Date.now()));
 * ```
 */
import { describeAnswer } from "../approval/describe_answer.ts";
import { describeOrphan, type QueueItem } from "../approval/queue_listing.ts";
import { listedApprover, queueApprover } from "../approval/queue_approver.ts";
import { passwdNameOf } from "../platform/passwd_name_of.ts";
import { displayText, escapedText } from "../approval/display_text.ts";
import { askedBy, earlierReleaseLines, settledWords } from "../approval/listed_words.ts";
import { shownName, unusualNameNote } from "../approval/shown_name.ts";

function left(ms: number): string {
  return ms <= 0 ? "expired" : `${Math.ceil(ms / 1000)} s left`;
}

/**
 * A settled request's answer with its writer as the audit names it: the
 * account that owns the answer file, the name in the file only as a claim.
 * `listed` adds, for a person, the password file's name of a uid other
 * than this user's (`uid 65534 (nobody)`); the audit and `--json` give the
 * uid alone, as the sandboxed core (which cannot read the password file)
 * records it.
 */
export function shownAnswer(item: QueueItem, listed = false): QueueItem["answer"] {
  const answer = item.answer;
  // A link, a folder or FIFO, or a malformed file: no one answered, thoth refused the call.
  if (item.answerProblem !== undefined) return answer;
  if (answer === undefined || item.answerOwner === undefined) return answer;
  if (
    answer.decision !== "approve" && answer.decision !== "session" && answer.decision !== "deny"
  ) {
    return answer;
  }
  const ownUid = Deno.build.os === "windows" ? null : Deno.uid();
  const answerer = {
    claimed: answer.by,
    ownerUid: item.answerOwner,
    ownUid,
    ownName: ownUid === null ? undefined : passwdNameOf(ownUid),
    nameOf: passwdNameOf,
  };
  return { ...answer, by: listed ? listedApprover(answerer) : queueApprover(answerer) };
}

/**
 * One queued request for a terminal. Every field passes `displayText`, or
 * `escapedText` where what a field says must stay readable (the policy's
 * reasons, the argument shape): a queue file is data, and control
 * characters in it must not reach the terminal (escape sequences, fake
 * lines).
 */
export function describeItem(item: QueueItem, now: number): string {
  const e = item.entry;
  const asked = askedBy(e);
  const state = item.state === "pending"
    ? left(e.expiresAt - now)
    : item.answerProblem !== undefined
    ? displayText(`refused: ${item.answerProblem}`, 600)
    : item.state === "settled"
    ? settledWords(item, describeAnswer(shownAnswer(item, true)))
    : item.state === "orphaned"
    ? describeOrphan(e)
    : "expired";
  // Names a server or a model chose, shown as every approval text shows them.
  const note = unusualNameNote([e.tool, e.server]);
  const lines = [
    `${e.id}  tool ${shownName(e.tool)} on server ${shownName(e.server)}  [${state}]`,
    ...(note === undefined ? [] : [`          ${note}`]),
    ...earlierReleaseLines(item).map((line) => `          ${line}`),
    `          asked by ${asked}; decision ${displayText(e.decisionId, 100)}`,
    // Only a pending request is still waited on; any other was asked by that thoth.
    `          ${item.state === "pending" ? "waiting in" : "asked by"} the thoth with pid ${e.pid}`,
    ...(e.shape.length === 0
      ? ["          arguments: none"]
      : e.shape.map((s) => `          ${escapedText(s, 300)}`)),
  ];
  return lines.join("\n") + "\n";
}
