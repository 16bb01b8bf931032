/**
 * The server may answer a tool call the client cancelled (MCP lets it): the
 * tool ran, and that answer is still the outcome of the decision that let
 * the call through. It is recorded as such, after the call's cancellation
 * record, so no forwarded decision is left without what came of it. Raw
 * relay lines, then thoth run against the fault server and its real audit log.
 */
import assert from "node:assert/strict";
import { call, line, rawRelay, result } from "./_raw_relay.ts";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords, profileWithRules } from "../e2e/_governed.ts";

const cancel = (requestId: unknown) =>
  line({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId } });

Deno.test("RelaySession reports a cancelled call's late answer as its decision's outcome", () => {
  const h = rawRelay();
  h.session.fromClient(call(7, "slow"));
  h.session.fromClient(call("8", "slow"));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 9, method: "tools/list" }));
  for (const id of [7, "8", 9]) h.session.fromClient(cancel(id));
  h.clock.now += 25;
  const late = result(7, "slow done");
  h.session.fromServer(late);
  h.session.fromServer(line({ jsonrpc: "2.0", id: "8", error: { code: -32000, message: "x" } }));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 9, result: { tools: [] } }));
  assert.equal(h.toClient[0], late, "the late answer goes on as it came");
  assert.equal(h.toClient.length, 3);
  assert.deepEqual(h.events, [
    "decision 7 slow d-1",
    'decision "8" slow d-2',
    "cancelled 7 slow",
    'cancelled "8" slow',
    "cancelled 9 undefined",
    'late outcome 7 d-1 slow false {"content":[{"type":"text","text":"slow done"}]}',
    'late outcome "8" d-2 slow true {"code":-32000,"message":"x"}',
  ]);
  // Answered once: a second answer under 7 answers nothing.
  h.session.fromServer(result(7, "again"));
  assert.equal(h.toClient.length, 3);
  assert.equal(h.events.length, 7);
});

Deno.test("thoth run records the outcome of a call the server answered after the client cancelled it", async () => {
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
    await peer.send({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "slow", arguments: { ms: 600 } },
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await peer.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 7, reason: "the user moved on" },
    });
    const late = await peer.responseTo(7);
    assert.match(JSON.stringify(late["result"]), /slow done/);
  } finally {
    await peer.finish();
  }
  const records = await auditRecords(home);
  const decision = records.find((r) => r["type"] === "decision");
  const decisionId = decision?.["decisionId"];
  assert.equal(decision?.["tool"], "slow");
  const ofCall = records.filter((r) => r["decisionId"] === decisionId);
  assert.deepEqual(ofCall.map((r) => r["type"]), ["decision", "cancellation", "outcome"]);
  const outcome = ofCall[2]!;
  assert.equal(outcome["isError"], false);
  assert.equal(
    outcome["afterCancellation"],
    true,
    "the outcome says it came after the cancellation",
  );
  assert.equal(typeof (outcome["result"] as { digest?: unknown })?.["digest"], "string");
  assert.ok(Number(outcome["durationMs"]) >= 300, `durationMs ${outcome["durationMs"]}`);
});
