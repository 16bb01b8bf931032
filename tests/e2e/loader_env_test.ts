/**
 * A server whose environment sets a variable of the dynamic loader
 * (LD_PRELOAD here) cannot be started by the sandboxed core, which may run
 * only the server's own command: thoth says so, names the variable and how
 * to unset it, and answers the client as for any server it cannot start.
 * It does not drop the variable behind the user's back.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, RawPeer, testEnv, throughThoth } from "./_harness.ts";

Deno.test("thoth run names LD_PRELOAD as why the server cannot start, and how to unset it", async () => {
  const peer = new RawPeer(
    throughThoth(faultArgv(), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    // A library every program loads anyway: harmless to thoth itself.
    testEnv({ LD_PRELOAD: "libc.so.6" }),
  );
  try {
    await peer.send(initializeRequest(1));
    const answer = await peer.responseTo(1);
    const wire = (answer["error"] as { message: string }).message;
    assert.match(
      wire,
      /^thoth could not start the MCP server "deno": its environment sets a variable of the dynamic loader \(LD_\* or DYLD_\*, such as LD_PRELOAD\)/,
    );
    assert.doesNotMatch(wire, /\//, "no path reaches the client");
    const status = await peer.finish();
    assert.equal(status.code, 126);
    assert.match(
      peer.stderr,
      /thoth: error: cannot start the MCP server "[^"]*deno": its environment sets LD_PRELOAD, which tells the system's loader to load other libraries into it; thoth's sandbox may run only this server's command, and cannot start a program with a preloaded library under that scoped grant\n/,
    );
    assert.match(
      peer.stderr,
      /thoth: hint: unset LD_PRELOAD for this server: remove it from the "env" of this server in the MCP client's config, or from the environment thoth is started in \(unset LD_PRELOAD\)\n/,
    );
    assert.doesNotMatch(peer.stderr, /-P=thoth|permissions do not allow/);
  } finally {
    await peer.finish();
  }
});
