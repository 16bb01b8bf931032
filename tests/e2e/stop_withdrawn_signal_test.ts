/**
 * `thoth run` stopped by SIGTERM while a call waits for a person (in the
 * approval queue): the client is told the call was withdrawn because thoth
 * was stopped, naming the signal, not that the MCP server exited; and the
 * audit log's approval record gives the same cause, not the client's cancel.
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

Deno.test("thoth run tells a call waiting for a person that thoth was stopped by SIGTERM", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, [
    { id: "ask-echo", match: { tool: "echo" }, decision: "step_up", reason: "ask a person" },
  ]);
  const peer = new RawPeer(
    throughThoth(faultArgv(), [
      "--agent-id",
      "stopped",
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "60",
    ]),
    testEnv({ THOTH_HOME: home, DISPLAY: "", WAYLAND_DISPLAY: "" }),
  );
  let answer: Record<string, unknown>;
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
    peer.child.kill("SIGTERM");
    answer = await peer.responseTo(2);
  } finally {
    await peer.finish();
  }
  const message = String((answer["error"] as { message?: unknown } | undefined)?.message);
  assert.match(message, /withdrawn because thoth was stopped \(SIGTERM\)/, message);
  assert.doesNotMatch(message, /server exited/);
  assert.doesNotMatch(JSON.stringify(answer), /echo: /, "the call did not run");
  const approval = (await auditRecords(home)).find((r) => r["type"] === "approval");
  assert.ok(approval, "an approval record");
  assert.equal(approval["outcome"], "cancelled");
  const reason = String(approval["reason"]);
  assert.match(reason, /thoth was stopped \(SIGTERM\)/, reason);
  assert.doesNotMatch(reason, /client cancelled/, reason);
});
