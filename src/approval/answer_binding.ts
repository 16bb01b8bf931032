/**
 * What a person's answer in the approval queue says it was given for: the
 * server, the tool, the decision id and a hash of the argument shape that
 * `thoth approvals` showed (read from the request file). The request file
 * carries no MAC, so whoever can write the queue folder could rewrite what
 * a person is shown; the answer, signed with its MAC (see `answer_mac.ts`),
 * carries these, and the waiting thoth compares them with its own request
 * as it holds it in memory (which no file changes). An answer that names
 * anything else, or nothing (one written by a `thoth approvals` of an
 * earlier release), is no answer to this call. Pure.
 *
 * @example
 * ```ts
 * const answer = { ...fields, ...answerBinding(entry) };
 * bindingMismatch(answer, entry); // undefined when it was given for `entry`
 * ```
 */
import { toHex } from "../audit/encoding.ts";
import { sha256 } from "../audit/sha256.ts";
import type { QueueAnswer, QueueEntry } from "./queue_record.ts";

/** The fields of an answer that bind it to what the person was shown. */
export interface AnswerBinding {
  server: string;
  tool: string;
  decisionId: string;
  /** Hex SHA-256 of the shape lines, as JSON. */
  shapeHash: string;
}

/** The hash of `shape` an answer carries (64 hex digits). */
export function shapeHash(shape: readonly string[]): string {
  return toHex(sha256(new TextEncoder().encode(JSON.stringify(shape))));
}

/** The binding of an answer given for `entry`, as `entry` shows it. */
export function answerBinding(entry: QueueEntry): AnswerBinding {
  return {
    server: entry.server,
    tool: entry.tool,
    decisionId: entry.decisionId,
    shapeHash: shapeHash(entry.shape),
  };
}

/**
 * Why `answer` was not given for `entry` (the waiting thoth's own request),
 * in words that name the field but never its value; undefined when it was.
 */
export function bindingMismatch(answer: QueueAnswer, entry: QueueEntry): string | undefined {
  if (
    answer.server === undefined || answer.tool === undefined ||
    answer.decisionId === undefined || answer.shapeHash === undefined
  ) {
    return "it does not say what the person was shown (a thoth approvals of an earlier " +
      "release wrote it)";
  }
  const expected = answerBinding(entry);
  const differ = [
    answer.server !== expected.server ? "server" : undefined,
    answer.tool !== expected.tool ? "tool" : undefined,
    answer.decisionId !== expected.decisionId ? "decision id" : undefined,
    answer.shapeHash !== expected.shapeHash ? "argument shape" : undefined,
  ].filter((field) => field !== undefined);
  return differ.length === 0 ? undefined : `the person was shown another ${differ.join(", ")} ` +
    "than this call has (the request file was changed after it was queued)";
}
