/**
 * A hostile server that sends a second request under the id of its
 * sampling request still in flight cannot get the client's sampling answer
 * read as the second one's: thoth refuses the second request, and the tool
 * the model chose in the answer is decided, recorded and kept from the
 * server as the policy says; so can it not by keeping 1,024 requests
 * waiting to push the sampling request out of thoth's memory first. The
 * official SDK client through `thoth run`.
 */
import assert from "node:assert/strict";
import {
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { connect, tempDir, throughThoth } from "../e2e/_harness.ts";
import { auditRecords, fixtureArgv, profileWithRules } from "../e2e/_governed.ts";

const NO_WIPE = { id: "no-wipe", match: { tool: "wipe" }, decision: "block" };

/** thoth's stderr line for the client's sampling answer it refused. */
const SAMPLING_REFUSED = /refused the client's answer to the server's sampling request "s1"/;

/**
 * What the server's log, the call's result, thoth's stderr and the audit
 * log show when the client's answer to "s1" was read as the sampling
 * answer: the `wipe` its model chose was decided, blocked and never ran.
 */
async function assertWipeBlocked(home: string, log: string, text: string, stderr: string) {
  const server = await Deno.readTextFile(log);
  assert.doesNotMatch(server, /RAN wipe/, "the tool the model chose never ran");
  assert.match(
    text,
    /sampling failed: .*thoth refused the client's answer to this sampling request/,
  );
  assert.match(
    server,
    /RECV \{"jsonrpc":"2.0","id":"s1","error":\{"code":-32600,"message":"Invalid Request: the id \\"s1\\" is in use by an earlier request of yours/,
  );
  assert.match(stderr, SAMPLING_REFUSED);
  const decisions = (await auditRecords(home)).filter((r) => r["type"] === "decision");
  assert.deepEqual(
    decisions.map((d) => [d["tool"], d["effect"]]),
    [["research", "forwarded"], ["wipe", "blocked"]],
  );
  return server;
}

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
    await connected.stderrMatching(/refused the server's "roots\/list" request/);
    // stderr is its own pipe: the sampling refusal's line may come after the call's result.
    stderr = await connected.stderrMatching(SAMPLING_REFUSED);
  } finally {
    await connected.close();
  }
  await assertWipeBlocked(home, log, text, stderr);
  assert.equal(rootsAsked, 0, "the second request never reached the client");
  assert.match(
    stderr,
    /refused the server's "roots\/list" request under the id "s1": an earlier request of the server's under that id still waits for the client's answer/,
  );
});

Deno.test("thoth run refuses a server request while 1024 wait, so a sampling request cannot be pushed out and its id reused", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [NO_WIPE]);
  const log = `${dir.path}/server.log`;
  let rootsAsked = 0;
  // The client answers the sampling request once the server sent all it meant to, and
  // the roots/list requests only after the call ended (they wait until then).
  let sent!: () => void;
  const allSent = new Promise<void>((resolve) => sent = resolve);
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const connected = await connect(
    throughThoth(fixtureArgv("reused_id_server.ts", ["--log", log, "--fill", "1024"]), [
      "--agent-id",
      "agent",
      "--enforcement-mode",
      "block",
    ]),
    { sampling: { tools: {} }, roots: {} },
    { THOTH_HOME: home },
    (client) => {
      client.setNotificationHandler(
        LoggingMessageNotificationSchema,
        (notification: LoggingMessageNotification) => {
          if (notification.params.data === "sent") sent();
        },
      );
      client.setRequestHandler(CreateMessageRequestSchema, async () => {
        await allSent;
        return {
          role: "assistant",
          model: "test-model",
          stopReason: "toolUse",
          content: [{ type: "tool_use" as const, id: "tu-1", name: "wipe", input: {} }],
        };
      });
      client.setRequestHandler(ListRootsRequestSchema, async () => {
        rootsAsked++;
        await released;
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
    release();
    // The roots answers are written before the ping, which comes back after them.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await connected.client.ping();
    await connected.stderrMatching(/refused the server's "roots\/list" request "f1023"/);
    // stderr is its own pipe: the sampling refusal's line may come after the call's result.
    stderr = await connected.stderrMatching(SAMPLING_REFUSED);
  } finally {
    release();
    await connected.close();
  }
  const server = await assertWipeBlocked(home, log, text, stderr);
  assert.equal(rootsAsked, 1023, "the request past the bound and the reused id never reached it");
  assert.match(
    server,
    /RECV \{"jsonrpc":"2.0","id":"f1023","error":\{"code":-32000,"message":"too many of your requests wait for the client's answer \(1024\)/,
  );
  assert.match(
    stderr,
    /refused the server's "roots\/list" request "f1023": 1024 of its requests already wait for the client's answer/,
  );
});
