/**
 * Review findings on the stateless era's sampling offers and task outcomes,
 * through the real CLI against the scripted server: a tool the answered
 * request did not offer is read at its strictest; each request's round trip
 * keeps its own offers, which serve every retry until the call ends; an
 * offer too long to keep is dropped (its answer read at its strictest); a
 * server's task handle ends a call's wait only in the stateless era for a
 * client that declared the tasks extension; and a stateless task's outcome
 * is only its terminal state, never a failed poll.
 */
import assert from "node:assert/strict";
import { initializeRequest, type RawPeer, tempDir } from "./_harness.ts";
import { NO_DESTRUCTIVE, scriptedSession } from "./_scripted_session.ts";

const CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  [CAPABILITIES]: {
    sampling: { tools: {} },
    extensions: { "io.modelcontextprotocol/tasks": {} },
  },
  "io.modelcontextprotocol/clientInfo": { name: "raw-e2e", version: "1.0.0" },
};

type Hints = Record<string, boolean>;

/** A sampling request offering `tools` (name → annotations). */
const sampling = (tools: Record<string, Hints>) => ({
  method: "sampling/createMessage",
  params: {
    messages: [{ role: "user", content: { type: "text", text: "go" } }],
    maxTokens: 100,
    tools: Object.entries(tools).map(([name, annotations]) => ({
      name,
      inputSchema: { type: "object" },
      annotations,
    })),
  },
});

/** A sampling answer in which the model chose `tool`. */
const chose = (tool: string) => ({
  result: {
    role: "assistant",
    model: "m",
    stopReason: "toolUse",
    content: [{ type: "tool_use", id: "u1", name: tool, input: {} }],
  },
});

const SAFE = { destructiveHint: false, readOnlyHint: true };
const LISTING = {
  method: "tools/list",
  result: {
    resultType: "complete",
    tools: [
      { name: "agent", inputSchema: { type: "object" } },
      { name: "agent2", inputSchema: { type: "object" } },
    ],
  },
};
const COMPLETE = {
  method: "tools/call",
  result: { resultType: "complete", content: [{ type: "text", text: "ran" }] },
};

const request = (id: number, method: string, params: Record<string, unknown>, meta = true) => ({
  jsonrpc: "2.0",
  id,
  method,
  params: meta ? { ...params, _meta: META } : params,
});

/** Runs `steps` against thoth in block mode over the scripted server. */
const session = (
  dir: string,
  script: unknown[],
  steps: (peer: RawPeer) => Promise<void>,
  rules: unknown[] = [NO_DESTRUCTIVE],
) => scriptedSession(dir, script, steps, rules);

const retries = (received: string) => (received.match(/inputResponses/g) ?? []).length;
const errorOf = (answer: Record<string, unknown>) =>
  answer["error"] as { code: number; message: string } | undefined;
const outcomes = (records: Record<string, unknown>[]) =>
  records.filter((r) => r["type"] === "outcome");

Deno.test("thoth run reads a tool the answered request did not offer at its strictest, though another key offered it", async () => {
  await using dir = await tempDir();
  let answer: Record<string, unknown> = {};
  const { received, records } = await session(dir.path, [
    LISTING,
    {
      method: "tools/call",
      nth: 1,
      result: {
        resultType: "input_required",
        inputRequests: {
          s1: sampling({ zap: { destructiveHint: false } }),
          s2: sampling({ calc: SAFE }),
        },
        requestState: "st",
      },
    },
    COMPLETE,
  ], async (peer) => {
    await peer.send(request(1, "tools/call", { name: "agent", arguments: {} }));
    await peer.responseTo(1);
    await peer.send(request(2, "tools/call", {
      name: "agent",
      arguments: {},
      inputResponses: { s2: chose("zap") },
      requestState: "st",
    }));
    answer = await peer.responseTo(2);
  });
  assert.equal(errorOf(answer)?.code, -32000, JSON.stringify(answer));
  assert.match(errorOf(answer)!.message, /zap/);
  assert.equal(retries(received), 0, "the retry never reached the server");
  const zap = records.find((r) => r["type"] === "decision" && r["tool"] === "zap");
  assert.deepEqual(zap?.["ruleIds"], ["no-destructive"]);
});

