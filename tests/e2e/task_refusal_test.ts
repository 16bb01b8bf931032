/**
 * A task-augmented `tools/call` (MCP 2025-11-25) that thoth refuses reaches
 * the official SDK client as an error carrying thoth's reason: the SDK
 * expects a `CreateTaskResult` there and rejects a tool result.
 * server-everything's "simulate-research-query" runs only as a task.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { connect, everythingArgv, tempDir, throughThoth } from "./_harness.ts";
import { auditRecords, profileWithRules } from "./_governed.ts";

/** What the SDK's task stream yields for the research task, through thoth in block mode. */
async function researchTask(home: string, decline: boolean): Promise<string[]> {
  const connected = await connect(
    throughThoth(everythingArgv(), [
      "--agent-id",
      "everything",
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "30",
    ]),
    decline ? { elicitation: {} } : {},
    { THOTH_HOME: home },
    (client: Client) => {
      if (decline) client.setRequestHandler(ElicitRequestSchema, () => ({ action: "decline" }));
    },
  );
  try {
    await connected.client.listTools();
    const seen: string[] = [];
    const stream = connected.client.experimental.tasks.callToolStream({
      name: "simulate-research-query",
      arguments: { topic: "governance" },
    });
    for await (const message of stream) {
      seen.push(
        message.type === "error" ? `error: ${message.error.message}` : message.type,
      );
    }
    return seen;
  } finally {
    await connected.close();
  }
}

Deno.test("thoth run refuses a blocked task-augmented call with an error the SDK client reads", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [{
    id: "no-research",
    match: { tool: "simulate-research-query" },
    decision: "block",
    reason: "research is off limits",
  }]);
  const seen = await researchTask(home, false);
  assert.equal(seen.length, 1, seen.join("\n"));
  assert.match(
    seen[0]!,
    /^error: MCP error -32000: thoth blocked this call to tool "simulate-research-query" on server "everything" by rule "no-research" \(research is off limits\)\. Decision /,
  );
});

Deno.test("thoth run refuses a declined task-augmented call with an error the SDK client reads", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [{
    id: "ask-research",
    match: { tool: "simulate-research-query" },
    decision: "step_up",
    reason: "research needs a person",
  }]);
  const seen = await researchTask(home, true);
  assert.equal(seen.length, 1, seen.join("\n"));
  assert.match(
    seen[0]!,
    /^error: MCP error -32000: thoth did not run tool "simulate-research-query" .*requires a person's approval, and a person denied it\. Decision /,
  );
});

Deno.test("thoth run records an allowed task-augmented call's outcome from its task's result", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, []);
  const connected = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    {},
    { THOTH_HOME: home },
  );
  const seen: string[] = [];
  try {
    await connected.client.listTools();
    const stream = connected.client.experimental.tasks.callToolStream({
      name: "simulate-research-query",
      arguments: { topic: "governance" },
    });
    for await (const message of stream) seen.push(message.type);
  } finally {
    await connected.close();
  }
  assert.equal(seen[0], "taskCreated");
  assert.equal(seen.at(-1), "result", seen.join(", "));
  const records = await auditRecords(home);
  const decision = records.find((r) => r["tool"] === "simulate-research-query");
  const outcomes = records.filter((r) =>
    r["type"] === "outcome" && r["decisionId"] === decision?.["decisionId"]
  );
  assert.equal(outcomes.length, 1);
  // The task's result (a tool result), not the task it created.
  const shape = outcomes[0]?.["result"] as { shape: { keys: Record<string, unknown> } };
  assert.ok("content" in shape.shape.keys, JSON.stringify(shape));
  assert.ok(!("task" in shape.shape.keys), JSON.stringify(shape));
  assert.equal(outcomes[0]?.["isError"], false);
});
