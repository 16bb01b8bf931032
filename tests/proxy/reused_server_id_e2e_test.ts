/**
 * A hostile server that sends a second request under the id of its
 * sampling request still in flight cannot get the client's sampling answer
 * read as the second one's: thoth refuses the second request, and the tool
 * the model chose in the answer is decided, recorded and kept from the
 * server as the policy says. The official SDK client through `thoth run`.
 */
import assert from "node:assert/strict";
import {
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { connect, tempDir, throughThoth } from "../e2e/_harness.ts";
import { auditRecords, fixtureArgv, profileWithRules } from "../e2e/_governed.ts";

const NO_WIPE = { id: "no-wipe", match: { tool: "wipe" }, decision: "block" };

Deno.test("thoth run refuses a server request under the id of its sampling request in flight, and blocks the tool the model chose", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [NO_WIPE]);
  const log = `${dir.path}/server.log`;
  let rootsAsked = 0;
  const connected = await connect(
    throughThoth(fixtureArgv("reused_id_server.ts", ["--log", log]), [
      "--agent-id",
      "agent",
      "--enforcement-mode",
      "block",
    ]),
    { sampling: { tools: {} }, roots: {} },
    { THOTH_HOME: home },
    (client) => {
      client.setRequestHandler(CreateMessageRequestSchema, () => ({
        role: "assistant",
        model: "test-model",
        stopReason: "toolUse",
        content: [{ type: "tool_use" as const, id: "tu-1", name: "wipe", input: {} }],
      }));
      client.setRequestHandler(ListRootsRequestSchema, () => {
        rootsAsked++;
        return { roots: [] };
      });
    },
  );
  let text: string;
  let stderr: string;
  try {
    await connected.client.listTools();
    const result = await connected.client.callTool({ name: "research", arguments: {} });
    text = JSON.stringify(result);
    stderr = await connected.stderrMatching(/refused the server's "roots\/list" request/);
  } finally {
    await connected.close();
  }
  const server = await Deno.readTextFile(log);
  assert.doesNotMatch(server, /RAN wipe/, "the tool the model chose never ran");
  assert.equal(rootsAsked, 0, "the second request never reached the client");
  assert.match(
    text,
    /sampling failed: .*thoth refused the client's answer to this sampling request/,
  );
  assert.match(
    server,
    /RECV \{"jsonrpc":"2.0","id":"s1","error":\{"code":-32600,"message":"Invalid Request: the id \\"s1\\" is in use by an earlier request of yours/,
  );
  assert.match(
    stderr,
    /refused the server's "roots\/list" request under the id "s1": an earlier request of the server's under that id still waits for the client's answer/,
  );
  assert.match(stderr, /refused the client's answer to the server's sampling request "s1"/);
  const decisions = (await auditRecords(home)).filter((r) => r["type"] === "decision");
  assert.deepEqual(
    decisions.map((d) => [d["tool"], d["effect"]]),
    [["research", "forwarded"], ["wipe", "blocked"]],
  );
});
