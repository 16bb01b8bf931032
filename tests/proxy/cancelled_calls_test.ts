import assert from "node:assert/strict";
import {
  CANCELLED_TTL_MS,
  CancelledCalls,
  MAX_CANCELLED,
} from "../../src/proxy/cancelled_calls.ts";

Deno.test("CancelledCalls keeps an id in use until the server answers it", () => {
  const cancelled = new CancelledCalls();
  cancelled.add("n:7", 0);
  assert.equal(cancelled.inUse("n:7", 10), true);
  assert.equal(cancelled.inUse("s:7", 10), false);
  assert.deepEqual(cancelled.answered("n:7"), { call: undefined });
  assert.equal(cancelled.inUse("n:7", 10), false);
  assert.equal(cancelled.answered("n:7"), undefined, "answered once");
});

Deno.test("CancelledCalls keeps a cancelled tool call for its late answer's outcome", () => {
  const cancelled = new CancelledCalls();
  const call = { id: "7", tool: "slow", started: 3, decisionId: "d-1" };
  cancelled.add("s:7", 5, call);
  assert.deepEqual([...cancelled.keys()], ["s:7"]);
  assert.equal(cancelled.recent("s:7", 5 + CANCELLED_TTL_MS), true);
  assert.equal(cancelled.recent("s:7", 6 + CANCELLED_TTL_MS), false);
  assert.equal(cancelled.size, 1, "kept past its time for its late answer");
  assert.deepEqual(cancelled.answered("s:7"), { call });
  assert.equal(cancelled.size, 0);
});

Deno.test("CancelledCalls forgets an id after its time, and the oldest past its bound", () => {
  const cancelled = new CancelledCalls();
  cancelled.add("n:1", 0);
  assert.equal(cancelled.inUse("n:1", CANCELLED_TTL_MS), true);
  assert.equal(cancelled.inUse("n:1", CANCELLED_TTL_MS + 1), false);
  assert.equal(cancelled.size, 0);
  for (let i = 0; i <= MAX_CANCELLED; i++) cancelled.add(`n:${i}`, 5);
  assert.equal(cancelled.size, MAX_CANCELLED);
  assert.equal(cancelled.inUse("n:0", 5), false);
  assert.equal(cancelled.inUse(`n:${MAX_CANCELLED}`, 5), true);
  cancelled.clear();
  assert.equal(cancelled.size, 0);
});
