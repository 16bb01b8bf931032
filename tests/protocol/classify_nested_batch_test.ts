import assert from "node:assert/strict";
import { classifyMessage } from "../../src/protocol/jsonrpc_message.ts";

Deno.test("classifyMessage() classifies a batch beside an array nested 20000 deep without recursing", () => {
  const deep = JSON.parse("[".repeat(20_000) + "]".repeat(20_000));
  const request = { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "echo" } };
  const message = classifyMessage([request, deep]);
  assert.equal(message.kind, "batch");
  if (message.kind !== "batch") return;
  assert.equal(message.items[0]!.kind, "request");
  const inner = message.items[1]!;
  assert.equal(inner.kind, "batch", "an array inside a batch stays a batch (the relay refuses it)");
  if (inner.kind !== "batch") return;
  assert.deepEqual(
    inner.items,
    [{ kind: "other", value: deep[0] }],
    "its elements are not looked into",
  );
});

Deno.test("classifyMessage() keeps an inner batch's elements as they are", () => {
  const items = [{ jsonrpc: "2.0", id: 1, method: "ping" }, 3, [4]];
  const message = classifyMessage([[...items]]);
  assert.equal(message.kind, "batch");
  if (message.kind !== "batch") return;
  assert.deepEqual(message.items[0], {
    kind: "batch",
    items: items.map((value) => ({ kind: "other", value })),
  });
});
