/**
 * The few shapes of MCP tasks (2025-11-25) the relay reads to link a
 * task-augmented `tools/call` to its outcome: the task a call created, the
 * task a `tasks/result` or `tasks/get` request names, and whether a task
 * ended without a result. Pure.
 *
 * @example
 * ```ts
 * createdTaskId({ task: { taskId: "t-1", status: "working" } }); // "t-1"
 * requestedTaskId({ taskId: "t-1" });                           // "t-1"
 * endedWithoutResult({ taskId: "t-1", status: "failed" });      // true
 * ```
 */
import { isPlainObject } from "./mcp_shapes.ts";

/** The id of the task a call's result created (a `CreateTaskResult`), or undefined. */
export function createdTaskId(result: unknown): string | undefined {
  if (!isPlainObject(result) || !isPlainObject(result["task"])) return undefined;
  const id = result["task"]["taskId"];
  return typeof id === "string" ? id : undefined;
}

/** The `taskId` a `tasks/result` or `tasks/get` request names, or undefined. */
export function requestedTaskId(params: unknown): string | undefined {
  const id = isPlainObject(params) ? params["taskId"] : undefined;
  return typeof id === "string" ? id : undefined;
}

/** Whether a `tasks/get` result says the task failed or was cancelled (it has no result then). */
export function endedWithoutResult(result: unknown): boolean {
  const status = isPlainObject(result) ? result["status"] : undefined;
  return status === "failed" || status === "cancelled";
}
