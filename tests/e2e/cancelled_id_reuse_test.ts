/**
 * A client that reuses the id of a call it cancelled, before the server has
 * answered that call, is refused: the server's late answer to the first call
 * would pass for the new one's, to the client and in the audit. Once the
 * server has answered, the id is free again, and the new call's own answer
 * is its outcome. A raw client (the SDK never reuses an id) against the
 * fault server, which answers a cancelled call anyway.
 */
import assert from "node:assert/strict";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "./_harness.ts";
import { auditRecords, profileWithRules } from "./_governed.ts";

const slow = (id: number, ms: number) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "slow", arguments: { ms } },
});

Deno.test("thoth run keeps a cancelled call's late answer from passing for a newer call under its id", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, []);
  const peer = new RawPeer(
    throughThoth(faultArgv(), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send(slow(7, 1500));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await peer.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 7, reason: "the user moved on" },
    });
    await peer.send(slow(7, 10));
    const refused = await peer.responseTo(7);
    assert.ok(refused["error"], `the reused id was forwarded: ${JSON.stringify(refused)}`);
    assert.match(
      JSON.stringify(refused["error"]),
      /a request with id 7, which a cancelled request still uses until the server answers it/,
    );
    // The server answers the cancelled call anyway; then 7 is free again.
    const late = await peer.responseTo(7);
    assert.match(JSON.stringify(late["result"]), /slow done/);
    await peer.send({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "echo", arguments: { n: 3 } },
    });
    const third = await peer.responseTo(7);
    assert.match(JSON.stringify(third["result"]), /echo/);
  } finally {
    await peer.finish();
  }
  const records = await auditRecords(home);
  const decisions = records.filter((r) => r["type"] === "decision");
  assert.deepEqual(decisions.map((d) => d["tool"]), ["slow", "echo"]);
  const cancellation = records.find((r) => r["type"] === "cancellation");
  assert.equal(cancellation?.["decisionId"], decisions[0]?.["decisionId"]);
  const outcomes = records.filter((r) => r["type"] === "outcome");
  // The cancelled call's late answer is evidence too: its outcome comes after its cancellation.
  assert.deepEqual(
    outcomes.map((o) => o["decisionId"]),
    [decisions[0]?.["decisionId"], decisions[1]?.["decisionId"]],
  );
});