Deno.test("thoth run keeps each request's round trip apart: two calls whose servers both use key s1 both retry", async () => {
  await using dir = await tempDir();
  const answers: Record<string, unknown>[] = [];
  const { received } = await session(dir.path, [
    LISTING,
    {
      method: "tools/call",
      nth: 1,
      result: {
        resultType: "input_required",
        inputRequests: { s1: sampling({ calc: SAFE }) },
        requestState: "a",
      },
    },
    {
      method: "tools/call",
      nth: 2,
      result: {
        resultType: "input_required",
        inputRequests: { s1: sampling({ calc: SAFE }) },
        requestState: "b",
      },
    },
    COMPLETE,
  ], async (peer) => {
    await peer.send(request(1, "tools/call", { name: "agent", arguments: {} }));
    await peer.responseTo(1);
    await peer.send(request(2, "tools/call", { name: "agent2", arguments: {} }));
    await peer.responseTo(2);
    for (const [id, name, state] of [[3, "agent", "a"], [4, "agent2", "b"]] as const) {
      await peer.send(request(id, "tools/call", {
        name,
        arguments: {},
        inputResponses: { s1: chose("calc") },
        requestState: state,
      }));
      answers.push(await peer.responseTo(id));
    }
  });
  for (const answer of answers) assert.equal(errorOf(answer), undefined, JSON.stringify(answer));
  assert.equal(retries(received), 2);
});

Deno.test("thoth run lets a retry it refused come again, and forgets the offers once the call ends", async () => {
  await using dir = await tempDir();
  const answers: Record<string, unknown>[] = [];
  const { received } = await session(dir.path, [
    LISTING,
    {
      method: "tools/call",
      nth: 1,
      result: {
        resultType: "input_required",
        inputRequests: { s1: sampling({ calc: SAFE }) },
      },
    },
    COMPLETE,
  ], async (peer) => {
    await peer.send(request(1, "tools/call", { name: "agent", arguments: { x: 1 } }));
    await peer.responseTo(1);
    // No requestState: the retry is the call again, its answers added.
    for (const [id, tool] of [[2, "zap"], [3, "calc"], [4, "calc"]] as const) {
      await peer.send(request(id, "tools/call", {
        name: "agent",
        arguments: { x: 1 },
        inputResponses: { s1: chose(tool) },
      }));
      answers.push(await peer.responseTo(id));
    }
  });
  assert.equal(errorOf(answers[0]!)?.code, -32000, "zap was not offered");
  assert.equal(errorOf(answers[1]!), undefined, JSON.stringify(answers[1]));
  assert.equal(errorOf(answers[2]!)?.code, -32000, "the call ended: its offers are gone");
  assert.equal(retries(received), 1);
});

Deno.test("thoth run drops an offer of more tools than it keeps: the tool chosen is read at its strictest", async () => {
  await using dir = await tempDir();
  const tools: Record<string, Hints> = { calc: SAFE };
  for (let i = 0; i < 1024; i++) tools[`t${i}`] = SAFE;
  let answer: Record<string, unknown> = {};
  const { received } = await session(dir.path, [
    LISTING,
    {
      method: "tools/call",
      nth: 1,
      result: {
        resultType: "input_required",
        inputRequests: { s1: sampling(tools) },
        requestState: "st",
      },
    },
    COMPLETE,
  ], async (peer) => {
    await peer.send(request(1, "tools/call", { name: "agent", arguments: {} }));
    await peer.responseTo(1);
    await peer.send(request(2, "tools/call", {
      name: "agent",
      arguments: {},
      inputResponses: { s1: chose("calc") },
      requestState: "st",
    }));
    answer = await peer.responseTo(2);
  });
  assert.equal(errorOf(answer)?.code, -32000, JSON.stringify(answer));
  assert.equal(retries(received), 0);
});

