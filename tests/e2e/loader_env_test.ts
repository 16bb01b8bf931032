/**
 * A server whose environment sets a variable of the dynamic loader (LD_*,
 * DYLD_*, in any case: LD_LIBRARY_PATH is common under CUDA, Nix, conda and
 * in terminal clients) starts under `thoth run` as without thoth: Deno spawns
 * with such a variable set only under a permission to run any program, which
 * the sandboxed core gets for its one spawn, tried before it reads any client
 * input, and gives up right after (see sandbox_run_grant_test.ts).
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

Deno.test("thoth run starts a server whose environment sets LD_* variables, and governs it", async () => {
  await using home = await tempDir("thoth-home-");
  const peer = new RawPeer(
    throughThoth(faultArgv(), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    // A library every program loads anyway, and a path with nothing in it: harmless.
    testEnv({
      THOTH_HOME: home.path,
      LD_PRELOAD: "libc.so.6",
      LD_LIBRARY_PATH: "/nonexistent",
      ld_bind_now: "1",
    }),
  );
  try {
    await peer.send(initializeRequest(1));
    const answer = await peer.responseTo(1);
    assert.ok(answer["result"] !== undefined, JSON.stringify(answer) + peer.stderr);
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { n: 1 } },
    });
    const reply = await peer.responseTo(2);
    assert.notEqual((reply["result"] as { isError?: boolean }).isError, true);
    const status = await peer.finish();
    assert.equal(status.code, 0, peer.stderr);
    assert.doesNotMatch(peer.stderr, /loader|-P=thoth|permissions do not allow/);
  } finally {
    await peer.finish();
  }
});
