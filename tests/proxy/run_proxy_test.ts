/**
 * runProxy() in process, against the real fault server as a child process,
 * with a small enforcer that blocks one named tool: proves the BLOCK path.
 */
import assert from "node:assert/strict";
import { runProxy } from "../../src/proxy/run_proxy.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import { faultArgv, initializeRequest, processState, tempDir } from "../e2e/_harness.ts";
import { proxiedSession } from "./_proxied_session.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function blockTool(name: string, seen: ToolCall[]): Enforcer {
  return {
    name: "block-one",
    decide(call, ids) {
      seen.push(call);
      return call.tool === name
        ? {
          decision: "block",
          decisionId: ids(),
          ruleIds: ["test-block"],
          reasons: ["blocked by the test"],
        }
        : { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] };
    },
  };
}

/** A session over the fault server, logging what it receives to `log`. */
function session(enforcer: Enforcer, log: string) {
  return proxiedSession(faultArgv(["--log", log]), { enforcer, graceMs: 1000 });
}

Deno.test("runProxy() never lets a blocked call reach the server, and answers it with isError", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const seen: ToolCall[] = [];
  const s = session(blockTool("delete_everything", seen), log);
  try {
    await s.send(initializeRequest(1));
    await s.next();
    await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    await s.next();
    await s.send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "delete_everything", arguments: { path: "/", confirm: "yes-really" } },
    });
    const blocked = await s.next();
    await s.send({
      jsonrpc: "2.0",
      id: 4,
      method: "tools/call",
      params: { name: "echo", arguments: { ok: 1 } },
    });
    const allowed = await s.next();
    const { result } = await s.end();
    assert.equal(result.exitCode, 0);

    assert.equal(blocked["id"], 3);
    const body = blocked["result"] as { isError: boolean; content: { text: string }[] };
    assert.equal(body.isError, true);
    assert.match(
      body.content[0]!.text,
      /rule "test-block" \(blocked by the test\)\. Decision d-[0-9a-f]{16}\./,
    );
    assert.ok(!body.content[0]!.text.includes("yes-really"), "argument values are not echoed");
    assert.match(JSON.stringify(allowed), /echo: \{\\"ok\\":1\}/);

    const received = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(received.map((m) => m.params?.name ?? m.method), [
      "initialize",
      "tools/list",
      "echo",
    ]);
    assert.deepEqual(seen.map((c) => [c.tool, c.annotations]), [
      ["delete_everything", { destructiveHint: true }],
      ["echo", { readOnlyHint: true }],
    ]);
  } finally {
    await s.end();
  }
});

Deno.test("runProxy() forwards a batch minus its blocked element", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const s = session(blockTool("delete_everything", []), log);
  try {
    await s.send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-03-26", capabilities: {} },
    });
    await s.next();
    await s.send([
      {
        jsonrpc: "2.0",
        id: 10,
        method: "tools/call",
        params: { name: "echo", arguments: { n: 1 } },
      },
      { jsonrpc: "2.0", id: 11, method: "tools/call", params: { name: "delete_everything" } },
      { jsonrpc: "2.0", id: 12, method: "ping" },
    ]);
    const replies = [await s.next(), await s.next(), await s.next()];
    await s.end();
    const byId = new Map(replies.map((r) => [r["id"], r]));
    assert.equal((byId.get(11)?.["result"] as { isError: boolean }).isError, true);
    assert.ok(byId.has(10) && byId.has(12));
    const received = await Deno.readTextFile(log);
    assert.ok(
      !received.includes("delete_everything"),
      "the blocked element never reached the server",
    );
    assert.ok(received.includes('"echo"'));
  } finally {
    await s.end();
  }
});

Deno.test("runProxy() names the server's pid once it runs, and says when it has exited", async () => {
  const events: string[] = [];
  let pid = 0;
  const s = proxiedSession(faultArgv(), {
    graceMs: 1000,
    onSpawned: (p) => {
      pid = p;
      events.push("spawned");
    },
    onExited: () => events.push("exited"),
  });
  await s.send(initializeRequest(1));
  assert.match(JSON.stringify(await s.next()), /"id":1/);
  assert.deepEqual(events, ["spawned"], "no exit while the server answers");
  assert.ok(pid > 0);
  if (Deno.build.os === "linux") {
    const state = await processState(pid);
    assert.ok(state !== undefined && state !== "Z", `the server (pid ${pid}) runs: ${state}`);
  }
  await s.end();
  assert.deepEqual(events, ["spawned", "exited"]);
});

Deno.test("runProxy() reads no client input before the server's spawn was tried", async () => {
  // The sandboxed core may hold a wider run grant until then (see sandboxPermissions).
  const events: string[] = [];
  const fromProxy = new TransformStream<Uint8Array, Uint8Array>();
  const line = enc.encode(JSON.stringify(initializeRequest(1)) + "\n");
  let sent = false;
  const clientIn = new ReadableStream<Uint8Array>({
    pull(controller) {
      events.push("read");
      if (sent) controller.close();
      else controller.enqueue(line);
      sent = true;
    },
  }, { highWaterMark: 0 });
  const [command, ...args] = faultArgv();
  const reader = fromProxy.readable.getReader();
  const done = runProxy({
    command: command!,
    args,
    server: "fault",
    clientIn,
    clientOut: fromProxy.writable,
    note: () => {},
    graceMs: 1000,
    spawnTried: () => events.push("spawnTried"),
    onSpawned: () => events.push("spawned"),
  });
  assert.match(dec.decode((await reader.read()).value), /"id":1/);
  await done;
  await reader.cancel();
  assert.deepEqual(events.slice(0, 3), ["spawnTried", "spawned", "read"]);

  // Nor when the spawn fails: the refusal reads the client only after it was tried.
  const refused: string[] = [];
  const out = new TransformStream<Uint8Array, Uint8Array>();
  const outReader = out.readable.getReader();
  let given = false;
  const failing = runProxy({
    command: "/nonexistent/thoth-test-server",
    args: [],
    server: "fault",
    clientIn: new ReadableStream<Uint8Array>({
      pull(controller) {
        refused.push("read");
        if (given) controller.close();
        else controller.enqueue(line);
        given = true;
      },
    }, { highWaterMark: 0 }),
    clientOut: out.writable,
    note: () => {},
    spawnTried: () => refused.push("spawnTried"),
  });
  assert.match(dec.decode((await outReader.read()).value), /could not start the MCP server/);
  await failing;
  await outReader.cancel();
  assert.equal(refused[0], "spawnTried");
});
