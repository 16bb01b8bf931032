/**
 * A task-augmented `tools/call` (`params.task`, MCP 2025-11-25) expects a
 * `CreateTaskResult`: when thoth refuses it, the reason goes out as a
 * JSON-RPC error, which such a client reads, not as a tool result, which it
 * rejects.
 */
import assert from "node:assert/strict";
import { approverOf, call, enforcerOf, rawRelay, settle } from "./_raw_relay.ts";

const TASK = { task: { ttl: 60_000 } };

Deno.test("RelaySession refuses a blocked task-augmented call with a JSON-RPC error carrying its reason", () => {
  const h = rawRelay({ enforcer: enforcerOf({ research: "block" }) });
  h.session.fromClient(call(3, "research", { topic: "x" }, TASK));
  assert.equal(h.toServer.length, 0);
  const [reply] = h.json(h.toClient);
  assert.equal(reply.id, 3);
  assert.equal(reply.result, undefined);
  assert.equal(reply.error.code, -32000);
  assert.match(
    reply.error.message,
    /^thoth blocked this call to tool "research" on server "srv" by rule "rule-research".*Decision d-1\. .*do not retry/,
  );
  // The same call without a task still gets the tool result the model reads.
  h.session.fromClient(call(4, "research", { topic: "x" }));
  assert.equal(h.json(h.toClient)[1].result.isError, true);
});

Deno.test("RelaySession refuses a declined task-augmented call with a JSON-RPC error", async () => {
  const approver = approverOf(() => ({ approved: false, why: "a person (ana) denied it" }));
  const h = rawRelay({ enforcer: enforcerOf({ research: "step_up" }), approver });
  h.session.fromClient(call("t-1", "research", {}, TASK));
  await settle();
  const [reply] = h.json(h.toClient);
  assert.equal(reply.id, "t-1");
  assert.match(reply.error.message, /requires a person's approval, and a person \(ana\) denied it/);
  // No channel at all: refused the same way.
  const none = rawRelay({ enforcer: enforcerOf({ research: "step_up" }) });
  none.session.fromClient(call(5, "research", {}, TASK));
  assert.match(none.json(none.toClient)[0].error.message, /no approval channel is available/);
});

Deno.test("RelaySession forwards an allowed task-augmented call as it came", () => {
  const h = rawRelay();
  const bytes = call(6, "research", {}, TASK);
  h.session.fromClient(bytes);
  assert.deepEqual(h.toServer, [bytes]);
});
