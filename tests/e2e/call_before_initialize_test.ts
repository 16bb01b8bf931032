/**
 * MCP allows a client no request but `ping` before the server answered its
 * `initialize`, and thoth, which lists the server's tools itself for a call
 * made before the client listed them, keeps to that: through the real
 * `thoth run` and the fault server (which logs every line it reads, and
 * answers anything), a `tools/call` sent before `initialize` is refused
 * with an error that says so, recorded, and never forwarded, even in
 * observe mode; the server reads nothing before its handshake. After it,
 * thoth lists the tools for a call as before.
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
import { auditRecords } from "./_governed.ts";

Deno.test("a tools/call before initialize is refused, and the server hears nothing before its handshake", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const home = `${dir.path}/home`;
  // Observe mode: a call thoth decides is forwarded whatever the verdict; this one is not.
  const peer = new RawPeer(throughThoth(faultArgv(["--log", log])), testEnv({ THOTH_HOME: home }));
  let early: Record<string, unknown>;
  let later: Record<string, unknown>;
  try {
    await peer.send({
      jsonrpc: "2.0",
      id: "pre",
      method: "tools/call",
      params: { name: "split", arguments: {} },
    });
    early = await peer.responseTo("pre");
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { after: 1 } },
    });
    later = await peer.responseTo(2);
  } finally {
    await peer.finish();
  }
  const error = early["error"] as { code: number; message: string };
  assert.equal(error.code, -32600);
  assert.match(error.message, /came before initialize/);
  assert.match(peer.stderr, /refused tools\/call "pre" \(tool "split"\): it came before/);
  assert.match(JSON.stringify(later), /after/);
  const received = (await Deno.readTextFile(log)).split("\n").filter((l) => l !== "");
  assert.deepEqual(
    received.map((l) => JSON.parse(l)["method"]),
    ["initialize", "notifications/initialized", "tools/list", "tools/call"],
    received.join("\n"),
  );
  assert.ok(!received.some((l) => l.includes('"pre"')), "the early call never reached it");
  const refused = (await auditRecords(home)).filter((r) => r["type"] === "request");
  assert.deepEqual(refused.map((r) => [r["method"], r["requestId"], r["effect"]]), [
    ["tools/call", "pre", "refused"],
  ]);
  assert.match(String(refused[0]?.["reasons"]), /before initialize was answered/);
});
