/**
 * A call held while thoth lists a slow server's tools is still being decided
 * when the client closes its input: thoth waits for it, then forwards it,
 * instead of closing the server's input under it.
 */
import assert from "node:assert/strict";
import {
  DENO,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
  throughThoth,
} from "./_harness.ts";

Deno.test("a call waiting for thoth's own listing at the client's EOF still runs", async () => {
  await using dir = await tempDir();
  const server = [DENO, "run", "--quiet", `${ROOT}/tests/fixtures/proxy/slow_list_server.ts`];
  const peer = new RawPeer(
    throughThoth(server, ["--agent-id", "slow", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: `${dir.path}/home` }),
  );
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: {} },
    });
    await peer.closeInput();
    const answer = await peer.responseTo(2);
    assert.match(JSON.stringify(answer), /"ran"/, JSON.stringify(answer));
  } finally {
    assert.equal((await peer.finish()).code, 0);
  }
});
