/**
 * Progress under one token keeps increasing, as MCP requires, when thoth
 * reported on it while the call waited for a person and the server then
 * reports its own: server-everything's long-running operation counts 1, 2, 3
 * of 3, and the client sees those after thoth's values, shifted above them
 * (total too). The official SDK client receives every notification.
 */
import assert from "node:assert/strict";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { connect, everythingArgv, tempDir, throughThoth } from "./_harness.ts";

Deno.test("server-everything: the server's progress goes on above thoth's approval progress", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  await Deno.writeTextFile(
    `${home}/policy.jsonc`,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{
        id: "ask-long",
        match: { tool: "trigger-long-running-operation" },
        decision: "step_up",
      }],
    }),
  );
  const connected = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    { elicitation: {} },
    { THOTH_HOME: home },
    (client) =>
      client.setRequestHandler(ElicitRequestSchema, async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { action: "accept", content: { decision: "approve" } };
      }),
  );
  const seen: { progress: number; total?: number; message?: string }[] = [];
  try {
    const result = await connected.client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (p: { progress: number; total?: number; message?: string }) => seen.push(p) },
    );
    assert.match(JSON.stringify(result), /Long running operation completed/);
  } finally {
    await connected.close();
  }
  const own = seen.filter((p) => p.message?.startsWith("thoth:"));
  const server = seen.filter((p) => !p.message?.startsWith("thoth:"));
  assert.ok(own.length >= 1, JSON.stringify(seen));
  // The SDK client runs notification handlers a microtask after the line, a response
  // at once: the last progress, read together with the result, can come too late for
  // it ("unknown token") however thoth relays it. The first two always arrive.
  assert.ok(server.length === 3 || server.length === 2, JSON.stringify(seen));
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i]!.progress > seen[i - 1]!.progress, `not increasing: ${JSON.stringify(seen)}`);
  }
  const shift = own.at(-1)!.progress + 1;
  assert.deepEqual(
    server.map((p) => [p.progress, p.total]),
    [[1 + shift, 3 + shift], [2 + shift, 3 + shift], [3 + shift, 3 + shift]]
      .slice(0, server.length),
  );
});
