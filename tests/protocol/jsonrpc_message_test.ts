import assert from "node:assert/strict";
import { classifyMessage } from "../../src/protocol/jsonrpc_message.ts";

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
