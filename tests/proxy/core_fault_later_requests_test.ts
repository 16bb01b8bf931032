/**
 * After a fault escapes the sandboxed proxy core, the client is not left
 * waiting: every request it sends until thoth exits is answered with a
 * JSON-RPC error under its id that says thoth stopped governing and why (a
 * batch's in one array), its notifications are dropped, nothing reaches
 * the server, and thoth still exits (code 1) without the client closing
 * its input. A real sandboxed session in front of the fault server, which
 * ignores SIGTERM (so the session lasts until thoth kills it). Temp
 * THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, sandboxProbe, tempDir, testEnv } from "../e2e/_harness.ts";
import { profileWithRules } from "../e2e/_governed.ts";
import { FAULT_ID } from "../fixtures/sandbox/core_fault_worker.ts";

const ping = (id: unknown) => ({ jsonrpc: "2.0", id, method: "ping" });
const progress = { jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1 } };
const echo = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "echo", arguments: { text: "after the failure" } },
});

Deno.test("after a core fault, thoth answers every request the client sends until it exits, and exits without the client's EOF", async () => {
  await using dir = await tempDir("thoth-core-fault-later-");
  const home = await profileWithRules(dir.path, []);
  const log = `${dir.path}/server.log`;
  const peer = sandboxProbe(
    { worker: "core_fault_worker.ts", thothHome: home, how: "reject" },
    faultArgv(["--log", log, "--ignore-sigterm"]),
    testEnv({ THOTH_HOME: home }),
  );
  const seen: unknown[] = [];
  let status: Deno.CommandStatus | "still running";
  try {
    await peer.send(initializeRequest(1));
    assert.ok("result" in await peer.responseTo(1, 60_000), peer.stderr);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    // The core fails once it has written the answer to this ping.
    await peer.send(ping(FAULT_ID));
    assert.ok("result" in await peer.responseTo(FAULT_ID, 30_000), peer.stderr);
    await peer.send(echo(3));
    await peer.send(progress);
    await peer.sendRaw(JSON.stringify([ping(4), progress, ping(5)]) + "\n");
    await peer.send({ jsonrpc: "2.0", id: "s-1", result: {} });
    await peer.send(ping("six"));
    // thoth ends the session on its own: its output ends while the client's input stays open.
    for (;;) {
      const line = await peer.nextLine(30_000);
      if (line === undefined) break;
      seen.push(JSON.parse(new TextDecoder().decode(line)));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    status = await Promise.race([
      peer.child.status,
      new Promise<"still running">((resolve) => {
        timer = setTimeout(() => resolve("still running"), 30_000);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await peer.finish();
  }
  assert.ok(status !== "still running", `thoth did not exit on its own; stderr:\n${peer.stderr}`);
  assert.equal(status.code, 1, peer.stderr);
  const after =
    /^thoth stopped governing this session: its proxy core failed \(an internal error\)/;
  const single = (id: unknown) => {
    const answer = seen.find((m) => !Array.isArray(m) && (m as { id?: unknown }).id === id) as
      | { error?: { code: number; message: string } }
      | undefined;
    assert.ok(answer !== undefined, `an answer to ${JSON.stringify(id)}: ${JSON.stringify(seen)}`);
    assert.equal(answer.error?.code, -32000);
    assert.match(answer.error.message, after);
  };
  single(3);
  single("six");
  const batch = seen.find(Array.isArray) as { id: unknown; error: { message: string } }[];
  assert.deepEqual(batch?.map((m) => m.id), [4, 5], JSON.stringify(seen));
  for (const answer of batch) assert.match(answer.error.message, after);
  assert.equal(seen.length, 3, `only those three answers: ${JSON.stringify(seen)}`);
  const server = await Deno.readTextFile(log).catch(() => "");
  assert.doesNotMatch(server, /after the failure|"six"/, "nothing reached the server");
  assert.match(
    peer.stderr,
    /answered 4 request\(s\) the client sent after the core failed with an error/,
  );
});
