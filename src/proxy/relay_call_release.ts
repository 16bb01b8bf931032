/**
 * A decided call's last steps: answered by thoth (`answerCall`), or released
 * to the server (its `inputResponses` decided first) and pending there from
 * then on.
 *
 * @example
 * ```ts
 * release(state, { call, decisionId, id, key, held: undefined, progressToken: undefined, task: false }, params);
 * ```
 */
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { UNSENT_CLIENT_NOT_READING } from "./client_left_texts.ts";
import { shownText } from "./relay_line_text.ts";
import { notedToolName } from "../enforcer/noted_tool_name.ts";
import { inputResponseEntries } from "./relay_requests.ts";
import { continuedRound, requestRound, requestRounds } from "../protocol/round_trips.ts";
import { declaresTasks } from "../protocol/task_shapes.ts";
import { gateInputResponses } from "./relay_client_answers.ts";
import { forgetProgress } from "./relay_own_progress.ts";
import { notCarriedOut } from "./not_carried_out.ts";
import type { Forward, Held, Pending, Refused, RelayState, Release } from "./relay_state.ts";

/**
 * A decided call thoth answers itself: it is no longer held, and its answer
 * goes out. Once the client stopped reading, no one reads it: the call
 * (`decisionId`, else the one `held` for a person) did not happen (see
 * `not_carried_out.ts`).
 */
export function answerCall(
  s: RelayState,
  key: string,
  held: Held | undefined,
  id: JsonRpcId,
  answer: Uint8Array,
  decisionId?: string,
): false {
  finishHeld(s, key, held);
  notCarriedOut(s, decisionId ?? held?.decisionId);
  forgetProgress(s, held?.progressKey);
  s.opts.events?.answered?.(id);
  s.ports.toClient(answer);
  return false;
}

/**
 * A call thoth lets through, with `params` as the server gets them: the
 * answers to the server's sampling requests they may carry (`inputResponses`,
 * the stateless era's round trip) choose tools the server runs once it has
 * them, so each tool a model chose there is decided first, as in a live
 * sampling answer (see `samplingAnswer`). When one is refused, the call is
 * not forwarded: the client gets an error, and the call's decision a
 * cancellation that says why.
 */
export function release(s: RelayState, release: Release, params: unknown): Forward {
  const { call, id, key } = release;
  const responses = inputResponseEntries(params);
  if (responses.length === 0) return forwardCall(s, release, params, false);
  const version = call.era === "stateless" ? call.protocolVersion : undefined;
  // A retry: its answers are to the requests of the round trip it continues.
  const round = continuedRound(params) ?? requestRound("tools/call", params);
  const { decided, refused } = gateInputResponses(s, id, responses, { round }, version);
  const waiting: Held = release.held ?? { id, tool: call.tool, cancelled: false };
  s.held.set(key, waiting);
  const apply = (found: Refused | undefined): boolean => {
    // Not sent either once the client stopped reading (see `forwardCall`).
    const forward = found === undefined && !waiting.cancelled && !s.clientNotReading;
    for (const chosen of decided) {
      s.opts.events?.toolUseEnded?.(chosen.call, chosen.verdict, id, forward);
      // Once the client stopped reading, none of them runs, whatever this call's fate.
      notCarriedOut(s, chosen.verdict.decisionId);
    }
    if (waiting.cancelled) return false;
    if (found === undefined) return forwardCall(s, { ...release, held: waiting }, params, true);
    const why = `thoth refused the answer to the server's sampling request this call carries ` +
      `in inputResponses: ${found.reason}`;
    s.ports.note(
      `refused tools/call ${JSON.stringify(id)} (tool ${notedToolName(call)}): ` +
        `the answer to the server's sampling request it carries in inputResponses: ` +
        `${found.reason}; the call was not forwarded`,
    );
    s.opts.events?.cancelled?.(id, call.tool, why);
    return answerCall(s, key, waiting, id, found.error, release.decisionId);
  };
  return refused instanceof Promise ? refused.then(apply) : apply(refused);
}

/**
 * Forwards a call thoth lets through: it is pending on the server from now
 * on. Not once the client stopped reading thoth's output: the call would
 * run with no one to read its result, so it ends here, told as cancelled
 * (the client, which reads nothing more, is sent nothing).
 */
function forwardCall(s: RelayState, release: Release, params: unknown, retry: boolean): boolean {
  const { call, decisionId, id, key, held, progressToken, task } = release;
  finishHeld(s, key, held);
  if (s.clientNotReading) {
    if (held !== undefined) held.cancelled = true;
    if (progressToken !== undefined) forgetProgress(s, idKey(progressToken));
    s.ports.note(
      `did not send tools/call ${shownText(id)} (tool ${notedToolName(call)}) to the MCP ` +
        "server: the client stopped reading thoth's output while it was being decided, so " +
        // A warning printed as it was decided (progressive mode's first rung) said "forwarded".
        "it did not run: it was not forwarded after all, even if a warning said so",
    );
    s.opts.events?.cancelled?.(id, call.tool, UNSENT_CLIENT_NOT_READING);
    notCarriedOut(s, decisionId);
    return false;
  }
  const stateless = call.era === "stateless";
  const progressKey = progressToken === undefined ? undefined : idKey(progressToken);
  const own = progressKey === undefined ? undefined : s.progressSent.get(progressKey);
  // The server's progress for this call goes on above thoth's (see `offsetProgress`).
  if (own !== undefined) own.call = key;
  s.pending.set(key, {
    id,
    method: "tools/call",
    tool: call.tool,
    started: s.now(),
    ...(own !== undefined && progressKey !== undefined ? { progressKey } : {}),
    ...(task ? { task } : {}),
    ...(stateless ? statelessCall(params, retry) : {}),
    decisionId,
  });
  return true;
}

/** What a stateless-era call's answer is read with: its round trips, and whether it may get a task. */
function statelessCall(params: unknown, retry: boolean): Pick<Pending, "round" | "takesTask"> {
  const round = requestRounds("tools/call", params, retry);
  return {
    ...(round === undefined ? {} : { round }),
    ...(declaresTasks(params) ? { takesTask: true } : {}),
  };
}

export function finishHeld(s: RelayState, key: string, held: Held | undefined): void {
  if (held !== undefined && s.held.get(key) === held) s.held.delete(key);
}
