/**
 * The stateless (2026-07-28) approval round trip on the wire: the
 * `input_required` result that asks the client to elicit a decision, and
 * the reading of the client's retry, which carries the answer in
 * `inputResponses` and thoth's `requestState`. Pure.
 *
 * Reading of the spec (schema 2026-07-28, "Multi Round-Trip Requests"):
 * a result with `resultType: "input_required"` holds `inputRequests`, a map
 * from keys the server picks to `{ method, params }` requests such as
 * `elicitation/create`, and an opaque `requestState`; the client fulfils
 * each request and retries the original request with `inputResponses` (same
 * keys, each the request's result, here an `ElicitResult`) and the
 * `requestState` echoed verbatim. Client capabilities travel per request in
 * `_meta["io.modelcontextprotocol/clientCapabilities"]`.
 *
 * @example
 * ```ts
 * const result = inputRequiredResult(question, state, true);
 * // { resultType: "input_required", inputRequests: { "thoth-approval": { method: "elicitation/create", … } }, requestState: state }
 * ```
 */
import type { ApprovalQuestion } from "./approval_question.ts";
import { elicitationParams } from "./elicitation_form.ts";

/** The `inputRequests` key thoth uses for its approval question. */
export const APPROVAL_INPUT_KEY = "thoth-approval";
const CAPABILITIES_META = "io.modelcontextprotocol/clientCapabilities";

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

/** The `result` of a `tools/call` answer that asks for approval. */
export function inputRequiredResult(
  question: ApprovalQuestion,
  requestState: string,
  allowSession: boolean,
): Record<string, unknown> {
  return {
    resultType: "input_required",
    inputRequests: {
      [APPROVAL_INPUT_KEY]: {
        method: "elicitation/create",
        params: elicitationParams(question, allowSession),
      },
    },
    requestState,
  };
}

/** Whether a stateless request's `_meta` declares form elicitation. */
export function declaresStatelessElicitation(params: unknown): boolean {
  const caps = record(record(record(params)?.["_meta"])?.[CAPABILITIES_META]);
  const elicitation = record(caps?.["elicitation"]);
  if (elicitation === undefined) return false;
  // `{}` means form mode (backwards compatible); otherwise `form` must be declared.
  return Object.keys(elicitation).length === 0 || record(elicitation["form"]) !== undefined;
}

/** The approval answer a retried call carries, when it carries one. */
export interface ApprovalRetry {
  requestState: string;
  /** The client's `ElicitResult` for {@linkcode APPROVAL_INPUT_KEY} (undefined if missing). */
  response: unknown;
}

/** Reads `requestState` and `inputResponses["thoth-approval"]` from `tools/call` params. */
export function readApprovalRetry(params: unknown): ApprovalRetry | undefined {
  const p = record(params);
  const state = p?.["requestState"];
  if (typeof state !== "string") return undefined;
  return { requestState: state, response: record(p?.["inputResponses"])?.[APPROVAL_INPUT_KEY] };
}

/**
 * The params to forward upstream after an approved retry: without thoth's
 * `requestState` and without its `inputResponses` entry (the server never
 * asked for either), everything else unchanged.
 */
export function stripApprovalRetry(params: Record<string, unknown>): Record<string, unknown> {
  const { requestState: _state, inputResponses, ...rest } = params;
  const responses = record(inputResponses);
  if (responses === undefined) return rest;
  const { [APPROVAL_INPUT_KEY]: _ours, ...others } = responses;
  return Object.keys(others).length > 0 ? { ...rest, inputResponses: others } : rest;
}
