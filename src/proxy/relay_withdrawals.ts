/**
 * Why a `RelaySession` (`relay_session.ts`) stops waiting for an answer:
 * the reason a withdrawal notice gives, the answer a request of thoth's own
 * gets once the client went away, and the abort reason the approver passes
 * on to the person's side. Pure.
 *
 * @example
 * ```ts
 * withdrawalReason(undefined); // "thoth no longer waits for this answer"
 * ```
 */
import { RPC_SERVER_ERROR } from "../protocol/responses.ts";

/** The `reason` of a withdrawal notice: the abort's words, or a plain default. */
export function withdrawalReason(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "";
  return text === "" ? "thoth no longer waits for this answer" : text.slice(0, 200);
}

/** What a request of thoth's own gets once the client went away (`message` says how). */
export function clientGoneAnswer(message: string): Record<string, unknown> {
  return { error: { code: RPC_SERVER_ERROR, message } };
}

/** An abort reason the approver tells the person's side as it is (see `abortReason`). */
export function withdrawnReason(message: string): Error {
  const reason = new Error(message);
  reason.name = "WithdrawnCall";
  return reason;
}
