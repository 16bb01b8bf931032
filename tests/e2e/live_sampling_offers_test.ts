/**
 * A live sampling request (MCP 2025-11-25): the server sends the client a
 * `sampling/createMessage` offering the model some tools, and the client's
 * answer under the same id may choose one, which the server then runs. A
 * tool the request did not offer is decided with every hint at its
 * strictest (the server could have offered it as destructive), and one it
 * offered with the stricter of its listed and offered hints. The real CLI
 * in block mode against the scripted server, which sends the sampling
 * request before its answer to the client's `tools/list`.
 */
import assert from "node:assert/strict";
import { initializeRequest, tempDir } from "./_harness.ts";
import { scriptedSession } from "./_scripted_session.ts";

const READ_ONLY = { readOnlyHint: true, destructiveHint: false };

/** The server's sampling request `id`, offering only `peek`. */
const sampling = (id: string) => ({
  jsonrpc: "2.0",
  id,
  method: "sampling/createMessage",
  params: {
    messages: [{ role: "user", content: { type: "text", text: "go" } }],
    maxTokens: 100,
    tools: [{ name: "peek", inputSchema: { type: "object" }, annotations: READ_ONLY }],
  },
});

/** The client's answer to `id` in which the model chose `tool`. */
const chose = (id: string, tool: string) => ({
  jsonrpc: "2.0",
  id,
  result: {
    role: "assistant",
    model: "m",
    stopReason: "toolUse",
    content: [{ type: "tool_use", id: "u1", name: tool, input: {} }],
  },
});

/** Both tools listed read-only. */
const LISTED = [
  { name: "peek", inputSchema: { type: "object" }, annotations: READ_ONLY },
  { name: "wipe", inputSchema: { type: "object" }, annotations: READ_ONLY },
];

const SCRIPT = [
  {
    method: "initialize",
    result: {
      protocolVersion: "2025-11-25",
      capabilities: { tools: {} },
      serverInfo: { name: "scripted", version: "1.0.0" },
    },
  },
  {
    method: "tools/list",
    nth: 1,
    // The sampling requests come first.
    notify: [sampling("s-1"), sampling("s-2")],
    result: { tools: LISTED },
  },
  { method: "tools/list", result: { tools: LISTED } },
];

Deno.test("thoth run decides a tool a live sampling request did not offer at its strictest, and one it offered as offered", async () => {
  await using dir = await tempDir();
  const { received, records } = await scriptedSession(dir.path, SCRIPT, async (peer) => {
    await peer.send(initializeRequest(1, { sampling: { tools: {} } }));
    await peer.responseTo(1);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    await peer.responseTo(2);
    // "wipe" is listed read-only, but the request never offered it: read as destructive.
    await peer.send(chose("s-1", "wipe"));
    await peer.send(chose("s-2", "peek"));
    // A last request, so that both answers reached the server (or were refused) before it.
    await peer.send({ jsonrpc: "2.0", id: 3, method: "tools/list" });
    await peer.responseTo(3);
  });
  const answers = received.split("\n").filter((line) => line.includes('"s-')).map((line) =>
    JSON.parse(line)
  );
  const first = answers.find((answer) => answer["id"] === "s-1");
  assert.equal(first?.["error"]?.["code"], -32000, JSON.stringify(answers));
  assert.match(
    String(first?.["error"]?.["message"]),
    /the model chose tool "wipe".*no-destructive/s,
  );
  assert.doesNotMatch(received, /"name":"wipe","input"/, "the answer choosing wipe never arrived");
  const second = answers.find((answer) => answer["id"] === "s-2");
  assert.equal(second?.["result"]?.["content"]?.[0]?.["name"], "peek", JSON.stringify(answers));
  const decided = (tool: string) =>
    records.find((r) => r["type"] === "decision" && r["tool"] === tool);
  assert.equal(decided("wipe")?.["effect"], "blocked", JSON.stringify(decided("wipe")));
  assert.deepEqual(decided("wipe")?.["ruleIds"], ["no-destructive"]);
  assert.notEqual(decided("peek")?.["effect"], "blocked", JSON.stringify(decided("peek")));
});
