/**
 * The stateless era (MCP 2026-07-28): a server sends its sampling requests
 * inside `inputRequests` (of an `input_required` result, or of a task's
 * state from `tasks/get`), and the client answers them in `inputResponses`
 * (the retried call, or `tasks/update`). The tools a model chose there are
 * decided with the annotations of the `tools` those requests offered, as a
 * live sampling answer's are; an answer to a request thoth never saw is
 * read with every hint at its strictest. The real CLI against a scripted
 * server (no server on npm speaks this era yet).
 */
import assert from "node:assert/strict";
import { type RawPeer, tempDir } from "./_harness.ts";
import { auditRecords } from "./_governed.ts";
import { scriptedSession } from "./_scripted_session.ts";

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {
    sampling: { tools: {} },
    extensions: { "io.modelcontextprotocol/tasks": {} },
  },
  "io.modelcontextprotocol/clientInfo": { name: "raw-e2e", version: "1.0.0" },
};

/** A sampling request that offers the model `zap` with `annotations`. */
const sampling = (annotations: Record<string, boolean>) => ({
  method: "sampling/createMessage",
  params: {
    messages: [{ role: "user", content: { type: "text", text: "go" } }],
    maxTokens: 100,
    tools: [{ name: "zap", inputSchema: { type: "object" }, annotations }],
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

const LISTING = {
  method: "tools/list",
  result: { resultType: "complete", tools: [{ name: "agent", inputSchema: { type: "object" } }] },
};

const request = (id: number, method: string, params: Record<string, unknown>) => ({
  jsonrpc: "2.0",
  id,
  method,
  params: { ...params, _meta: META },
});

/** Runs `steps` against thoth in block mode over the scripted server; the lines the server got. */
const session = (dir: string, script: unknown[], steps: (peer: RawPeer) => Promise<void>) =>
  scriptedSession(dir, script, steps);

/** The tools/call round trip: the call, its `input_required` answer, and the retry's answer. */
async function roundTrip(peer: RawPeer, key: string, tool: string) {
  await peer.send(request(1, "tools/call", { name: "agent", arguments: {} }));
  const asked = await peer.responseTo(1);
  assert.equal((asked["result"] as Record<string, unknown>)?.["resultType"], "input_required");
  await peer.send(
    request(2, "tools/call", {
      name: "agent",
      arguments: {},
      inputResponses: { [key]: chose(tool) },
      requestState: "st",
    }),
  );
  return await peer.responseTo(2);
}

const retryScript = (annotations: Record<string, boolean>) => [
  LISTING,
  {
    method: "tools/call",
    nth: 1,
    result: {
      resultType: "input_required",
      inputRequests: { s1: sampling(annotations) },
      requestState: "st",
    },
  },
  {
    method: "tools/call",
    result: { resultType: "complete", content: [{ type: "text", text: "ran" }] },
  },
];

Deno.test("thoth run decides a tool chosen in a retried call's inputResponses with the annotations its sampling request offered", async () => {
  await using dir = await tempDir();
  const { home, received } = await session(
    dir.path,
    retryScript({ destructiveHint: true }),
    async (peer) => {
      const answer = await roundTrip(peer, "s1", "zap");
      const error = answer["error"] as Record<string, unknown> | undefined;
      assert.equal(error?.["code"], -32000, JSON.stringify(answer));
      assert.match(String(error?.["message"]), /the model chose tool "zap".*no-destructive/s);
    },
  );
  assert.doesNotMatch(received, /inputResponses/, "the retry never reached the server");
  // thoth listed the tools itself with both _meta keys a 2026-07-28 request must carry.
  const listing = received.split("\n").filter((line) => line.includes('"tools/list"'))
    .map((line) => JSON.parse(line)["params"]["_meta"]);
  assert.deepEqual(listing[0], {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
  });
  const zap = (await auditRecords(home)).find((r) =>
    r["type"] === "decision" && r["tool"] === "zap"
  );
  assert.equal(zap?.["effect"], "blocked", JSON.stringify(zap));
  assert.deepEqual(zap?.["ruleIds"], ["no-destructive"]);
});

Deno.test("thoth run lets a retried call through when the tool its sampling request offered is not destructive", async () => {
  await using dir = await tempDir();
  const { received } = await session(
    dir.path,
    retryScript({ destructiveHint: false }),
    async (peer) => {
      const answer = await roundTrip(peer, "s1", "zap");
      assert.equal(answer["error"], undefined, JSON.stringify(answer));
    },
  );
  assert.match(received, /inputResponses/, "the retry reached the server");
});

Deno.test("thoth run reads an answer under an inputRequests key it never saw with every hint at its strictest", async () => {
  await using dir = await tempDir();
  const { received } = await session(
    dir.path,
    retryScript({ destructiveHint: false }),
    async (peer) => {
      // "s9" names no request the server sent: its offer could have said anything.
      const answer = await roundTrip(peer, "s9", "zap");
      const error = answer["error"] as Record<string, unknown> | undefined;
      assert.equal(error?.["code"], -32000, JSON.stringify(answer));
      assert.match(String(error?.["message"]), /no-destructive/);
    },
  );
  assert.doesNotMatch(received, /inputResponses/);
});

Deno.test("thoth run decides a tool chosen in tasks/update with the annotations the task's sampling request offered", async () => {
  await using dir = await tempDir();
  const task = { taskId: "T9", createdAt: "x", lastUpdatedAt: "x", ttlMs: null };
  const { home, received } = await session(
    dir.path,
    [
      LISTING,
      { method: "tools/call", result: { resultType: "task", ...task, status: "working" } },
      {
        method: "tasks/get",
        result: {
          resultType: "complete",
          ...task,
          status: "input_required",
          inputRequests: { s2: sampling({ destructiveHint: true }) },
        },
      },
      { method: "tasks/update", result: { resultType: "complete" } },
    ],
    async (peer) => {
      await peer.send(request(1, "tools/call", { name: "agent", arguments: {} }));
      await peer.responseTo(1);
      await peer.send(request(2, "tasks/get", { taskId: "T9" }));
      await peer.responseTo(2);
      await peer.send(
        request(3, "tasks/update", { taskId: "T9", inputResponses: { s2: chose("zap") } }),
      );
      const answer = await peer.responseTo(3);
      const error = answer["error"] as Record<string, unknown> | undefined;
      assert.equal(error?.["code"], -32000, JSON.stringify(answer));
      assert.match(String(error?.["message"]), /the model chose tool "zap".*no-destructive/s);
    },
  );
  assert.doesNotMatch(received, /tasks\/update/, "the update never reached the server");
  const zap = (await auditRecords(home)).find((r) =>
    r["type"] === "decision" && r["tool"] === "zap"
  );
  assert.equal(zap?.["effect"], "blocked", JSON.stringify(zap));
});
