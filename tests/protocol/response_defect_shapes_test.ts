/**
 * `classifyMessage()` reads a message with `"method": ""` (or a method that
 * is not a string) as no request: beside a result or an error it is a
 * response JSON-RPC does not allow (Go's SDK takes it for an answer, the
 * others for a request); alone it is no message thoth routes. A response
 * whose `error` is not an object, or whose `jsonrpc` is absent or not
 * "2.0", is one JSON-RPC does not allow either; an error without an id is
 * one it does.
 */
import assert from "node:assert/strict";
import { classifyMessage, type ResponseMessage } from "../../src/protocol/jsonrpc_message.ts";

const defect = (value: unknown) => {
  const message = classifyMessage(value);
  assert.equal(message.kind, "response", JSON.stringify(value));
  return (message as ResponseMessage).defect;
};

Deno.test("classifyMessage() reads an empty method beside a result or an error as a defective response", () => {
  const result = { jsonrpc: "2.0", id: 0, method: "", result: { content: [] } };
  assert.equal(classifyMessage(result).kind, "response");
  assert.equal(defect(result), "it has a method (an empty string) beside its result");
  assert.equal(
    defect({ jsonrpc: "2.0", id: 1, method: "", error: { code: 1, message: "x" } }),
    "it has a method (an empty string) beside its error",
  );
  assert.equal(
    defect({ jsonrpc: "2.0", id: 1, method: 5, result: {} }),
    "it has a method (5, not a name) beside its result",
  );
  assert.equal(
    defect({ jsonrpc: "2.0", id: 1, method: null, result: {} }),
    "it has a method (null, not a name) beside its result",
  );
  // In a batch too.
  const batch = classifyMessage([result]);
  assert.equal(batch.kind, "batch");
  if (batch.kind === "batch") assert.match((batch.items[0] as ResponseMessage).defect!, /method/);
});

Deno.test("classifyMessage() reads an empty method alone as no request and no notification", () => {
  assert.equal(classifyMessage({ jsonrpc: "2.0", id: 1, method: "" }).kind, "other");
  assert.equal(classifyMessage({ jsonrpc: "2.0", method: "" }).kind, "other");
  // A method that names something is read as before.
  assert.equal(classifyMessage({ jsonrpc: "2.0", id: 1, method: "x" }).kind, "request");
  assert.equal(classifyMessage({ jsonrpc: "2.0", method: "x" }).kind, "notification");
});

Deno.test("classifyMessage() marks an error that is not an object", () => {
  assert.equal(defect({ jsonrpc: "2.0", id: 1, error: null }), "its error null is not an object");
  assert.equal(
    defect({ jsonrpc: "2.0", id: 1, error: "boom" }),
    'its error "boom" is not an object',
  );
  assert.equal(
    defect({ jsonrpc: "2.0", id: 1, error: [1] }),
    "its error (an array) is not an object",
  );
  assert.equal(defect({ jsonrpc: "2.0", id: null, error: 3 }), "its error 3 is not an object");
});

Deno.test("classifyMessage() marks a response without jsonrpc 2.0", () => {
  assert.equal(defect({ id: 1, result: {} }), 'it has no jsonrpc "2.0"');
  assert.equal(defect({ jsonrpc: "1.0", id: 1, result: {} }), 'its jsonrpc "1.0" is not "2.0"');
  assert.equal(
    defect({ jsonrpc: 2, id: 1, error: { code: 1, message: "x" } }),
    'its jsonrpc 2 is not "2.0"',
  );
});

Deno.test("classifyMessage() takes an error without an id for one JSON-RPC allows", () => {
  const message = classifyMessage({
    jsonrpc: "2.0",
    error: { code: -32700, message: "Parse error" },
  });
  assert.equal(message.kind, "response");
  assert.equal((message as ResponseMessage).id, null);
  assert.equal((message as ResponseMessage).defect, undefined);
  // Not with a result, nor with an error that is no object.
  assert.equal(defect({ jsonrpc: "2.0", result: {} }), "it has no id");
  assert.equal(defect({ jsonrpc: "2.0", error: "x" }), 'its error "x" is not an object');
});
