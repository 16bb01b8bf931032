/**
 * The MCP form-mode elicitation thoth sends to ask for approval, and how it
 * reads the answer. Used by the `elicitation/create` channel (initialize era)
 * and by the stateless `input_required` flow, which embeds the same request.
 * Pure.
 *
 * The form has one required single-select field, `decision`, with the values
 * `approve`, `session` (only when offered) and `deny`. Only `action: "accept"`
 * with `decision` `approve` or `session` approves; `decline`, `cancel`, an
 * error, a missing or unknown decision all deny.
 *
 * @example
 * ```ts
 * const params = elicitationParams(question, true);
 * readElicitationResult({ action: "accept", content: { decision: "approve" } }, true);
 * // { kind: "approve", scope: "once" }
 * ```
 */
import { type ApprovalQuestion, approvalQuestionText } from "./approval_question.ts";

/** The form field that carries the answer. */
export const DECISION_FIELD = "decision";

/** `elicitation/create` params (form mode) for a question. */
export function elicitationParams(question: ApprovalQuestion, allowSession: boolean): {
  mode: "form";
  message: string;
  requestedSchema: {
    type: "object";
    properties: Record<string, unknown>;
    required: string[];
  };
} {
  const options = [
    { const: "approve", title: "Allow once" },
    ...(allowSession ? [{ const: "session", title: "Allow for this session" }] : []),
    { const: "deny", title: "Deny" },
  ];
  return {
    mode: "form",
    // A form's text goes to the client only: it may show the values of file and URL fields.
    message: `thoth: a tool call needs your approval.\n\n${
      approvalQuestionText(question, { promptValues: true })
    }`,
    requestedSchema: {
      type: "object",
      properties: {
        [DECISION_FIELD]: {
          type: "string",
          title: "Decision",
          description: allowSession
            ? "Allow once runs this call only; allow for this session also runs the same tool " +
              "with the same arguments until this session ends."
            : "Allow once runs this call only.",
          oneOf: options,
        },
      },
      required: [DECISION_FIELD],
    },
  };
}

/** How an elicitation answer reads. */
export type ElicitationReading =
  | { kind: "approve"; scope: "once" | "session" }
  | { kind: "deny" }
  | { kind: "cancel" }
  | { kind: "error"; message: string };

/** Reads an `ElicitResult` (the `result` of the response). Anything unexpected denies. */
export function readElicitationResult(result: unknown, allowSession: boolean): ElicitationReading {
  if (result === null || typeof result !== "object") {
    return { kind: "error", message: "the client's answer is not an object" };
  }
  const { action, content } = result as Record<string, unknown>;
  if (action === "decline") return { kind: "deny" };
  if (action === "cancel") return { kind: "cancel" };
  if (action !== "accept") {
    return { kind: "error", message: `the client answered with an unknown action` };
  }
  const decision = content !== null && typeof content === "object"
    ? (content as Record<string, unknown>)[DECISION_FIELD]
    : undefined;
  if (decision === "approve") return { kind: "approve", scope: "once" };
  if (decision === "session" && allowSession) return { kind: "approve", scope: "session" };
  if (decision === "deny") return { kind: "deny" };
  return { kind: "error", message: "the form came back without a decision" };
}

/** Reads the whole JSON-RPC response to an `elicitation/create` request. */
export function readElicitationResponse(
  response: Record<string, unknown>,
  allowSession: boolean,
): ElicitationReading {
  const error = response["error"];
  if (error !== undefined) {
    const message = error !== null && typeof error === "object" &&
        typeof (error as Record<string, unknown>)["message"] === "string"
      ? String((error as Record<string, unknown>)["message"]).slice(0, 200)
      : "unknown error";
    return { kind: "error", message: `the client answered with an error (${message})` };
  }
  return readElicitationResult(response["result"], allowSession);
}
