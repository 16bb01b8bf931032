import assert from "node:assert/strict";
import {
  continuedRound,
  requestRound,
  requestRounds,
  resultRound,
} from "../../src/protocol/round_trips.ts";

Deno.test("requestRound() reads a retry without requestState as the request again, its answers aside", () => {
  const call = { name: "agent", arguments: { x: 1 }, _meta: { a: 1 } };
  const retry = { name: "agent", arguments: { x: 1 }, inputResponses: { s1: {} }, _meta: { b: 2 } };
  assert.equal(requestRound("tools/call", call), requestRound("tools/call", retry));
  assert.notEqual(
    requestRound("tools/call", call),
    requestRound("tools/call", { ...call, arguments: { x: 2 } }),
  );
  assert.notEqual(requestRound("tools/call", call), requestRound("prompts/get", call));
});

Deno.test("continuedRound() matches the requestState a result gave and its retry carries back", () => {
  const given = resultRound({ resultType: "input_required", requestState: "a" });
  assert.ok(given !== undefined);
  assert.equal(continuedRound({ name: "agent", requestState: "a" }), given);
  assert.notEqual(continuedRound({ requestState: "b" }), given);
  assert.equal(continuedRound({ requestState: 7 }), undefined);
  assert.equal(resultRound({ resultType: "input_required" }), undefined);
  assert.notEqual(given, requestRound("a", undefined), "a state's scope is no request's");
});

Deno.test("requestRounds() says which round trip a request continues, and skips the tasks methods", () => {
  assert.equal(requestRounds("tasks/update", { taskId: "T" }, true), undefined);
  assert.equal(requestRounds("tools/call", { name: "a" }, false)?.continues, undefined);
  const retry = requestRounds("tools/call", { name: "a", inputResponses: {} }, true);
  assert.equal(retry?.continues, requestRound("tools/call", { name: "a" }));
  assert.equal(retry?.own(), retry?.continues);
  assert.equal(
    requestRounds("tools/call", { name: "a", requestState: "s" }, false)?.continues,
    continuedRound({ requestState: "s" }),
  );
});
