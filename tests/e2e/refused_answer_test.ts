/**
 * A client's answer that thoth refuses for a defect of its line (here a NUL
 * character, which a server may read differently than thoth) does not leave
 * the server waiting forever: it gets an error for its request at once.
 * The official SDK client against server-everything's sampling tool.
 */
import assert from "node:assert/strict";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { connect, everythingArgv, throughThoth } from "./_harness.ts";

Deno.test("thoth run answers the server's sampling request with an error when it refuses the client's answer", async () => {
  const connected = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything"]),
    { sampling: {} },
    undefined,
    (client) => {
      client.setRequestHandler(CreateMessageRequestSchema, () => ({
        role: "assistant",
        model: "test-model",
        content: { type: "text", text: "col1\u0000col2" },
      }));
    },
  );
  try {
    // The timeout only guards a hang: a server left waiting would time its request out itself
    // and answer without thoth's error, which the match below would not find.
    const result = await connected.client.callTool(
      { name: "trigger-sampling-request", arguments: { prompt: "table" } },
      undefined,
      { timeout: 60_000 },
    );
    assert.equal(result.isError, true);
    assert.match(
      JSON.stringify(result),
      /thoth refused the client's answer: its line had a NUL character/,
    );
    // thoth's stderr is read as it arrives, possibly after the result: wait for it a little.
    const note = /the server was sent an error instead/;
    assert.match(await connected.stderrMatching(note), note);
  } finally {
    await connected.close();
  }
});
