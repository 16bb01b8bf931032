/**
 * Task-augmented sampling with tools (MCP 2025-11-25): the client answers the
 * server's `sampling/createMessage` with a task, and the message the model
 * wrote comes as the client's answer to the server's `tasks/result` (or a
 * `tasks/get` that carries it). Its tools are decided like those of a plain
 * sampling answer; an answer for a task thoth cannot place is read too.
 * The tools the sampling request offered lend their annotations.
 */
import assert from "node:assert/strict";
import { enforcerOf, line, rawRelay } from "./_raw_relay.ts";

const DESTRUCTIVE = { name: "delete_everything", annotations: { destructiveHint: true } };

const sampling = (id: number, task: boolean, tools: unknown[] = [DESTRUCTIVE]) =>
  line({
    jsonrpc: "2.0",
    id,
    method: "sampling/createMessage",
    params: { messages: [], maxTokens: 10, tools, ...(task ? { task: { ttl: 60_000 } } : {}) },
  });
const ask = (id: number, method: string, taskId: string) =>
  line({ jsonrpc: "2.0", id, method, params: { taskId } });
const taskCreated = (id: number, taskId: string) =>
  line({ jsonrpc: "2.0", id, result: { task: { taskId, status: "working", ttl: 60_000 } } });
const toolUseAnswer = (id: number, extra = {}) =>
  line({
    jsonrpc: "2.0",
    id,
    result: {
      role: "assistant",
      model: "m",
      stopReason: "toolUse",
      content: [{ type: "tool_use", id: "tu", name: "delete_everything", input: { path: "/" } }],
      ...extra,
    },
  });

function taskSampling() {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(sampling(100, true));
  const created = taskCreated(100, "c-1");
  h.session.fromClient(created);
  assert.deepEqual(h.toServer, [created], "the task record passes as it came");
  assert.equal(enforcer.calls.length, 0);
  return { h, enforcer };
}

Deno.test("RelaySession decides the tools of a task-augmented sampling answer from its tasks/result", () => {
  const { h, enforcer } = taskSampling();
  h.session.fromServer(ask(101, "tasks/result", "c-1"));
  h.session.fromClient(toolUseAnswer(101));
  assert.equal(enforcer.calls[0]?.tool, "delete_everything");
  const sent = h.json(h.toServer);
  assert.equal(sent.length, 2, "the message itself never reaches the server");
  assert.equal(sent[1].id, 101);
  assert.match(sent[1].error.message, /the model chose tool "delete_everything"/);
  // The offered tool's annotations count, though the client never listed the tools.
  assert.deepEqual(enforcer.calls[0]?.annotations, { destructiveHint: true });
  assert.equal(enforcer.calls[0]?.listed, false);
});

Deno.test("RelaySession decides the tools a tasks/get answer carries for a sampling task", () => {
  const { h, enforcer } = taskSampling();
  h.session.fromServer(ask(102, "tasks/get", "c-1"));
  h.session.fromClient(toolUseAnswer(102, { taskId: "c-1", status: "completed" }));
  assert.equal(enforcer.calls.length, 1);
  assert.match(h.json(h.toServer)[1].error.message, /delete_everything/);
  // A plain status passes as it came.
  h.session.fromServer(ask(103, "tasks/get", "c-1"));
  const status = line({ jsonrpc: "2.0", id: 103, result: { taskId: "c-1", status: "working" } });
  h.session.fromClient(status);
  assert.equal(h.toServer.at(-1), status);
});

Deno.test("RelaySession reads a tasks/result answer for a task it cannot place, and not one of an elicitation", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(ask(7, "tasks/result", "unknown"));
  h.session.fromClient(toolUseAnswer(7));
  assert.match(h.json(h.toServer)[0].error.message, /delete_everything/);
  // A task the client created for an elicitation: its result is no sampling answer.
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 8,
    method: "elicitation/create",
    params: { message: "?", requestedSchema: {}, task: { ttl: 1000 } },
  }));
  h.session.fromClient(taskCreated(8, "e-1"));
  h.session.fromServer(ask(9, "tasks/result", "e-1"));
  const answer = line({
    jsonrpc: "2.0",
    id: 9,
    result: { action: "accept", content: { Name: "x" } },
  });
  h.session.fromClient(answer);
  assert.equal(h.toServer.at(-1), answer);
  assert.equal(enforcer.calls.length, 1);
});

Deno.test("RelaySession judges a chosen tool by the stricter of its listed and offered annotations", () => {
  const enforcer = enforcerOf({});
  const h = rawRelay({ enforcer });
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 1,
    result: {
      tools: [{
        name: "delete_everything",
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      }],
    },
  }));
  h.session.fromServer(sampling(100, false, [{
    name: "delete_everything",
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  }]));
  h.session.fromClient(toolUseAnswer(100));
  assert.deepEqual(enforcer.calls[0]?.annotations, {
    destructiveHint: true,
    readOnlyHint: false,
    idempotentHint: true,
  });
  assert.equal(enforcer.calls[0]?.listed, true);
});

Deno.test("RelaySession tells the audit which tools a sampling answer chose, and whether it went on", () => {
  const seen: string[] = [];
  const h = rawRelay({
    enforcer: enforcerOf({ delete_everything: "block" }),
    events: {
      toolUse: (call, id) => seen.push(`chosen ${call.tool} ${id}`),
      toolUseEnded: (call, verdict, id, forwarded) =>
        seen.push(`ended ${call.tool} ${verdict.decision} ${id} ${forwarded}`),
    },
  });
  h.session.fromServer(sampling(100, false));
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id: 100,
    result: {
      role: "assistant",
      model: "m",
      content: [
        { type: "tool_use", id: "a", name: "tidy", input: {} },
        { type: "tool_use", id: "b", name: "delete_everything", input: {} },
      ],
    },
  }));
  assert.deepEqual(seen, [
    "chosen tidy 100",
    "chosen delete_everything 100",
    "ended tidy allow 100 false",
    "ended delete_everything block 100 false",
  ]);
});
