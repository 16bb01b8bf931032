/**
 * MCP allows a client no request but `ping` before the server answered its
 * `initialize`, and thoth, which lists the server's tools itself for a call
 * made before the client listed them, keeps to that: it asks the server
 * nothing of its own before the handshake. Through the real `thoth run` and
 * the fault server (which logs every line it reads, and answers anything),
 * a `tools/call` sent before `initialize`:
 * - in observe mode, which forwards every call, is decided with the tool's
 *   annotations unknown, recorded as observed with a reason naming that it
 *   came before initialize, and forwarded as the client sent it;
 * - in block mode (as in every mode but observe) is refused with an error
 *   that says so, recorded, and never forwarded.
 * After the handshake, thoth lists the tools for a call as before.
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

const EARLY = {
  jsonrpc: "2.0",
  id: "pre",
  method: "tools/call",
  params: { name: "split", arguments: {} },
};

/**
 * Sends the early call, then a handshake and a call after it, through thoth
 * in `mode`: the answers, thoth's stderr, the server's log and the records.
 */
async function earlyCall(mode: "observe" | "block") {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const home = `${dir.path}/home`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--enforcement-mode", mode]),
    testEnv({ THOTH_HOME: home }),
  );
  let early: Record<string, unknown>;
  let later: Record<string, unknown>;
  try {
    await peer.send(EARLY);
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
  assert.match(JSON.stringify(later), /after/);
  const received = (await Deno.readTextFile(log)).split("\n").filter((l) => l !== "");
  return { early, stderr: peer.stderr, received, records: await auditRecords(home) };
}

Deno.test("observe mode forwards a tools/call before initialize, decided and recorded as observed", async () => {
  const { early, stderr, received, records } = await earlyCall("observe");
  assert.match(JSON.stringify(early["result"]), /split ok/, JSON.stringify(early));
  assert.match(stderr, /tools\/call "pre" \(tool "split"\) came before the server answered/);
  // Forwarded as sent, first; thoth's own tools/list only after the handshake.
  assert.deepEqual(
    received.map((l) => JSON.parse(l)["method"]),
    ["tools/call", "initialize", "notifications/initialized", "tools/list", "tools/call"],
    received.join("\n"),
  );
  assert.deepEqual(JSON.parse(received[0]!), EARLY);
  const decisions = records.filter((r) => r["type"] === "decision");
  assert.equal(decisions[0]?.["tool"], "split", JSON.stringify(decisions));
  assert.equal(decisions[0]?.["verdict"], "block", JSON.stringify(decisions[0]));
  assert.equal(decisions[0]?.["effect"], "observed");
  assert.deepEqual(decisions[0]?.["ruleIds"], ["thoth.listing_failed"]);
  assert.match(
    String(decisions[0]?.["reasons"]),
    /the call came before the server answered an initialize/,
  );
  assert.deepEqual(
    records.filter((r) => r["type"] === "request" && r["effect"] === "refused"),
    [],
    "nothing refused",
  );
});

Deno.test("block mode refuses a tools/call before initialize, and the server hears nothing before its handshake", async () => {
  const { early, stderr, received, records } = await earlyCall("block");
  const error = early["error"] as { code: number; message: string };
  assert.equal(error.code, -32600);
  assert.match(error.message, /came before initialize/);
  assert.match(stderr, /refused tools\/call "pre" \(tool "split"\): it came before/);
  assert.deepEqual(
    received.map((l) => JSON.parse(l)["method"]),
    ["initialize", "notifications/initialized", "tools/list", "tools/call"],
    received.join("\n"),
  );
  assert.ok(!received.some((l) => l.includes('"pre"')), "the early call never reached it");
  const refused = records.filter((r) => r["type"] === "request");
  assert.deepEqual(refused.map((r) => [r["method"], r["requestId"], r["effect"]]), [
    ["tools/call", "pre", "refused"],
  ]);
  assert.match(String(refused[0]?.["reasons"]), /before initialize was answered/);
});
