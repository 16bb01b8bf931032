/**
 * MCP 2025-11-25 sampling with tools: the model's `tool_use` in a client's
 * answer to the server's `sampling/createMessage` makes the server run that
 * tool. thoth decides each such tool like a `tools/call`, asks no person
 * about it, and keeps a refused one from the server, which is told why.
 * The official SDK client against an SDK server that runs its own tool loop.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { connect, tempDir, throughThoth } from "./_harness.ts";
import { auditRecords, fixtureArgv, profileWithRules } from "./_governed.ts";

const ASK_DELETES = {
  id: "ask-deletes",
  match: { tool: "delete_everything" },
  decision: "step_up",
  reason: "deleting needs a person",
};

/** The SDK client behind thoth answering sampling with `tools` chosen by "the model". */
async function research(home: string, log: string, tools: string[]) {
  let asked = 0;
  const connected = await connect(
    throughThoth(fixtureArgv("sampling_agent_server.ts", ["--log", log]), [
      "--agent-id",
      "agent",
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "30",
    ]),
    { sampling: { tools: {} }, elicitation: {} },
    { THOTH_HOME: home },
    (client) => {
      client.setRequestHandler(CreateMessageRequestSchema, () => ({
        role: "assistant",
        model: "test-model",
        stopReason: "toolUse",
        content: tools.map((name, index) => ({
          type: "tool_use" as const,
          id: `tu-${index}`,
          name,
          input: { path: "/data" },
        })),
      }));
      // A person who would say yes: never asked about a tool the model chose.
      client.setRequestHandler(ElicitRequestSchema, () => {
        asked++;
        return { action: "accept", content: { decision: "approve" } };
      });
    },
  );
  let result: Awaited<ReturnType<Client["callTool"]>>;
  try {
    await connected.client.listTools();
    result = await connected.client.callTool({
      name: "research",
      arguments: { q: "tidy up /data" },
    });
  } finally {
    await connected.close();
  }
  // Read after the close: thoth's notes may arrive after the answer they are about.
  return { result, stderr: connected.stderr(), asked };
}

async function ran(log: string): Promise<string> {
  return await Deno.readTextFile(log).catch(() => "");
}

Deno.test("thoth run keeps a tool the model chose in a sampling answer from running when the policy refuses it", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [ASK_DELETES]);
  const log = `${dir.path}/ran.log`;
  const { result, stderr, asked } = await research(home, log, ["tidy", "delete_everything"]);
  assert.equal(await ran(log), "", "no tool of the refused answer ran");
  assert.equal(asked, 0, "no person was asked");
  assert.equal(result.isError, true);
  const text = JSON.stringify(result);
  assert.match(
    text,
    /sampling failed: .*thoth refused the client's answer to this sampling request/,
  );
  assert.match(text, /the model chose tool \\"delete_everything\\" on server \\"agent\\"/);
  assert.match(text, /no person can be asked about a tool a model chose inside a sampling answer/);
  assert.match(stderr, /refused the client's answer to the server's sampling request/);
  // Each tool the model chose was decided and recorded.
  const records = await auditRecords(home);
  const decisions = records.filter((r) => r["type"] === "decision");
  assert.deepEqual(
    decisions.map((d) => [d["tool"], d["effect"]]),
    [["research", "forwarded"], ["tidy", "forwarded"], ["delete_everything", "approval_requested"]],
  );
  const approval = records.find((r) => r["type"] === "approval");
  assert.equal(approval?.["decisionId"], decisions[2]?.["decisionId"]);
  assert.notEqual(approval?.["outcome"], "approved");
});

Deno.test("thoth run passes a sampling answer whose chosen tools the policy allows", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [ASK_DELETES]);
  const log = `${dir.path}/ran.log`;
  const { result } = await research(home, log, ["tidy"]);
  assert.match(JSON.stringify(result), /research done; ran 1 tool/);
  assert.equal(await ran(log), 'RAN tidy {"path":"/data"} via sampling\n');
});
