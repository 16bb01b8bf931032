/**
 * Task-augmented `tools/call`s (MCP 2025-11-25) whose outcome is still to
 * come. Such a call is answered at once with the task it created; what the
 * tool did comes later, in the answer to the client's `tasks/result` (or a
 * `tasks/get` that says the task failed or was cancelled). In the stateless
 * era's tasks extension (2026-07-28) the server decides to answer a call
 * with a task, and its outcome comes in a task state that says it ended
 * (`tasks/get`, `notifications/tasks`). The relay keeps
 * each such call here, by task id, until then, and records that answer as
 * the call's outcome. While it waits, the call's request id stays in use:
 * the audit links an outcome to its decision by that id, so a new request
 * under it is refused. Bounded: the oldest goes first. A call displaced so,
 * or by a later call whose answer names the same task id, is handed back:
 * its outcome can no longer be told, and the relay records that. Pure.
 *
 * @example
 * ```ts
 * const tasks = new TaskCalls();
 * tasks.created("t-1", { id: 4, key: "n:4", tool: "research", started: 10 });
 * tasks.holdsId("n:4");  // true
 * tasks.take("t-1");     // the call, once
 * ```
 */
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { LooseIdIndex } from "../protocol/loose_id_index.ts";

/** A task-augmented call whose outcome is still to come. */
export interface TaskCall {
  /** The client's request id of the `tools/call`. */
  id: JsonRpcId;
  /** Its id key (see `idKey`). */
  key: string;
  tool: string;
  /** When the call was forwarded (the relay's monotonic clock). */
  started: number;
  /**
   * The task is the tasks extension's (2026-07-28, `resultType: "task"`): its
   * outcome comes in a task's state (`tasks/get`, `notifications/tasks`).
   */
  stateless?: boolean;
}

/** A call whose task's outcome will not be linked to it, and why. */
export interface DisplacedTaskCall {
  call: TaskCall;
  why: "replaced" | "evicted";
}

/** At most this many task calls wait for their outcome. */
export const MAX_TASK_CALLS = 256;

/** Task-augmented calls by task id, oldest first. */
export class TaskCalls {
  readonly #byTask = new Map<string, TaskCall>();
  readonly #keys = new Set<string>();
  /** The request id keys of the calls, by loose key (see {@linkcode twinOf}). */
  readonly #loose = new LooseIdIndex();

  /** How many wait for their outcome. */
  get size(): number {
    return this.#byTask.size;
  }

  /**
   * The call `call` created the task `taskId`. Returns the call it displaced,
   * if any: one waiting under the same task id (`replaced`), or else the
   * oldest, when {@linkcode MAX_TASK_CALLS} already wait (`evicted`).
   */
  created(taskId: string, call: TaskCall): DisplacedTaskCall | undefined {
    const replaced = this.take(taskId);
    let displaced: DisplacedTaskCall | undefined = replaced === undefined
      ? undefined
      : { call: replaced, why: "replaced" };
    if (this.#byTask.size >= MAX_TASK_CALLS) {
      const oldest = this.take(this.#byTask.keys().next().value!);
      if (oldest !== undefined) displaced = { call: oldest, why: "evicted" };
    }
    this.#byTask.set(taskId, call);
    this.#keys.add(call.key);
    this.#loose.add(call.key);
    return displaced;
  }

  /** Whether the task `taskId` waits for its outcome. */
  has(taskId: string): boolean {
    return this.#byTask.has(taskId);
  }

  /** The call that created `taskId`, while it waits for its outcome. */
  get(taskId: string): TaskCall | undefined {
    return this.#byTask.get(taskId);
  }

  /** Whether a call waiting for its task's outcome uses the request id key `key`. */
  holdsId(key: string): boolean {
    return this.#keys.has(key);
  }

  /** The request id keys of the calls waiting for their task's outcome. */
  idKeys(): IterableIterator<string> {
    return this.#keys.values();
  }

  /**
   * The request id key, other than `key`, of a call waiting for its task's
   * outcome that a client matching ids loosely takes for `key` (`"2"` for
   * `2`, see `looseKeyOf`); undefined when there is none. Walks only the
   * keys that read the same.
   */
  twinOf(key: string): string | undefined {
    return this.#loose.twinOf(key);
  }

  /** The call that created `taskId`, forgotten; undefined when none waits. */
  take(taskId: string): TaskCall | undefined {
    const call = this.#byTask.get(taskId);
    if (call === undefined) return undefined;
    this.#byTask.delete(taskId);
    this.#keys.delete(call.key);
    this.#loose.delete(call.key);
    return call;
  }

  /** Forgets everything (the server is gone). */
  clear(): void {
    this.#byTask.clear();
    this.#keys.clear();
    this.#loose.clear();
  }
}
