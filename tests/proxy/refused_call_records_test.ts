/**
 * A `tools/call` thoth refuses before any decision (params it cannot
 * inspect, a line with a repeated key, an id that is no JSON-RPC id, a
 * params key that differs from `name` only by case, a call sent without an
 * id) leaves a `request` record in every mode: refused, why, and the keyed
 * digest of the exact bytes of its line. A real `thoth run` session (observe
 * mode, where nothing else is refused) with the fault server.
 */
import assert from "node:assert/strict";
import {
  deviceHmacHex,
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";

/** Each refused line, the id thoth answers it under (none for a notification), and why. */
const REFUSED: [line: string, id: unknown, why: RegExp][] = [
  [
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}',
    1,
    /uninspectable tools\/call/,
  ],
  [
    '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","name":"delete_everything"}}',
    2,
    /a line with/,
  ],
  ['{"jsonrpc":"2.0","id":true,"method":"tools/call","params":{"name":"echo"}}', undefined, /id/],
  [
    '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","Name":"delete_everything"}}',
    4,
    /"Name"/,
  ],
  ['{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo"}}', undefined, /without an id/],
];

Deno.test("thoth run records each tools/call it refuses before a decision, with its line's digest", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const log = `${dir.path}/server.log`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--agent-id", "fault"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    for (const [line] of REFUSED) await peer.sendRaw(line + "\n");
    // A call thoth can read is decided (observe mode) and goes on, after the refused ones.
    await peer.sendRaw('{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo"}}\n');
    assert.match(JSON.stringify(await peer.responseTo(9)), /echo/);
  } finally {
    await peer.finish();
  }
  const received = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(received.filter((m) => m.method === "tools/call").map((m) => m.id), [9]);
  const records = (await auditRecords(home)).filter((r) => r["type"] === "request");
  assert.equal(records.length, REFUSED.length, JSON.stringify(records));
  const encoder = new TextEncoder();
  for (const [index, [line, id, why]] of REFUSED.entries()) {
    const record = records[index]!;
    assert.equal(record["method"], "tools/call");
    assert.equal(record["requestId"], id);
    assert.equal(record["effect"], "refused");
    assert.deepEqual(record["ruleIds"], ["thoth.invalid_request"]);
    assert.match(String((record["reasons"] as string[])[0]), why);
    const bytes = encoder.encode(line);
    assert.deepEqual(record["line"], {
      digest: await deviceHmacHex(home, bytes),
      bytes: bytes.length,
    });
  }
});
