/**
 * `thoth run` whose MCP server crashes while a call waits for a person (in
 * the approval queue): the call never reached the server, so the client is
 * told that it did not run and that the server exited before it was sent,
 * never that the server exited "before answering" it; the audit log's
 * approval record gives the same cause. The call the server was running
 * when it crashed is still told the server exited before answering it.
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

function errorMessage(answer: Record<string, unknown>): string {
  return String((answer["error"] as { message?: unknown } | undefined)?.message);
}

Deno.test("thoth run tells a call waiting for a person that the server exited before it was sent", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const home = await profileWithRules(dir.path, [
    { id: "ask-echo", match: { tool: "echo" }, decision: "step_up", reason: "ask a person" },
  ]);
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log, "--exit-code", "9"]), [
      "--agent-id",
      "crashing",
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "60",
    ]),
    testEnv({ THOTH_HOME: home, DISPLAY: "", WAYLAND_DISPLAY: "" }),
  );
  let held: Record<string, unknown>;
  let crashed: Record<string, unknown>;
  let status: Deno.CommandStatus;
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { n: 1 } },
    });
    // The call waits in the approval queue (no form in this client, no display).
    const deadline = Date.now() + 20_000;
    while (!/approvals approve/.test(peer.stderr) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(peer.stderr, /approvals approve/, "the call waits for a person");
    // Allowed by default: it reaches the server, which exits with code 9 while running it.
    await peer.send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "crash", arguments: {} },
    });
    const answers = new Map<unknown, Record<string, unknown>>();
    while (answers.size < 2) {
      const message = await peer.next();
      if (message["id"] === 2 || message["id"] === 3) answers.set(message["id"], message);
    }
    held = answers.get(2)!;
    crashed = answers.get(3)!;
  } finally {
    status = await peer.finish();
  }
  assert.equal(status.code, 9, peer.stderr);
  const heldMessage = errorMessage(held);
  assert.match(heldMessage, /^thoth did not run this call: /, heldMessage);
  assert.match(heldMessage, /the MCP server exited \(code 9\) before the call was sent to it/);
  assert.doesNotMatch(heldMessage, /before answering/, heldMessage);
  assert.match(errorMessage(crashed), /exited \(code 9\) before answering this request/);
  const received = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(
    received.filter((m) => m.method === "tools/call").map((m) => m.id),
    [3],
    "the server never got the call that waited",
  );
  const approval = (await auditRecords(home)).find((r) => r["type"] === "approval");
  assert.ok(approval, "an approval record");
  assert.equal(approval["outcome"], "cancelled");
  const reason = String(approval["reason"]);
  assert.match(reason, /exited \(code 9\) before the call was sent to it/, reason);
  assert.doesNotMatch(reason, /before answering/, reason);
});
