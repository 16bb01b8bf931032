/**
 * The stateless era's tasks extension (MCP 2026-07-28): the server decides
 * to answer a `tools/call` with a task handle (`resultType: "task"`), and
 * the call's outcome comes in a task state that says it ended: a
 * `tasks/get` result or `notifications/tasks`. The audit records that, not
 * the handle, as the call's outcome. The real CLI against a scripted
 * server (no server on npm speaks this era yet).
 */
import assert from "node:assert/strict";
import { type RawPeer, tempDir } from "./_harness.ts";
import { scriptedSession } from "./_scripted_session.ts";

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {
    extensions: { "io.modelcontextprotocol/tasks": {} },
  },
  "io.modelcontextprotocol/clientInfo": { name: "raw-e2e", version: "1.0.0" },
};

const TASK = { taskId: "T1", createdAt: "x", lastUpdatedAt: "x", ttlMs: 60000 };

const request = (id: number, method: string, params: Record<string, unknown>) => ({
  jsonrpc: "2.0",
  id,
  method,
  params: { ...params, _meta: META },
});

/**
 * Calls `slow`, which the server answers with task T1, then polls it with
 * `tasks/get` `polls` times; the records of the profile's audit log.
 */
async function taskCall(
  dir: string,
  gets: unknown[],
  polls: number,
): Promise<Record<string, unknown>[]> {
  const script = [
    {
      method: "tools/list",
      result: {
        resultType: "complete",
        tools: [{ name: "slow", inputSchema: { type: "object" } }],
      },
    },
    { method: "tools/call", result: { resultType: "task", ...TASK, status: "working" } },
    ...gets,
  ];
  const steps = async (peer: RawPeer) => {
    await peer.send(request(1, "tools/call", { name: "slow", arguments: {} }));
    const handle = await peer.responseTo(1);
    assert.equal((handle["result"] as Record<string, unknown>)?.["taskId"], "T1");
    for (let poll = 0; poll < polls; poll++) {
      await peer.send(request(2 + poll, "tasks/get", { taskId: "T1" }));
      await peer.responseTo(2 + poll);
    }
  };
  return (await scriptedSession(dir, script, steps, [])).records;
}

/** The one outcome record of the `slow` call's decision. */
function outcomeOf(records: Record<string, unknown>[]): Record<string, unknown> {
  const decision = records.find((r) => r["type"] === "decision" && r["tool"] === "slow");
  assert.equal(decision?.["effect"], "forwarded", JSON.stringify(decision));
  const outcomes = records.filter((r) =>
    r["type"] === "outcome" && r["decisionId"] === decision?.["decisionId"]
  );
  assert.equal(outcomes.length, 1, JSON.stringify(records));
  return outcomes[0]!;
}

Deno.test("thoth run records a stateless-era task's completed result as its call's outcome, not the task handle", async () => {
  await using dir = await tempDir();
  const records = await taskCall(dir.path, [
    { method: "tasks/get", nth: 1, result: { resultType: "complete", ...TASK, status: "working" } },
    {
      method: "tasks/get",
      result: {
        resultType: "complete",
        ...TASK,
        status: "completed",
        result: { content: [{ type: "text", text: "it broke" }], isError: true },
      },
    },
  ], 2);
  const outcome = outcomeOf(records);
  assert.equal(outcome["isError"], true, JSON.stringify(outcome));
  const shape = JSON.stringify(outcome["result"]);
  assert.match(shape, /content/);
  assert.doesNotMatch(shape, /taskId|ttlMs/);
});

Deno.test("thoth run records a stateless-era task that failed as its call's outcome, with the task's error", async () => {
  await using dir = await tempDir();
  const records = await taskCall(dir.path, [{
    method: "tasks/get",
    result: {
      resultType: "complete",
      ...TASK,
      status: "failed",
      error: { code: -32603, message: "worker crashed" },
    },
  }], 1);
  const outcome = outcomeOf(records);
  assert.equal(outcome["isError"], true);
  const shape = JSON.stringify(outcome["result"]);
  assert.match(shape, /code/);
  assert.doesNotMatch(shape, /taskId/);
});

Deno.test("thoth run records a stateless-era task's end told in notifications/tasks as its call's outcome", async () => {
  await using dir = await tempDir();
  const records = await taskCall(dir.path, [{
    method: "tasks/get",
    result: { resultType: "complete", ...TASK, status: "working" },
    notify: [{
      jsonrpc: "2.0",
      method: "notifications/tasks",
      params: { ...TASK, status: "cancelled" },
    }],
  }], 1);
  const outcome = outcomeOf(records);
  assert.equal(outcome["isError"], true);
});
