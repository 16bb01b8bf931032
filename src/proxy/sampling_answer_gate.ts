/**
 * A client's answer to a server's `sampling/createMessage` request (MCP
 * 2025-11-25, sampling with tools), before it reaches the server: each tool
 * the model chose in it (a `tool_use` block) is decided as a call of that
 * server's tool with the block's input as arguments (see
 * {@linkcode gateToolUses}). When one is refused, or the blocks cannot be
 * read for sure, the answer must not reach the server: it gets a JSON-RPC
 * error naming the tool and why instead (and stderr a note). The tools'
 * annotations come from a current listing, as a `tools/call`'s do: after the
 * server said its tools changed, the answer waits for a fresh one (see
 * `SamplingAnswerContext.listing`), and one that fails fails closed. An answer
 * without such blocks passes as it is. Returns the plan; the relay applies it.
 * The same answers, carried in a client request's `inputResponses` (the
 * stateless era's round trip), are decided by {@linkcode gateInputResponse}.
 *
 * @example
 * ```ts
 * const plan = await gateSamplingAnswer(100, message.value["result"], undefined, context);
 * if (!plan.pass) { note(plan.note); toServer(plan.error); }
 * ```
 */
import type { ToolAnnotations, ToolCall } from "../policy/tool_call.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import {
  errorResponse,
  type RefusalFacts,
  RPC_SERVER_ERROR,
  toolUseRefusedText,
  toolUseUnreadText,
} from "../protocol/responses.ts";
import {
  readInputResponse,
  readToolUses,
  type ToolUse,
  type ToolUses,
} from "../protocol/sampling_tool_use.ts";
import { stricterAnnotations, STRICTEST_ANNOTATIONS } from "../protocol/offered_tools.ts";
import { gateToolUses, type ToolUseGateOptions, type ToolUseRefusal } from "./tool_use_gate.ts";
import { hiddenToolName } from "./hidden_tool_name.ts";
import { notedToolName } from "../enforcer/noted_tool_name.ts";

/** What {@linkcode gateSamplingAnswer} needs besides the gate's own options. */
export interface SamplingAnswerContext extends ToolUseGateOptions {
  /** The governed server's agent id. */
  server: string;
  /**
   * The server's tools from its last `tools/list`, with their annotations
   * (read once `listing` is done).
   */
  tools: ReadonlyMap<string, ToolAnnotations>;
  /**
   * When what `tools` holds is not current for the tools chosen (`names`):
   * the server said its tools changed, or no listing holds them; a fresh
   * listing to wait for, which resolves with why it failed (the calls are
   * then decided as ones whose annotations are unknown:
   * `thoth.listing_failed`), or undefined once listed. Undefined when
   * `tools` is current, as it is for a `tools/call` (see `relay_tool_calls.ts`).
   */
  listing?: ((names: readonly string[]) => Promise<string | undefined> | undefined) | undefined;
  /**
   * The tools the server's sampling request offered the model, with their
   * annotations: for a tool both listed and offered, the stricter of each
   * hint counts. A tool chosen that it does not hold (the request did not
   * offer it; or thoth never saw the request, or forgot its offer, or it was
   * too long to keep: an empty offer such as `DROPPED_OFFER`) is read with
   * every hint at its strictest (`STRICTEST_ANNOTATIONS`), in either era:
   * that request could have offered it so.
   */
  offered: ReadonlyMap<string, ToolAnnotations>;
  /** Hears each tool the model chose, before it is decided. */
  chosen?: (call: ToolCall) => void;
  /** The protocol version `initialize` negotiated, when known. */
  protocolVersion: string | undefined;
}

/**
 * Pass the answer on, or send the server `error` in its place (and stderr
 * `note`); `reason` says what was refused, in words for another note.
 */
export type SamplingAnswerPlan =
  | { pass: true }
  | { pass: false; error: Uint8Array; note: string; reason: string };

const PASS: SamplingAnswerPlan = { pass: true };

/**
 * Decides the tools chosen in the answer `id` carries (`result`, and
 * `exactResult`: the same with its long integers' digits kept, when the line
 * had one, for the detectors).
 */
export function gateSamplingAnswer(
  id: JsonRpcId,
  result: unknown,
  exactResult: unknown,
  context: SamplingAnswerContext,
): SamplingAnswerPlan | Promise<SamplingAnswerPlan> {
  return gateRead(
    id,
    readToolUses(result),
    exactResult === undefined ? undefined : () => readToolUses(exactResult),
    context,
  );
}

