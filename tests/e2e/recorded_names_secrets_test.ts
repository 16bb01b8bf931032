/**
 * What a record keeps in clear of a request besides a call's arguments (a
 * resource's URI, a prompt's name, a tool name no `tools/list` named) comes
 * from the client or the model and may carry a secret. Through the real
 * `thoth run` and server-everything, each piece of those the secret
 * detectors flag is recorded as its keyed digest under the device key and
 * its length (`#k:1a2b3c4d(40)`), never in clear, and no stderr line says it;
 * ordinary URIs, prompt names and listed tool names are recorded as sent.
 */
import assert from "node:assert/strict";
import {
  deviceHmacHex,
  everythingArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "./_harness.ts";
import { auditRecords } from "./_governed.ts";
import { canonicalJson } from "../../src/audit/canonical_json.ts";

const GITHUB = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const GITHUB_2 = "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2";
const AWS_ID = "AKIAQWERTYUIOPASDFGH";
const AWS_SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEYx";
const STRIPE = "sk_live_51Nq8ZbX2vKd7Rw4Tt9Lm3Pq6Ys1Hc0Ga";
const DISCORD_TOKEN = "Xq9Zr7Lm2Vb5Nc8Kd1Fg4Hj6Pt3Ws0YaUe_iOoRlBnMvCxQzSdEfGhJkTyUiOp";
const SECRETS = [GITHUB, GITHUB_2, AWS_ID, AWS_SECRET, STRIPE, DISCORD_TOKEN];

const request = (id: number, method: string, params: unknown) => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});

/** `#k:`, the first 8 hex digits of the device key's digest of `piece`, and its length. */
async function hidden(home: string, piece: string): Promise<string> {
  const hex = await deviceHmacHex(home, new TextEncoder().encode(canonicalJson(piece)));
  return `#k:${hex.slice(0, 8)}(${piece.length})`;
}

Deno.test("thoth run records no secret a resource URI, prompt name or unlisted tool name carries", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const peer = new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  const sent: [number, string, unknown][] = [
    [1, "resources/read", {
      uri: `https://discord.com/api/webhooks/1234567890123456789/${DISCORD_TOKEN}`,
    }],
    [2, "resources/read", { uri: `s3://bucket/${AWS_ID}/${AWS_SECRET}` }],
    [3, "resources/subscribe", { uri: `file:///tmp/keys/${GITHUB}` }],
    [4, "prompts/get", { name: STRIPE, arguments: {} }],
    [5, "resources/read", { uri: "file:///tmp/notes.txt" }],
    [6, "resources/read", { uri: "https://example.com/docs/page" }],
    [7, "prompts/get", { name: "simple-prompt" }],
    // A tool the server never listed, named by a token: blocked, as the token in arguments is.
    [8, "tools/call", { name: GITHUB_2, arguments: {} }],
    // One refused for its argument: its block is said on stderr, with the tool's name.
    [9, "tools/call", { name: AWS_ID, arguments: { message: GITHUB } }],
    [10, "tools/call", { name: "echo", arguments: { message: "hello" } }],
  ];
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send(request(100, "tools/list", {}));
    await peer.responseTo(100);
    for (const [id, method, params] of sent) {
      await peer.send(request(id, method, params));
      await peer.responseTo(id, 60_000);
    }
  } finally {
    await peer.finish();
  }
  const records = await auditRecords(home);
  const text = JSON.stringify(records);
  for (const secret of SECRETS) {
    assert.ok(!text.includes(secret), `${secret} is in the log`);
    for (const line of peer.stderr.split("\n")) {
      assert.ok(!line.includes(secret), `${secret} is on stderr: ${line}`);
    }
  }
  const requests = new Map(
    records.filter((r) => r["type"] === "request").map((r) => [r["requestId"], r]),
  );
  assert.equal(
    requests.get(1)?.["uri"],
    `https://discord.com/api/webhooks/1234567890123456789/${await hidden(home, DISCORD_TOKEN)}`,
  );
  assert.equal(
    requests.get(2)?.["uri"],
    `s3://bucket/${await hidden(home, AWS_ID)}/${await hidden(home, AWS_SECRET)}`,
  );
  assert.equal(requests.get(3)?.["uri"], `file:///tmp/keys/${await hidden(home, GITHUB)}`);
  assert.equal(requests.get(4)?.["prompt"], await hidden(home, STRIPE));
  assert.equal(requests.get(5)?.["uri"], "file:///tmp/notes.txt");
  assert.equal(requests.get(6)?.["uri"], "https://example.com/docs/page");
  assert.equal(requests.get(7)?.["prompt"], "simple-prompt");

  const decisions = records.filter((r) => r["type"] === "decision");
  const tools = decisions.map((r) => [r["tool"], r["verdict"]]);
  const tokenTool = await hidden(home, GITHUB_2);
  const keyTool = await hidden(home, AWS_ID);
  assert.deepEqual(tools, [[tokenTool, "block"], [keyTool, "block"], ["echo", "allow"]]);
  // The reasons name the unlisted tool by its digest too.
  assert.ok(
    (decisions[0]!["reasons"] as string[]).some((r) =>
      r === `tool "${tokenTool}" is in no tools/list thoth has seen; it has no annotations`
    ),
    JSON.stringify(decisions[0]),
  );
  assert.ok(
    (decisions[0]!["reasons"] as string[]).some((r) => r.includes("in the tool name")),
    JSON.stringify(decisions[0]),
  );
  // The block's stderr line names the tool so, and its decision id.
  const blocked = peer.stderr.split("\n").filter((line) =>
    line.includes(`blocked tool "${keyTool}" on server "everything"`)
  );
  assert.equal(blocked.length, 1, peer.stderr);
  assert.ok(blocked[0]!.includes(decisions[1]!["decisionId"] as string), blocked[0]);
});

