/**
 * What the client wrote is what the server reads, through the real
 * `thoth run`: the elements of a batch thoth splits keep their text (ids
 * such as `3.0`, numbers such as `1e-400`), allowed calls arrive in the order
 * they were sent even when the later one is decided first, and a call whose
 * answer a server writes under another spelling of its id (a JavaScript
 * server writes `3` for `3.0`) is answered with an error at once instead of
 * never. The fault server logs what it receives, which no real server shows;
 * server-everything is a real server that respells ids.
 */
import assert from "node:assert/strict";
import {
  everythingArgv,
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "./_harness.ts";
import { profileWithRules } from "./_governed.ts";

const callText = (idText: string, name: string, argsText = "{}") =>
  `{"jsonrpc":"2.0","id":${idText},"method":"tools/call","params":{"name":"${name}","arguments":${argsText}}}`;

/** The lines the fault server logged, without its own `initialize`. */
async function received(log: string): Promise<string[]> {
  const text = await Deno.readTextFile(log);
  return text.split("\n").filter((l) => l !== "" && !l.includes('"initialize"'));
}

Deno.test("thoth forwards the rest of a batch it splits as the client wrote it", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const home = await profileWithRules(dir.path, [
    { id: "no-wipe", match: { tool: "delete_everything" }, decision: "block" },
  ]);
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  const kept = [
    callText("3.0", "echo", '{"tiny":1e-400,"exact":0.1000000000000000055511151231257827}'),
    callText("-0", "echo"),
  ];
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    await peer.responseTo(2);
    await peer.sendRaw(`[${kept[0]},${callText('"w"', "delete_everything")},${kept[1]}]\n`);
    // thoth's refusal answers the batch line in an array line (a batch response).
    const seen: Record<string, unknown>[] = [];
    while (!seen.some((m) => m["id"] === "w")) {
      const next: unknown = await peer.next(10_000);
      seen.push(...(Array.isArray(next) ? next : [next]) as Record<string, unknown>[]);
    }
    assert.match(JSON.stringify(seen.find((m) => m["id"] === "w")), /no-wipe/);
    // The fault server answers under the ids as it parsed them (3, 0): not the client's.
    const rest = seen.filter((m) => m["id"] !== "w");
    while (rest.length < 2) rest.push(await peer.next(10_000));
    for (const answer of rest) {
      assert.equal((answer["error"] as { code?: number })?.code, -32000, JSON.stringify(answer));
    }
  } finally {
    await peer.finish();
  }
  const lines = (await received(log)).filter((l) => l.startsWith("["));
  assert.equal(lines[0], `[${kept.join(",")}]`, "the batch the server read, byte for byte");
});

Deno.test("thoth writes two allowed calls in the order sent when the second is decided first", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log])),
    testEnv({ THOTH_HOME: `${dir.path}/home` }),
  );
  // Over 256 KiB of arguments: their digest for the audit is taken off the synchronous path.
  const big = JSON.stringify({ note: "x".repeat(400 * 1024) });
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", id: 9, method: "tools/list" });
    await peer.responseTo(9);
    await peer.sendRaw(`${callText("1", "echo", big)}\n${callText("2", "echo")}\n`);
    // Both answered, in whichever order the server wrote them.
    const answered = new Set<unknown>();
    while (answered.size < 2) answered.add((await peer.next())["id"]);
  } finally {
    await peer.finish();
  }
  const calls = (await received(log)).filter((l) => l.includes('"tools/call"'));
  assert.deepEqual(calls.map((l) => JSON.parse(l).id), [1, 2]);
});

Deno.test("server-everything: a call whose answer comes back under another spelling of its id is answered at once", async () => {
  await using dir = await tempDir();
  const peer = new RawPeer(
    throughThoth(everythingArgv()),
    testEnv({ THOTH_HOME: `${dir.path}/home` }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    await peer.responseTo(1);
    await peer.sendRaw(callText("7.0", "echo", '{"message":"hi"}') + "\n");
    const line = new TextDecoder().decode(await peer.nextLine(10_000));
    assert.match(line, /^\{"jsonrpc":"2\.0","id":7\.0,"error":\{"code":-32000,/);
    assert.match(peer.stderr, /not written as the client wrote it/);
  } finally {
    await peer.finish();
  }
});
