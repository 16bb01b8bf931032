/**
 * The few shapes of MCP tasks the relay reads to link a task call to its
 * outcome: in 2025-11-25, the task a task-augmented call created, the task a
 * `tasks/result` or `tasks/get` request names, and whether a task ended
 * without a result; in the stateless era's tasks extension (2026-07-28),
 * the task a server hands back instead of a result (`resultType: "task"`)
 * and how a task's state (a `tasks/get` result, `notifications/tasks`)
 * says it ended. Pure.
 *
 * @example
 * ```ts
 * createdTaskId({ task: { taskId: "t-1", status: "working" } }); // "t-1"
 * requestedTaskId({ taskId: "t-1" });                           // "t-1"
 * endedWithoutResult({ taskId: "t-1", status: "failed" });      // true
 * handedTaskId({ resultType: "task", taskId: "t-1" });          // "t-1"
 * taskEnd({ taskId: "t-1", status: "completed", result: { content: [] } });
 * // { status: "completed", isError: false, value: { content: [] } }
 * ```
 */
import { isPlainObject, STATELESS_CAPABILITIES_META } from "./mcp_shapes.ts";

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

/**
 * The id of the task a stateless-era server hands back instead of a result
 * (the tasks extension's `CreateTaskResult`: `resultType: "task"` and the
 * task's fields beside it), or undefined. The server decides; the request
 * need not have asked.
 */
export function handedTaskId(result: unknown): string | undefined {
  if (!isPlainObject(result) || result["resultType"] !== "task") return undefined;
  const id = result["taskId"];
  return typeof id === "string" ? id : undefined;
}

/** How a task ended: its status, whether that is an error, and what to record as the outcome. */
export interface TaskEnd {
  status: "completed" | "failed" | "cancelled";
  isError: boolean;
  /** A completed task's `result`, a failed one's `error`; else the state itself. */
  value: unknown;
}

/**
 * How a task's state in the tasks extension (a `tasks/get` result, or the
 * params of `notifications/tasks`) says it ended, or undefined while it
 * runs (or waits for input): `completed` carries the request's `result`
 * (an error when that result says `isError`), `failed` a JSON-RPC `error`,
 * `cancelled` nothing.
 */
export function taskEnd(state: unknown): TaskEnd | undefined {
  if (!isPlainObject(state)) return undefined;
  const status = state["status"];
  if (status === "completed") {
    const result = state["result"];
    return {
      status,
      isError: isPlainObject(result) && result["isError"] === true,
      value: "result" in state ? result : state,
    };
  }
  if (status === "failed") {
    return { status, isError: true, value: "error" in state ? state["error"] : state };
  }
  if (status === "cancelled") return { status, isError: true, value: state };
  return undefined;
}

/** The tasks extension's identifier, the key under which a client declares it. */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/**
 * Whether a stateless-era request's `_meta` declares that its client takes
 * tasks (its `clientCapabilities.extensions` holds the tasks extension):
 * only then may a server answer it with a task.
 */
export function declaresTasks(params: unknown): boolean {
  const meta = isPlainObject(params) ? params["_meta"] : undefined;
  const capabilities = isPlainObject(meta) ? meta[STATELESS_CAPABILITIES_META] : undefined;
  const extensions = isPlainObject(capabilities) ? capabilities["extensions"] : undefined;
  return isPlainObject(extensions) && isPlainObject(extensions[TASKS_EXTENSION]);
}