/**
 * Decides the tools chosen in one answer a client's request carries to the
 * server's own requests (an entry of its `inputResponses`; `exactEntry`: the
 * same with its long integers' digits kept, when the line had one), read in
 * both shapes a server may take it in (see `readInputResponse`). `id` is the
 * carrying request's; what the plan refuses is for its sender.
 *
 * @example
 * ```ts
 * const plan = await gateInputResponse(5, params.inputResponses.s1, undefined, context);
 * if (!plan.pass) toClient(plan.error);
 * ```
 */
export function gateInputResponse(
  id: JsonRpcId,
  entry: unknown,
  exactEntry: unknown,
  context: SamplingAnswerContext,
): SamplingAnswerPlan | Promise<SamplingAnswerPlan> {
  return gateRead(
    id,
    readInputResponse(entry),
    exactEntry === undefined ? undefined : () => readInputResponse(exactEntry),
    context,
  );
}

/** Decides the tools `read` found (`exactRead`: the same, read with long integers' digits kept). */
function gateRead(
  id: JsonRpcId,
  read: ToolUses,
  exactRead: (() => ToolUses) | undefined,
  context: SamplingAnswerContext,
): SamplingAnswerPlan | Promise<SamplingAnswerPlan> {
  if (read.ok && read.uses.length === 0) return PASS;
  if (!read.ok) {
    return {
      pass: false,
      error: errorResponse(id, RPC_SERVER_ERROR, toolUseUnreadText(read.problem)),
      note: `refused the client's answer to the server's request ${JSON.stringify(id)}: ` +
        `${read.problem}; the server was sent an error instead`,
      reason: read.problem,
    };
  }
  const listing = context.listing?.(read.uses.map((use) => use.name));
  if (listing !== undefined) {
    return listing.then((failure) => decideUses(id, read.uses, exactRead, context, failure));
  }
  return decideUses(id, read.uses, exactRead, context, undefined);
}

/**
 * Decides the tools `uses` (`exactRead`: the same with long integers' digits
 * kept); `listingFailure`: why the fresh listing they waited for failed.
 */
function decideUses(
  id: JsonRpcId,
  uses: readonly ToolUse[],
  exactRead: (() => ToolUses) | undefined,
  context: SamplingAnswerContext,
  listingFailure: string | undefined,
): SamplingAnswerPlan | Promise<SamplingAnswerPlan> {
  const exact = exactRead?.();
  const calls = uses.map((use, index): ToolCall => {
    const listed = context.tools.get(use.name);
    // A tool the request did not offer is read as an offer thoth never saw: at its strictest.
    const offer = context.offered.get(use.name) ?? STRICTEST_ANNOTATIONS;
    const annotations = stricterAnnotations(listed, offer);
    const exactInput = exact?.ok ? exact.uses[index]?.input : undefined;
    return {
      server: context.server,
      tool: use.name,
      arguments: use.input,
      annotations,
      listed: listed !== undefined,
      era: "initialize",
      protocolVersion: context.protocolVersion,
      ...(exactInput === undefined ? {} : { exactArguments: exactInput }),
      // The listing failed: the annotations are unknown, and the policy fails closed on that.
      ...(listingFailure === undefined ? {} : { listingFailure }),
    };
  });
  for (const call of calls) context.chosen?.(call);
  const gate = gateToolUses(calls, context);
  const plan = (refused: ToolUseRefusal | undefined): SamplingAnswerPlan =>
    refused === undefined ? PASS : refusedPlan(id, refused);
  return gate instanceof Promise ? gate.then(plan) : plan(gate);
}

function refusedPlan(id: JsonRpcId, refused: ToolUseRefusal): SamplingAnswerPlan {
  const { call, verdict, why } = refused;
  // A name no tools/list named that the detectors flag is not written out (see `hidden_tool_name.ts`).
  const hidden = hiddenToolName(call, verdict.reasons, undefined);
  const facts: RefusalFacts = {
    server: call.server,
    tool: hidden?.tool ?? call.tool,
    ruleIds: verdict.ruleIds,
    reasons: hidden?.reasons ?? verdict.reasons,
    decisionId: verdict.decisionId,
  };
  const reason = `the model chose tool ${notedToolName(call)}, which thoth ${
    why === undefined ? "blocked" : "did not allow without a person's approval"
  } (decision ${verdict.decisionId})`;
  return {
    pass: false,
    error: errorResponse(id, RPC_SERVER_ERROR, toolUseRefusedText(facts, why)),
    note: `refused the client's answer to the server's sampling request ${JSON.stringify(id)}: ` +
      `${reason}; the server was sent an error instead`,
    reason,
  };
}
