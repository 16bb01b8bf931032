/**
 * What a person is asked about one STEP_UP, as plain data: the server, the
 * tool, the rule(s) that asked and why, the decision id, the argument shape
 * (never raw values unless marked safe, and then with their end and the
 * path they resolve to in view) and the digest the answer will be bound
 * to. Every channel renders this same question. Pure.
 *
 * @example
 * ```ts
 * const q = approvalQuestion(call, verdict, digest, ["force"]);
 * approvalQuestionText(q);
 * // 'Allow tool "write_file" on server "fs"?\nAsked by rule "fs-write" (writes need approval).\n…'
 * // Names are shown by `shownName`: 'Allow tool "a\\" on server \\"b" on server "fs"?'
 * ```
 */
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import { argumentShape } from "./argument_shape.ts";
import { displayText } from "./display_text.ts";
import { shownName, unusualNameNote } from "./shown_name.ts";

/** One approval question, ready to show. All strings are display-safe. */
export interface ApprovalQuestion {
  server: string;
  tool: string;
  ruleIds: string[];
  reasons: string[];
  decisionId: string;
  /** One line per top-level argument (see `argumentShape`). */
  shape: string[];
  /** The grant digest (hex SHA-256 of server, tool and canonical arguments). */
  digest: string;
  /** Whether some line of `shape` shows a value (a field the policy marks safe). */
  valuesShown?: boolean;
  /** More for the person to know, one line each (why a choice is not offered). */
  notes?: string[];
}

/** Builds the question for a call; `safeFields` names arguments whose values may be shown. */
export function approvalQuestion(
  call: ToolCall,
  verdict: Verdict,
  digest: string,
  safeFields: readonly string[] = [],
): ApprovalQuestion {
  // What the server will get: a long number with all its digits.
  const args = (call.exactArguments as Record<string, unknown> | undefined) ?? call.arguments;
  // One past the 128 `shownName` shows: its own cut hides this cut's ellipsis.
  return {
    server: displayText(call.server, 129),
    tool: displayText(call.tool, 129),
    ruleIds: verdict.ruleIds.slice(0, 10).map((r) => displayText(r, 128)),
    reasons: verdict.reasons.slice(0, 10).map((r) => displayText(r, 300)),
    decisionId: displayText(verdict.decisionId, 64),
    shape: argumentShape(args, safeFields),
    digest,
    valuesShown: args !== undefined && safeFields.some((field) => Object.hasOwn(args, field)),
  };
}

/* The rule clause: `rule "a", "b" (reason; reason)` or `policy`. */
function askedBy(q: ApprovalQuestion): string {
  const rules = q.ruleIds.length > 0
    ? `rule ${q.ruleIds.map((r) => JSON.stringify(r)).join(", ")}`
    : "policy";
  return q.reasons.length > 0 ? `${rules} (${q.reasons.join("; ")})` : rules;
}

/** The question as lines of plain text, for a dialog, a form or a terminal. */
export function approvalQuestionText(q: ApprovalQuestion): string {
  // Names a server or a model chose are quoted and escaped (see shown_name.ts).
  const note = unusualNameNote([q.tool, q.server]);
  const lines = [
    `Allow tool ${shownName(q.tool)} on server ${shownName(q.server)}?`,
    ...(note === undefined ? [] : [note]),
    `Asked by ${askedBy(q)}.`,
  ];
  if (q.shape.length === 0) {
    lines.push("Arguments: none");
  } else {
    lines.push(
      q.valuesShown
        ? "Arguments (shape; values only of the fields the policy marks safe to show):"
        : "Arguments (shape only):",
    );
    for (const line of q.shape) lines.push(`  ${line}`);
  }
  for (const note of q.notes ?? []) lines.push(displayText(note, 300));
  lines.push(`Decision ${q.decisionId}`);
  return lines.join("\n");
}
