/**
 * A method that differs from a governed one only by case, white space or
 * characters drawn as nothing (`Tools/Call`, `TOOLS/CALL`, `"tools/call "`,
 * `tools/call\u200b`) is refused, never relayed: a server that folds method
 * names would run it ungoverned. Each refusal says why, on the wire and on
 * stderr, and is recorded. So is a governed method (or such a variant)
 * under an id that is no JSON-RPC id, as `tools/call` already was. Other
 * methods, `logging/setLevel` among them, go on as they came. A real `thoth run` session with the fault server, which
 * logs every line it receives.
 */
import assert from "node:assert/strict";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";

const VARIANTS = [
  "Tools/Call",
  "TOOLS/CALL",
  "tools/call ",
  " tools/call",
  "tools/call\u200b",
  "tools/\u00adcall",
  "\ufefftools/call",
  "tool\u017f/call",
  "Resources/Read",
  "PROMPTS/GET",
  "completion/Complete",
];

Deno.test("thoth run refuses methods that differ from a governed one only by case or invisible characters", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const log = `${dir.path}/server.log`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  const params = { name: "delete_everything", arguments: {}, uri: "file:///x" };
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    for (const [index, method] of VARIANTS.entries()) {
      await peer.send({ jsonrpc: "2.0", id: index + 1, method, params });
      const answer = await peer.responseTo(index + 1);
      const error = answer["error"] as { code: number; message: string } | undefined;
      assert.equal(error?.code, -32600, `${JSON.stringify(method)}: ${JSON.stringify(answer)}`);
      assert.match(error.message, /only by case, white space or invisible characters/);
    }
    // As a notification too: dropped, not relayed.
    await peer.send({ jsonrpc: "2.0", method: "Tools/Call", params });
    // Under an id that is none (a lenient server reads `false` as 0): refused, as tools/call is.
    for (const [id, method] of [[true, "Tools/Call"], [false, "resources/read"]]) {
      await peer.send({ jsonrpc: "2.0", id, method, params });
      const error = (await peer.responseTo(null))["error"] as { code: number; message: string };
      assert.equal(error.code, -32600);
      assert.match(error.message, /whose id is not a string or a number/);
    }
    // Methods that fold to nothing governed go on as they came.
    await peer.send({ jsonrpc: "2.0", id: 100, method: "logging/setLevel", params: {} });
    await peer.responseTo(100);
    await peer.send({ jsonrpc: "2.0", id: 101, method: "ping" });
    assert.deepEqual((await peer.responseTo(101))["result"], {});
  } finally {
    await peer.finish();
  }
  const received = (await Deno.readTextFile(log)).trim().split("\n").map((line) =>
    JSON.parse(line)
  );
  assert.deepEqual(received.map((m) => m.method), ["initialize", "logging/setLevel", "ping"]);
  const said = peer.stderr.split("\n").filter((line) => line.includes("rule thoth.method_variant"));
  assert.equal(said.length, VARIANTS.length + 1, peer.stderr);
  assert.ok(said.some((line) => line.includes('"tools/call\\u200b"')), peer.stderr);
  const records = (await auditRecords(home)).filter((r) => r["type"] === "request");
  assert.deepEqual(
    records.map((r) => [r["method"], r["requestId"], r["effect"], r["ruleIds"]]),
    [
      ...VARIANTS.map((method, index) => [method, index + 1, "refused", ["thoth.method_variant"]]),
      ["Tools/Call", undefined, "refused", ["thoth.method_variant"]],
      ["Tools/Call", undefined, "refused", ["thoth.invalid_request"]],
      ["resources/read", undefined, "refused", ["thoth.invalid_request"]],
    ],
  );
});
