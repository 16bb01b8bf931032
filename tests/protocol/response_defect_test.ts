/**
 * `classifyMessage()` names what makes a response one JSON-RPC does not allow:
 * both `result` and `error` (whatever `error` holds), no id, or an id that is
 * not a string or a number (null only with an error).
 */
import assert from "node:assert/strict";
import { classifyMessage, type ResponseMessage } from "../../src/protocol/jsonrpc_message.ts";

const defect = (value: unknown) => (classifyMessage(value) as ResponseMessage).defect;

Deno.test("classifyMessage() marks a response with both result and error, whatever error holds", () => {
  for (const error of [null, 0, false, "", {}, { code: 1, message: "x" }]) {
    const message = classifyMessage({ jsonrpc: "2.0", id: 1, result: {}, error });
    assert.equal(message.kind, "response");
    assert.equal((message as ResponseMessage).defect, "it has both result and error");
  }
});

Deno.test("classifyMessage() marks a response whose id is absent or not a string or a number", () => {
  assert.equal(
    defect({ jsonrpc: "2.0", id: false, result: {} }),
    "its id false is not a string or a number",
  );
  assert.equal(
    defect({ jsonrpc: "2.0", id: true, result: {} }),
    "its id true is not a string or a number",
  );
  assert.equal(
    defect({ jsonrpc: "2.0", id: null, result: {} }),
    "its id null is not a string or a number",
  );
  assert.equal(
    defect({ jsonrpc: "2.0", id: [1], result: {} }),
    "its id (an array) is not a string or a number",
  );
  assert.equal(
    defect({ jsonrpc: "2.0", id: {}, error: {} }),
    "its id (an object) is not a string or a number",
  );
  assert.equal(defect({ jsonrpc: "2.0", result: {} }), "it has no id");
  assert.equal(classifyMessage([{ jsonrpc: "2.0", id: false, result: {} }]).kind, "batch");
});

Deno.test("classifyMessage() marks no response JSON-RPC allows", () => {
  assert.equal(defect({ jsonrpc: "2.0", id: 1, result: {} }), undefined);
  assert.equal(defect({ jsonrpc: "2.0", id: "a", error: { code: 1, message: "x" } }), undefined);
  // A null id, as JSON-RPC gives an error about a request whose id could not be read.
  assert.equal(
    defect({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "x" } }),
    undefined,
  );
});
