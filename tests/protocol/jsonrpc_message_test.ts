import assert from "node:assert/strict";
import { classifyMessage, findIdInFragments, idKey } from "../../src/protocol/jsonrpc_message.ts";

Deno.test("classifyMessage() tells requests, notifications, responses, batches and others apart", () => {
  assert.equal(classifyMessage({ jsonrpc: "2.0", id: 1, method: "ping" }).kind, "request");
  assert.equal(
    classifyMessage({ jsonrpc: "2.0", method: "notifications/initialized" }).kind,
    "notification",
  );
  assert.equal(classifyMessage({ jsonrpc: "2.0", id: "a", result: {} }).kind, "response");
  assert.equal(classifyMessage({ jsonrpc: "2.0", id: null, error: { code: -1 } }).kind, "response");
  assert.equal(classifyMessage([{ jsonrpc: "2.0", id: 1, method: "ping" }]).kind, "batch");
  assert.equal(classifyMessage({ jsonrpc: "2.0", id: {}, method: "x" }).kind, "other");
  assert.equal(classifyMessage(42).kind, "other");
  assert.equal(classifyMessage({ hello: "world" }).kind, "other");
});

Deno.test('idKey() keeps the number 1 and the string "1" apart', () => {
  assert.notEqual(idKey(1), idKey("1"));
});

Deno.test("findIdInFragments() finds ids where serializers put them, and nowhere else", () => {
  assert.equal(findIdInFragments('{"jsonrpc":"2.0","id":7,"result":{"a', ""), 7);
  assert.equal(findIdInFragments('{"id":"req-1","result"', ""), "req-1");
  assert.equal(findIdInFragments('{"result":{"x', 'yz"}},"jsonrpc":"2.0","id":12}'), 12);
  assert.equal(
    findIdInFragments('{"result":{"x', 'yz","id":12}}'),
    undefined,
    "a nested id is not the message id",
  );
  assert.equal(findIdInFragments('{"result":{"id":3,', 'zz"}}'), undefined);
});
