/**
 * Only a `tools/call` that asked for a task (`params.task`) can create one:
 * a plain call's answer is its outcome whatever it holds. A task id the
 * server gives again displaces the call waiting under it, and that call's
 * end is recorded, not forgotten.
 */
import assert from "node:assert/strict";
import { call, line, rawRelay } from "./_raw_relay.ts";
import { TaskCalls } from "../../src/proxy/task_calls.ts";

const TASK = { task: { ttl: 60_000 } };

Deno.test("RelaySession records a plain call's answer as its outcome even when it names a task", () => {
  const h = rawRelay();
  h.session.fromClient(call(1, "research"));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 1,
    result: { content: [{ type: "text", text: "done" }], task: { taskId: "t" } },
  }));
  assert.deepEqual(h.events, [
    "decision 1 research d-1",
    'outcome 1 research false {"content":[{"type":"text","text":"done"}],"task":{"taskId":"t"}}',
  ]);
  // Its id is free at once: no task holds it.
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, method: "ping" }));
  assert.equal(h.json(h.toServer).at(-1).method, "ping");
});

Deno.test("RelaySession records the end of a task call displaced by another under the same task id", () => {
  const ended: string[] = [];
  const h = rawRelay({
    events: {
      outcome: (id, tool, isError) => ended.push(`outcome ${id} ${tool} ${isError}`),
      cancelled: (id, tool, reason) => ended.push(`cancelled ${id} ${tool} ${reason}`),
    },
  });
  h.session.fromClient(call(1, "first", {}, TASK));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 1, result: { task: { taskId: "t" } } }));
  h.session.fromClient(call(2, "second", {}, TASK));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 2, result: { task: { taskId: "t" } } }));
  assert.equal(ended.length, 1);
  assert.match(ended[0]!, /^cancelled 1 first replaced: the server created task "t" again/);
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 3, method: "tasks/result", params: { taskId: "t" } }),
  );
  h.session.fromServer(line({ jsonrpc: "2.0", id: 3, result: { content: [] } }));
  assert.deepEqual(ended.slice(1), ["outcome 2 second false"]);
});

Deno.test("TaskCalls.created() hands back the call it displaces", () => {
  const tasks = new TaskCalls();
  const at = (n: number) => ({ id: n, key: `n:${n}`, tool: "t", started: 0 });
  assert.equal(tasks.created("a", at(1)), undefined);
  assert.deepEqual(tasks.created("a", at(2)), { call: at(1), why: "replaced" });
  for (let n = 3; n < 3 + 255; n++) assert.equal(tasks.created(`x${n}`, at(n)), undefined);
  assert.deepEqual(tasks.created("last", at(999)), { call: at(2), why: "evicted" });
});
