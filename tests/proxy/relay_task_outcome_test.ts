/**
 * A task-augmented `tools/call` (MCP 2025-11-25) is answered at once with
 * the task it created; its outcome is what the task did, recorded when the
 * client fetches the task's result (or learns that it failed).
 */
import assert from "node:assert/strict";
import { call, line, rawRelay } from "./_raw_relay.ts";

const TASK = { task: { ttl: 60_000 } };
const created = (id: number, taskId: string) =>
  line({ jsonrpc: "2.0", id, result: { task: { taskId, status: "working" } } });
const request = (id: number, method: string, taskId: string) =>
  line({ jsonrpc: "2.0", id, method, params: { taskId } });

Deno.test("RelaySession records a task-augmented call's outcome from its task's result", () => {
  const h = rawRelay();
  h.session.fromClient(call(4, "research", {}, TASK));
  h.clock.now = 10;
  h.session.fromServer(created(4, "t-1"));
  assert.deepEqual(h.events, ["decision 4 research d-1"], "the created task is no outcome");
  // The call's id stays in use until then: the audit links the outcome by it.
  h.session.fromClient(line({ jsonrpc: "2.0", id: 4, method: "ping" }));
  assert.match(h.json(h.toClient).at(-1).error.message, /a task-augmented call still uses/);
  h.session.fromClient(request(5, "tasks/get", "t-1"));
  h.session.fromServer(
    line({ jsonrpc: "2.0", id: 5, result: { taskId: "t-1", status: "working" } }),
  );
  h.session.fromClient(request(6, "tasks/result", "t-1"));
  h.clock.now = 500;
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 6,
    result: { content: [{ type: "text", text: "found it" }], isError: false },
  }));
  assert.deepEqual(h.events.slice(1), [
    'outcome 4 research false {"content":[{"type":"text","text":"found it"}],"isError":false}',
  ]);
  // Linked once; the id is free again.
  h.session.fromClient(request(7, "tasks/result", "t-1"));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 7, result: { content: [] } }));
  assert.equal(h.events.length, 2);
  h.session.fromClient(line({ jsonrpc: "2.0", id: 4, method: "ping" }));
  assert.equal(h.json(h.toServer).at(-1).method, "ping");
});

Deno.test("RelaySession records a task that failed as its call's error outcome", () => {
  const h = rawRelay();
  h.session.fromClient(call(1, "research", {}, TASK));
  h.session.fromServer(created(1, "t-9"));
  h.session.fromClient(request(2, "tasks/get", "t-9"));
  h.session.fromServer(
    line({ jsonrpc: "2.0", id: 2, result: { taskId: "t-9", status: "failed" } }),
  );
  assert.match(h.events.at(-1)!, /^outcome 1 research true /);
  // A task thoth never saw created links to nothing.
  h.session.fromClient(request(3, "tasks/result", "t-other"));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 3, result: { content: [] } }));
  assert.equal(h.events.filter((e) => e.startsWith("outcome")).length, 1);
});
