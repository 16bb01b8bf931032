/**
 * Decides the tools a model chose in a client's answer to a server's
 * `sampling/createMessage` request (MCP 2025-11-25, sampling with tools).
 * The server runs such a tool itself once it has the answer, so each is a
 * call of that server's tool with the block's input as its arguments, and
 * passes the enforcer like a `tools/call` (each decision is recorded by the
 * enforcer's audit wrapper). No person can be asked there: the answer is in
 * flight, and the client that would show a form is the one answering. A
 * STEP_UP goes to the approver with its signal already aborted, so only a
 * grant given earlier in the session allows it (as for a call decided after
 * the client left); anything else refuses it. Fail closed: a failing
 * enforcer or approver refuses too. Returns the first refusal in block
 * order, or undefined when every tool is allowed; every tool is decided
 * either way.
 *
 * @example
 * ```ts
 * const refused = await gateToolUses(calls, { enforcer, newDecisionId, approver, request, note });
 * if (refused) toServer(errorResponse(id, RPC_SERVER_ERROR, toolUseRefusedText(facts, refused.why)));
 * ```
 */
import { type Enforcer, enforcerFailedNote, enforcerFailedVerdict } from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import { blockNote } from "./block_note.ts";
import { hiddenToolName } from "./hidden_tool_name.ts";
import type { ApprovalOutcome, ApprovalRequest, Approver } from "./relay_types.ts";

/** A tool the model chose that thoth refused. */
export interface ToolUseRefusal {
  call: ToolCall;
  verdict: Verdict;
  /** Why a STEP_UP was not approved; absent for a BLOCK. */
  why?: string;
}

/** What {@linkcode gateToolUses} needs. */
export interface ToolUseGateOptions {
  enforcer: Enforcer;
  newDecisionId: () => string;
  /** The session's approver; absent when no approval channel exists. */
  approver: Approver | undefined;
  /** The approval request for a STEP_UP, its signal already aborted (no person is asked). */
  request: (call: ToolCall, verdict: Verdict) => ApprovalRequest;
  /** Hears each verdict, as it is given (before a STEP_UP goes to the approver). */
  decided?: (call: ToolCall, verdict: Verdict) => void;
  /** Hears each approval outcome (the relay's `approval` event). */
  approval?: (call: ToolCall, verdict: Verdict, outcome: ApprovalOutcome) => void;
  note: (message: string) => void;
}

type Gate = ToolUseRefusal | undefined;

/** Why a STEP_UP on a tool chosen in a sampling answer is not put to a person. */
export const NO_PERSON_WHY =
  "no person can be asked about a tool a model chose inside a sampling answer";

/** Decides each of `calls`; the first refusal, or undefined when all are allowed. */
export function gateToolUses(
  calls: readonly ToolCall[],
  options: ToolUseGateOptions,
): Gate | Promise<Gate> {
  const gates = calls.map((call) => decideOne(call, options));
  if (gates.every((gate) => !(gate instanceof Promise))) {
    return (gates as Gate[]).find((gate) => gate !== undefined);
  }
  return Promise.all(gates).then((all) => all.find((gate) => gate !== undefined));
}

function decideOne(call: ToolCall, options: ToolUseGateOptions): Gate | Promise<Gate> {
  // Said as a block line (not recorded: the audit wrapper is what failed, if anything),
  // with an unlisted name the detectors flag by its length alone (see `hidden_tool_name.ts`).
  const failed = (error: unknown): Verdict => {
    const verdict = enforcerFailedVerdict(options.newDecisionId());
    const reasons = [enforcerFailedNote(error)];
    const shown = {
      server: call.server,
      tool: hiddenToolName(call, [], undefined)?.tool ?? call.tool,
    };
    options.note(
      blockNote(shown, { ...verdict, reasons }, { auditCommand: "thoth audit", recorded: false }),
    );
    return verdict;
  };
  let verdict: Verdict | Promise<Verdict>;
  try {
    verdict = options.enforcer.decide(call, options.newDecisionId);
  } catch (error) {
    verdict = failed(error);
  }
  return verdict instanceof Promise
    ? verdict.then((v) => v, failed).then((v) => settle(call, v, options))
    : settle(call, verdict, options);
}

function settle(
  call: ToolCall,
  verdict: Verdict,
  options: ToolUseGateOptions,
): Gate | Promise<Gate> {
  options.decided?.(call, verdict);
  if (verdict.decision === "allow") return undefined;
  if (verdict.decision === "block") return { call, verdict };
  const approver = options.approver;
  if (approver === undefined) return { call, verdict, why: NO_PERSON_WHY };
  let asked: Promise<ApprovalOutcome>;
  try {
    asked = approver(options.request(call, verdict));
  } catch (error) {
    asked = Promise.reject(error);
  }
  return asked.then(
    (outcome) => outcome,
    (error): ApprovalOutcome => ({
      approved: false,
      kind: "error",
      why: `the approval channel failed (${
        error instanceof Error ? error.message : String(error)
      })`,
    }),
  ).then((outcome) => {
    options.approval?.(call, verdict, outcome);
    return outcome.approved ? undefined : { call, verdict, why: outcome.why };
  });
}
