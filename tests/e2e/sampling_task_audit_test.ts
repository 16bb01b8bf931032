/**
 * Sampling with tools, as the audit and the gate see it: a task-augmented
 * sampling request's message (fetched with `tasks/result`) is decided like
 * a plain answer, and every tool a model chose is recorded as chosen in a
 * sampling answer, followed by whether that answer went to the server.
 * The official SDK client against SDK servers that run their own tool loop.
 */
import assert from "node:assert/strict";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { InMemoryTaskStore } from "@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { connect, tempDir, testEnv, thothArgv, throughThoth } from "./_harness.ts";
import { auditRecords, fixtureArgv, profileWithRules } from "./_governed.ts";

const NO_DELETES = {
  id: "no-deletes",
  match: { tool: "delete_everything" },
  decision: "block",
  reason: "never",
};

/** What the handler uses of the SDK's request task store. */
interface TaskStore {
  createTask(options: { ttl: number }): Promise<{ taskId: string }>;
  storeTaskResult(taskId: string, status: "completed", result: unknown): Promise<void>;
}

const toolUses = (tools: readonly string[]) => ({
  role: "assistant" as const,
  model: "m",
  stopReason: "toolUse",
  content: tools.map((name, index) => ({
    type: "tool_use" as const,
    id: `tu-${index}`,
    name,
    input: { path: "/data" },
  })),
});

Deno.test("thoth run keeps a tool chosen in a task-augmented sampling answer from running when the policy blocks it", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [NO_DELETES]);
  const log = `${dir.path}/ran.log`;
  const argv = thothArgv([
    "run",
    "--agent-id",
    "agent",
    "--enforcement-mode",
    "block",
    "--",
    ...fixtureArgv("task_sampling_server.ts", ["--log", log]),
  ]);
  const transport = new StdioClientTransport({
    command: argv[0]!,
    args: argv.slice(1),
    stderr: "pipe",
    env: testEnv({ THOTH_HOME: home }),
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Uint8Array | string) => {
    stderr += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
  });
  const client = new Client({ name: "thoth-e2e", version: "1.0.0" }, {
    capabilities: {
      sampling: { tools: {} },
      tasks: { requests: { sampling: { createMessage: {} } } },
    },
    taskStore: new InMemoryTaskStore(),
  });
  const timers: ReturnType<typeof setTimeout>[] = [];
  // The client answers with a task; the message comes with the task's result.
  const answer = async (
    request: { params: { task?: { ttl?: number } } },
    extra: { taskStore?: TaskStore },
  ) => {
    const store = extra.taskStore!;
    const task = await store.createTask({ ttl: request.params.task?.ttl ?? 60_000 });
    timers.push(setTimeout(() => {
      void store.storeTaskResult(task.taskId, "completed", toolUses(["delete_everything"]));
    }, 50));
    return { task };
  };
  client.setRequestHandler(CreateMessageRequestSchema, answer as never);
  try {
    await client.connect(transport);
    await client.listTools();
    // The server's tool fails on the error it was sent instead of the message.
    await assert.rejects(
      client.callTool({ name: "research", arguments: {} }),
      /the model chose tool "delete_everything" on server "agent", which thoth blocked/,
    );
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await client.close();
  }
  assert.equal(await Deno.readTextFile(log).catch(() => ""), "", "nothing ran");
  assert.match(stderr, /refused the client's answer to the server's sampling request/);
  const decisions = (await auditRecords(home)).filter((r) => r["type"] === "decision");
  assert.deepEqual(decisions.map((d) => [d["tool"], d["effect"]]), [
    ["research", "forwarded"],
    ["delete_everything", "blocked"],
  ]);
  assert.notEqual(decisions[1]?.["samplingRequestId"], undefined);
});

Deno.test("thoth run records tools chosen in a sampling answer as such, with what became of the answer", async () => {
  for (
    const [tools, forwarded] of [[["tidy", "delete_everything"], false], [["tidy"], true]] as const
  ) {
    await using dir = await tempDir();
    const home = await profileWithRules(dir.path, [NO_DELETES]);
    const connected = await connect(
      throughThoth(fixtureArgv("sampling_agent_server.ts", ["--log", `${dir.path}/ran.log`]), [
        "--agent-id",
        "agent",
        "--enforcement-mode",
        "block",
      ]),
      { sampling: { tools: {} } },
      { THOTH_HOME: home },
      (client) => client.setRequestHandler(CreateMessageRequestSchema, () => toolUses(tools)),
    );
    try {
      await connected.client.listTools();
      await connected.client.callTool({ name: "research", arguments: { q: "x" } });
    } finally {
      await connected.close();
    }
    const records = await auditRecords(home);
    const decisions = records.filter((r) => r["type"] === "decision");
    const research = decisions.find((d) => d["tool"] === "research");
    const tidy = decisions.find((d) => d["tool"] === "tidy");
    assert.equal(research?.["samplingRequestId"], undefined, "a tools/call is no sampling choice");
    assert.notEqual(tidy?.["samplingRequestId"], undefined);
    assert.equal(tidy?.["effect"], "forwarded");
    const ended = records.filter((r) =>
      r["decisionId"] === tidy?.["decisionId"] && r["type"] !== "decision"
    );
    assert.equal(ended.length, 1, JSON.stringify(ended));
    assert.equal(ended[0]?.["type"], "cancellation");
    assert.equal(ended[0]?.["requestId"], tidy?.["samplingRequestId"]);
    assert.match(
      String(ended[0]?.["reason"]),
      forwarded ? /went to the server, which runs the tool/ : /thoth refused; the tool did not run/,
    );
    if (!forwarded) {
      const blocked = decisions.find((d) => d["tool"] === "delete_everything");
      assert.equal(blocked?.["effect"], "blocked");
      assert.equal(records.filter((r) => r["decisionId"] === blocked?.["decisionId"]).length, 1);
    }
  }
});