Deno.test("thoth run's progressive warning does not show an unlisted tool name the detectors flag", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const peer = new RawPeer(
    throughThoth(everythingArgv(), [
      "--agent-id",
      "everything",
      "--enforcement-mode",
      "progressive",
    ]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    // Its argument violates the secret detectors' rule: the first violation is forwarded, with a warning.
    await peer.send(request(1, "tools/call", { name: GITHUB_2, arguments: { message: AWS_ID } }));
    await peer.responseTo(1, 60_000);
  } finally {
    await peer.finish();
  }
  const warned = peer.stderr.split("\n").filter((line) => line.includes("was forwarded"));
  assert.equal(warned.length, 1, peer.stderr);
  assert.match(
    warned[0]!,
    /tool \(name not shown: the secret, PII or PHI detectors flag it; 40 characters\) on server "everything"/,
  );
  assert.ok(!peer.stderr.includes(GITHUB_2), peer.stderr);
  const records = await auditRecords(home);
  assert.ok(!JSON.stringify(records).includes(GITHUB_2));
  const decisions = records.filter((r) => r["type"] === "decision");
  assert.deepEqual(decisions.map((r) => r["tool"]), [await hidden(home, GITHUB_2)]);
});

Deno.test("thoth run records a string request id the detectors flag by its digest in every record", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const peer = new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send(request(1, "tools/list", {}));
    await peer.responseTo(1);
    // A long call under a token as its id, cancelled once the server is working on it.
    await peer.send({
      jsonrpc: "2.0",
      id: GITHUB,
      method: "tools/call",
      params: {
        name: "trigger-long-running-operation",
        arguments: { duration: 5, steps: 5 },
        _meta: { progressToken: "p-1" },
      },
    });
    while ((await peer.next(60_000))["method"] !== "notifications/progress") { /* not yet */ }
    await peer.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: GITHUB, reason: "stop" },
    });
    await peer.send({
      jsonrpc: "2.0",
      id: GITHUB_2,
      method: "resources/read",
      params: { uri: "file:///tmp/notes.txt" },
    });
    await peer.responseTo(GITHUB_2, 60_000);
    await peer.send({
      jsonrpc: "2.0",
      id: "req-7",
      method: "prompts/get",
      params: { name: "simple-prompt" },
    });
    await peer.responseTo("req-7", 60_000);
  } finally {
    await peer.finish();
  }
  const records = await auditRecords(home);
  const text = JSON.stringify(records);
  assert.ok(!text.includes(GITHUB) && !text.includes(GITHUB_2), text);
  const cancelled = records.filter((r) => r["type"] === "cancellation");
  assert.deepEqual(cancelled.map((r) => r["requestId"]), [await hidden(home, GITHUB)]);
  const requests = records.filter((r) => r["type"] === "request").map((r) => r["requestId"]);
  // An id no detector flags is kept as it is.
  assert.deepEqual(requests, [await hidden(home, GITHUB_2), "req-7"]);
});