const HANDLE = {
  resultType: "task",
  taskId: "T1",
  content: [{ type: "text", text: "deleted everything" }],
  isError: true,
};

Deno.test("thoth run records a 2025-11-25 plain call's answer as its outcome, even one shaped as a stateless task", async () => {
  await using dir = await tempDir();
  let reused: Record<string, unknown> = {};
  const { records } = await session(dir.path, [
    {
      method: "initialize",
      result: {
        protocolVersion: "2025-11-25",
        capabilities: { tools: {} },
        serverInfo: { name: "s", version: "1" },
      },
    },
    {
      method: "tools/list",
      result: { tools: [{ name: "agent", inputSchema: { type: "object" } }] },
    },
    { method: "tools/call", result: HANDLE },
    { method: "ping", result: {} },
  ], async (peer) => {
    const init = initializeRequest(1, { sampling: {} });
    (init.params as Record<string, unknown>).protocolVersion = "2025-11-25";
    await peer.send(init);
    await peer.responseTo(1);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send(request(2, "tools/list", {}, false));
    await peer.responseTo(2);
    await peer.send(request(3, "tools/call", { name: "agent", arguments: {} }, false));
    await peer.responseTo(3);
    await peer.send(request(3, "ping", {}, false));
    reused = await peer.responseTo(3);
  }, []);
  assert.equal(errorOf(reused), undefined, "the call's id is free again");
  const [outcome, ...more] = outcomes(records);
  assert.equal(more.length, 0);
  assert.equal(outcome?.["isError"], true, JSON.stringify(outcome));
});

Deno.test("thoth run records a stateless call's task handle as its outcome when its client did not declare tasks", async () => {
  await using dir = await tempDir();
  const { records } = await session(
    dir.path,
    [LISTING, { method: "tools/call", result: HANDLE }],
    async (peer) => {
      await peer.send({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: {
          name: "agent",
          arguments: {},
          _meta: { ...META, [CAPABILITIES]: { sampling: {} } },
        },
      });
      await peer.responseTo(1);
    },
    [],
  );
  assert.equal(outcomes(records).length, 1, JSON.stringify(outcomes(records)));
});

const TASK = { taskId: "T1", createdAt: "x", lastUpdatedAt: "x", ttlMs: 60000 };

Deno.test("thoth run ends a stateless task only in its terminal state: a failed poll records nothing", async () => {
  await using dir = await tempDir();
  const { records } = await session(dir.path, [
    LISTING,
    { method: "tools/call", result: { resultType: "task", ...TASK, status: "working" } },
    { method: "tasks/get", nth: 1, error: { code: -32603, message: "busy" } },
    {
      method: "tasks/get",
      result: {
        resultType: "complete",
        ...TASK,
        status: "completed",
        result: { content: [{ type: "text", text: "it broke" }], isError: true },
      },
    },
  ], async (peer) => {
    await peer.send(request(1, "tools/call", { name: "agent", arguments: {} }));
    await peer.responseTo(1);
    // No tasks/result in the tasks extension: the server answers -32601.
    await peer.send(request(2, "tasks/result", { taskId: "T1" }));
    await peer.responseTo(2);
    await peer.send(request(3, "tasks/get", { taskId: "T1" }));
    await peer.responseTo(3);
    await peer.send(request(4, "tasks/get", { taskId: "T1" }));
    await peer.responseTo(4);
  }, []);
  const [outcome, ...more] = outcomes(records);
  assert.equal(more.length, 0, JSON.stringify(outcomes(records)));
  assert.equal(outcome?.["isError"], true);
  // The completed task's result (its shape), not the failed poll's error.
  assert.match(JSON.stringify(outcome?.["result"]), /content/);
});
