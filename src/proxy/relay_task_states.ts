/**
 * What a server's message says of a stateless-era request's round trip or
 * task (MCP 2026-07-28 and its tasks extension): the tools the sampling
 * requests in its `inputRequests` offered, remembered for the answers (see
 * `input_offers.ts`); and, for a task's state (a `tasks/get` result, or
 * `notifications/tasks`), whether the task ended: then its offers are
 * forgotten and, when a `tools/call` created it, the call's outcome is
 * recorded from it (the result, and whether it says `isError`; the error of
 * a failed task; a cancellation).
 *
 * @example
 * ```ts
 * noteRound(state, pending.round, message.value["result"]); // a request's input_required result
 * noteTaskState(state, "t-1", tasksGetResult);           // true: the call's outcome was recorded
 * ```
 */
import { inputRequestsOf, sampledOffers } from "../protocol/offered_tools.ts";
import { requestedTaskId, taskEnd } from "../protocol/task_shapes.ts";
import { resultRound } from "../protocol/round_trips.ts";
import type { PendingRound, RelayState } from "./relay_state.ts";

/**
 * Reads the answer (`result`; undefined for an error) to a stateless-era
 * request whose round trip is `round`: the round trip it continued is over
 * for it, and the sampling requests the result's `inputRequests` hold start
 * the next, their offers remembered under the result's `requestState` (else
 * the request's own round trip) for the retry's answers.
 */
export function noteRound(s: RelayState, round: PendingRound, result: unknown): void {
  if (round.continues !== undefined) s.inputOffers.endRound(round.continues);
  const requests = inputRequestsOf(result);
  if (requests === undefined) return;
  s.inputOffers.beginRound(resultRound(result) ?? round.own(), sampledOffers(requests));
}

/**
 * Reads a task's state: `asked`, the task a `tasks/get` named (else the
 * state's own `taskId`). Returns whether it recorded the outcome of a call
 * whose stateless-era task ended.
 */
export function noteTaskState(s: RelayState, asked: string | undefined, state: unknown): boolean {
  const taskId = asked ?? requestedTaskId(state);
  if (taskId === undefined) return false;
  const requests = inputRequestsOf(state);
  if (requests !== undefined) s.inputOffers.rememberTask(taskId, sampledOffers(requests));
  const end = taskEnd(state);
  if (end === undefined) return false;
  s.inputOffers.endTask(taskId);
  const call = s.tasks.get(taskId);
  // A 2025-11-25 task's outcome is its `tasks/result` (see `relay_server_messages.ts`).
  if (call?.stateless !== true) return false;
  s.tasks.take(taskId);
  s.opts.events?.outcome?.(call.id, call.tool, end.isError, s.now() - call.started, end.value);
  return true;
}
