/**
 * Channel 1: MCP elicitation. Sends a form-mode `elicitation/create` to the
 * client (with a non-colliding `thoth-…` id; the relay consumes the answer)
 * when the client declared the `elicitation` capability. When the wait ends
 * first (the timeout, the client cancelling the call, the session ending),
 * the form is withdrawn: the relay sends the client `notifications/cancelled`
 * for it, and an answer that still comes is handed to `late`, never used. A
 * client that declared elicitation but answers `-32601` (method not found)
 * showed no one the form: the question moves on to the next channel, and
 * this client is not sent forms again this session.
 *
 * @example
 * ```ts
 * const channel = elicitationChannel({ approver: () => "ana via Claude Code" });
 * ```
 */
import type { ApprovalRequest } from "../proxy/relay_session.ts";
import type { ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import { elicitationParams, readElicitationResponse } from "./elicitation_form.ts";

/** JSON-RPC's "method not found": the client has no handler for the request. */
const METHOD_NOT_FOUND = -32601;

/** Options of {@linkcode elicitationChannel}. */
export interface ElicitationChannelOptions {
  /** Who is answering at the client (for the request's client), for the audit. */
  approver: (request: ApprovalRequest) => string;
  /**
   * Hears an answer that arrived after the form was withdrawn: the call it
   * asked about, what the answer said, and when it came (epoch ms).
   */
  late?: (request: ApprovalRequest, answer: ChannelAnswer, at: number) => void;
  /** Wall clock in epoch milliseconds. */
  now?: () => number;
}

/** Builds the elicitation channel. */
export function elicitationChannel(options: ElicitationChannelOptions): ApprovalChannel {
  const now = options.now ?? Date.now;
  let methodMissing = false;
  return {
    name: "elicitation",
    available: (request) =>
      request.client.elicitation && !methodMissing && request.client.inputClosed !== true,
    ask: async ({ question, request, signal, allowSession }): Promise<ChannelAnswer> => {
      const read = (response: Record<string, unknown>): ChannelAnswer => {
        const approver = options.approver(request);
        const reading = readElicitationResponse(response, allowSession);
        switch (reading.kind) {
          case "approve":
            return { kind: "approve", scope: reading.scope, approver, digest: question.digest };
          case "deny":
            return { kind: "deny", approver };
          case "cancel":
            return { kind: "cancel", approver };
          case "error":
            return { kind: "error", message: reading.message };
        }
      };
      const aborted = new Promise<"aborted">((resolve) => {
        if (signal.aborted) resolve("aborted");
        signal.addEventListener("abort", () => resolve("aborted"), { once: true });
      });
      const asked = request.client.request(
        "elicitation/create",
        elicitationParams(question, allowSession),
        { signal, late: (response) => options.late?.(request, read(response), now()) },
      ).catch(() => "aborted" as const);
      const response = await Promise.race([asked, aborted]);
      if (response === "aborted") return { kind: "timeout" };
      if (request.client.inputClosed === true) {
        // Nothing the client sends can reach thoth any more: no one can answer here.
        return {
          kind: "unreachable",
          message: "the client closed its input, so it can no longer answer a form",
        };
      }
      if (errorCode(response) === METHOD_NOT_FOUND) {
        methodMissing = true;
        return {
          kind: "unreachable",
          message: "the client declared elicitation but has no handler for it " +
            "(-32601 method not found)",
        };
      }
      return read(response);
    },
  };
}

/** The `error.code` of a JSON-RPC response, when it has one. */
function errorCode(response: Record<string, unknown>): unknown {
  const error = response["error"];
  return error !== null && typeof error === "object"
    ? (error as Record<string, unknown>)["code"]
    : undefined;
}
