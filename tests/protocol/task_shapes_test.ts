import assert from "node:assert/strict";
import {
  createdTaskId,
  declaresTasks,
  endedWithoutResult,
  handedTaskId,
  requestedTaskId,
  taskEnd,
} from "../../src/protocol/task_shapes.ts";

Deno.test("createdTaskId() reads the task a CreateTaskResult names, and nothing else", () => {
  assert.equal(createdTaskId({ task: { taskId: "t-1", status: "working" } }), "t-1");
  for (const result of [{ content: [] }, { task: { taskId: 1 } }, { task: "t" }, null, []]) {
    assert.equal(createdTaskId(result), undefined);
  }
});

Deno.test("requestedTaskId() and endedWithoutResult() read tasks/result and tasks/get", () => {
  assert.equal(requestedTaskId({ taskId: "t-1" }), "t-1");
  assert.equal(requestedTaskId({ taskId: 7 }), undefined);
  assert.equal(requestedTaskId(undefined), undefined);
  assert.equal(endedWithoutResult({ status: "failed" }), true);
  assert.equal(endedWithoutResult({ status: "cancelled" }), true);
  for (const status of ["working", "input_required", "completed", undefined]) {
    assert.equal(endedWithoutResult({ status }), false);
  }
});

Deno.test("handedTaskId() reads the flat task handle of the tasks extension, and nothing else", () => {
  assert.equal(handedTaskId({ resultType: "task", taskId: "T1", status: "working" }), "T1");
  for (
    const result of [
      { taskId: "T1", status: "working" },
      { resultType: "complete", taskId: "T1" },
      { resultType: "task", taskId: 1 },
      { resultType: "task", task: { taskId: "T1" } },
      null,
    ]
  ) {
    assert.equal(handedTaskId(result), undefined);
  }
});

Deno.test("taskEnd() tells how a task's state says it ended, and nothing while it runs", () => {
  const result = { content: [{ type: "text", text: "no" }], isError: true };
  assert.deepEqual(taskEnd({ taskId: "T", status: "completed", result }), {
    status: "completed",
    isError: true,
    value: result,
  });
  assert.deepEqual(taskEnd({ taskId: "T", status: "completed", result: { content: [] } }), {
    status: "completed",
    isError: false,
    value: { content: [] },
  });
  const error = { code: -32603, message: "crashed" };
  assert.deepEqual(taskEnd({ taskId: "T", status: "failed", error }), {
    status: "failed",
    isError: true,
    value: error,
  });
  const cancelled = { taskId: "T", status: "cancelled" };
  assert.deepEqual(taskEnd(cancelled), { status: "cancelled", isError: true, value: cancelled });
  for (const status of ["working", "input_required", undefined, "Completed"]) {
    assert.equal(taskEnd({ taskId: "T", status }), undefined);
  }
  assert.equal(taskEnd(null), undefined);
});

Deno.test("declaresTasks() reads the tasks extension in a request's _meta client capabilities", () => {
  const meta = (capabilities: unknown) => ({
    name: "a",
    _meta: { "io.modelcontextprotocol/clientCapabilities": capabilities },
  });
  assert.equal(declaresTasks(meta({ extensions: { "io.modelcontextprotocol/tasks": {} } })), true);
  assert.equal(declaresTasks(meta({ extensions: {} })), false);
  assert.equal(declaresTasks(meta({ sampling: {} })), false);
  assert.equal(
    declaresTasks(meta({ extensions: { "io.modelcontextprotocol/tasks": true } })),
    false,
  );
  assert.equal(declaresTasks({ name: "a" }), false);
  assert.equal(declaresTasks(undefined), false);
});
