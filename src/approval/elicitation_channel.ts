/**
 * Channel 1: MCP elicitation. Sends a form-mode `elicitation/create` to the
 * client (with a non-colliding `thoth-…` id; the relay consumes the answer)
 * when the client declared the `elicitation` capability.
 *
 * @example
 * ```ts
 * const channel = elicitationChannel({ approver: () => "ana via Claude Code" });
 * ```
 */
import type { ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import { elicitationParams, readElicitationResponse } from "./elicitation_form.ts";

/** Options of {@linkcode elicitationChannel}. */
export interface ElicitationChannelOptions {
  /** Who is answering at the client, for the audit. */
  approver: () => string;
}

/** Builds the elicitation channel. */
export function elicitationChannel(options: ElicitationChannelOptions): ApprovalChannel {
  return {
    name: "elicitation",
    available: (request) => request.client.elicitation,
    ask: async ({ question, request, signal, allowSession }): Promise<ChannelAnswer> => {
      const aborted = new Promise<"aborted">((resolve) => {
        if (signal.aborted) resolve("aborted");
        signal.addEventListener("abort", () => resolve("aborted"), { once: true });
      });
      const response = await Promise.race([
        request.client.request("elicitation/create", elicitationParams(question, allowSession)),
        aborted,
      ]);
      if (response === "aborted") return { kind: "timeout" };
      const approver = options.approver();
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
    },
  };
}
