/**
 * A directory given as the server's command (`thoth run -- ./server/`): a
 * shell says "Is a directory" (126); thoth says the same, with what to name
 * instead, on stderr and in its answer to the client's `initialize`, never
 * that the command was not found.
 */
import assert from "node:assert/strict";
import { initializeRequest, RawPeer, tempDir, thothArgv } from "../e2e/_harness.ts";
import { explainSpawnError, spawnFailureText } from "../../src/proxy/upstream_spawn.ts";

Deno.test("thoth run says a directory given as the server command is a directory, exit 126", async () => {
  await using dir = await tempDir();
  const server = `${dir.path}/weather-server`;
  await Deno.mkdir(server);
  for (const command of [server, `${server}/`]) {
    const peer = new RawPeer(thothArgv(["run", "--", command, "--stdio"]));
    try {
      await peer.send(initializeRequest(1));
      const reply = await peer.next();
      assert.equal(reply["id"], 1);
      const error = reply["error"] as { message: string };
      assert.match(
        error.message,
        /could not start the MCP server: command "weather-server" is a directory, not a program/,
      );
      assert.ok(!JSON.stringify(reply).includes(dir.path), "the wire error leaks no path");
      assert.equal((await peer.finish()).code, 126);
      assert.match(peer.stderr, /thoth: error: .* is a directory, not a program/);
      assert.match(peer.stderr, /thoth: hint: name the server's executable/);
      assert.doesNotMatch(peer.stderr, /was not found/);
    } finally {
      await peer.finish();
    }
  }
});

Deno.test("explainSpawnError() tells a directory from a missing program, whatever the system said", async () => {
  await using dir = await tempDir();
  for (const cause of [new Deno.errors.NotFound("x"), new Deno.errors.PermissionDenied("x")]) {
    const error = explainSpawnError(dir.path, cause);
    assert.equal(error.code, "upstream.is_directory");
    assert.equal(error.exitCode, 126);
  }
  // A missing path, and a bare name (looked up on PATH, not here), are still not found.
  assert.equal(
    explainSpawnError(`${dir.path}/missing`, new Deno.errors.NotFound("x")).code,
    "upstream.not_found",
  );
  assert.equal(
    explainSpawnError("tests", new Deno.errors.NotFound("x")).code,
    "upstream.not_found",
  );
  assert.match(
    spawnFailureText("upstream.is_directory", "/srv/mcp/weather/"),
    /command "weather" is a directory, not a program/,
  );
});
