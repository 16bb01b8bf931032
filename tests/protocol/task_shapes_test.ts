import assert from "node:assert/strict";
import {
  createdTaskId,
  endedWithoutResult,
  requestedTaskId,
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
