/**
 * runProxy() in process, against the real fault server as a child process,
 * when the server is alive but no longer holds up its end: it stopped
 * reading its input (busy, deadlocked) with a write to it waiting, or it
 * closed its output and runs on. The session must not wait on either: the
 * client's EOF is still seen, every request is answered once with an error
 * naming the cause, and the server is stopped (input closed, SIGTERM,
 * SIGKILL) with a note at each step. Also: a client flooding a server that
 * does not read costs bounded memory.
 */
import assert from "node:assert/strict";
import type { ProxyOptions } from "../../src/proxy/run_proxy.ts";
import { READ_AHEAD_BYTES } from "../../src/proxy/pump_lines.ts";
import { faultArgv, initializeRequest, processState, tempDir } from "../e2e/_harness.ts";
import { proxiedSession, within } from "./_proxied_session.ts";

/** A request (not a tool call: no decision to wait for) whose line is `bytes` long or more: it does not fit in a pipe's buffer. */
const bigRequest = (id: number, bytes: number) => ({
  jsonrpc: "2.0",
  id,
  method: "resources/read",
  params: { uri: "file:///big", pad: "z".repeat(bytes) },
});

/**
 * A server (sh) that answers `initialize`, writes its pid to `pidFile`,
 * closes its output and runs on: until its input ends, or with `ignoreEof`
 * until a signal stops it. (A Deno program cannot close its own stdout.)
 */
function closedOutputServer(pidFile: string, ignoreEof = false): string[] {
  const script = `IFS= read -r request
printf '%s\\n' '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18",` +
    `"capabilities":{"tools":{}},"serverInfo":{"name":"closed-output","version":"1"}}}'
printf '%s' "$$" > "$1"
exec 1>&-
${ignoreEof ? "exec sleep 120" : "exec cat > /dev/null"}
`;
  return ["sh", "-c", script, "closed-output", pidFile];
}

/** A proxy over the fault server (or `argv`); the client's ends are the test's, read line by line. */
function proxied(serverFlags: string[], options: Partial<ProxyOptions> = {}, argv?: string[]) {
  return proxiedSession(argv ?? faultArgv(serverFlags), options);
}

const errorOf = (message: Record<string, unknown>) =>
  message["error"] as { code: number; message: string };

Deno.test("runProxy() sees the client's EOF while a write to a server that stopped reading waits", async () => {
  await using dir = await tempDir();
  const pidFile = `${dir.path}/server.pid`;
  const s = proxied(["--stop-reading", "--pid-file", pidFile]);
  await s.send(initializeRequest(1));
  assert.ok((await s.next())["result"], "initialize answered");
  // 1 MiB: far more than the pipe holds, so the write to the server cannot finish.
  // Not awaited: each write resolves only once the proxy has read it.
  void s.send(bigRequest(2, 1024 * 1024));
  void s.send({ jsonrpc: "2.0", id: 3, method: "ping" });
  void s.close();
  const result = await within(s.done, 10_000, "the session after the client's EOF");
  assert.equal(result.reason, "client_closed");
  // 3 was in a write never started: surely undelivered, answered at once.
  const undelivered = await s.next(1000);
  assert.equal(undelivered["id"], 3, JSON.stringify(undelivered));
  assert.equal(errorOf(undelivered).code, -32000);
  assert.match(errorOf(undelivered).message, /the MCP server no longer reads its input/);
  // 2 was the write in progress, partly in the pipe (the server could still have read it): it
  // waits for an answer, and the server's exit gives it one.
  const inProgress = await s.next(1000);
  assert.equal(inProgress["id"], 2, JSON.stringify(inProgress));
  assert.equal(errorOf(inProgress).code, -32000);
  assert.match(
    errorOf(inProgress).message,
    /exited \(signal SIGTERM\) before answering this request: it no longer read its input/,
  );
  await assert.rejects(s.next(500), /output ended/, "each request answered once");
  assert.ok(
    s.notes.some((n) =>
      /has not read its input \(\d+ bytes still waiting\) 300 ms after the client closed/.test(n)
    ),
    s.notes.join("\n"),
  );
  assert.ok(s.notes.some((n) => n.startsWith("could not deliver request 3 ")));
  assert.ok(!s.notes.some((n) => n.startsWith("could not deliver request 2 ")));
  const pid = Number(await Deno.readTextFile(pidFile));
  const state = await processState(pid);
  assert.ok(state === undefined || state === "Z", `the server was stopped (state ${state})`);
});

Deno.test("runProxy() reads no more than its bound ahead while a server that stopped reading waits", async () => {
  const stop = new AbortController();
  const s = proxied(["--stop-reading"], { stop: stop.signal });
  await s.send(initializeRequest(1));
  await s.next();
  // The client floods the server with notifications; the proxy takes its bound, then waits.
  const flood = {
    jsonrpc: "2.0",
    method: "notifications/message",
    params: { data: "y".repeat(65_000) },
  };
  const lineBytes = JSON.stringify(flood).length + 1;
  let taken = 0;
  const sending = (async () => {
    for (let i = 0; i < 200; i++) {
      await s.send(flood);
      taken += lineBytes;
    }
  })();
  sending.catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 1500));
  // The pipe to the server, the write in progress, one queued, the read-ahead and one read.
  const bound = READ_AHEAD_BYTES + 6 * lineBytes;
  assert.ok(taken <= bound, `took ${taken} bytes from a flooding client (bound ${bound})`);
  assert.ok(taken >= READ_AHEAD_BYTES, `took ${taken}: the proxy reads ahead while it waits`);
  stop.abort("SIGTERM");
  const result = await within(s.done, 10_000, "the session after a stop");
  assert.equal(result.reason, "signal");
});

Deno.test("runProxy() answers at once when the server closes its output and runs on, and stops it", async () => {
  await using dir = await tempDir();
  const pidFile = `${dir.path}/server.pid`;
  const s = proxied([], {}, closedOutputServer(pidFile));
  await s.send(initializeRequest(1));
  assert.ok((await s.next())["result"], "initialize answered");
  // Sent while the server's output ends: waiting on it, or sent after; answered either way.
  await s.send({ jsonrpc: "2.0", id: 2, method: "ping" });
  const first = await s.next(3000);
  assert.equal(first["id"], 2);
  assert.equal(errorOf(first).code, -32000);
  assert.match(errorOf(first).message, /closed its output while still running/);
  // The client has not closed its input: the session ends because the server was stopped.
  const result = await within(s.done, 5000, "the session after the server closed its output");
  assert.equal(result.reason, "upstream_exited");
  assert.equal(result.exitCode, 0, "the server exits at the end of its input, with its code");
  await s.send({ jsonrpc: "2.0", id: 3, method: "ping" }).catch(() => {});
  await assert.rejects(s.next(500), /output ended/, "one answer each");
  assert.equal(
    s.notes.filter((n) =>
      n === "the MCP server closed its output but is still running; stopping it"
    )
      .length,
    1,
    s.notes.join("\n"),
  );
  assert.ok(!s.notes.some((n) => /SIGTERM/.test(n)), "its input closing was enough");
  const state = await processState(Number(await Deno.readTextFile(pidFile)));
  assert.ok(state === undefined || state === "Z", `the server was stopped (state ${state})`);
});

Deno.test("runProxy() answers later requests to a server that closed its output, and escalates to SIGTERM", async () => {
  await using dir = await tempDir();
  const pidFile = `${dir.path}/server.pid`;
  // It ignores the end of its input too: only a signal stops it, 4 s after its input closed.
  const s = proxied([], { graceMs: 4000 }, closedOutputServer(pidFile, true));
  await s.send(initializeRequest(1));
  await s.next();
  const closedNote = "the MCP server closed its output but is still running; stopping it";
  // Timeouts here only guard a hang; what is checked is the order of the steps.
  for (let waited = 0; !s.notes.includes(closedNote); waited += 50) {
    assert.ok(waited < 20_000, `no note that the server closed its output: ${s.notes.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await s.send({ jsonrpc: "2.0", id: 4, method: "tools/list" });
  const answer = await s.next(20_000);
  // Answered at once, not once the server is stopped: before the SIGTERM that stops it.
  assert.ok(!s.notes.some((n) => /SIGTERM/.test(n)), `answered after: ${s.notes.join("\n")}`);
  assert.equal(answer["id"], 4);
  assert.equal(errorOf(answer).code, -32000);
  assert.match(errorOf(answer).message, /closed its output while still running/);
  assert.ok(
    s.notes.some((n) =>
      n.startsWith("could not deliver request 4 to the MCP server (it closed its output)")
    ),
    s.notes.join("\n"),
  );
  const result = await within(s.done, 30_000, "the session after SIGTERM");
  assert.equal(result.reason, "upstream_exited");
  assert.ok(
    s.notes.some((n) => /did not exit 4000 ms after its input closed; sending SIGTERM/.test(n)),
    s.notes.join("\n"),
  );
  await s.close();
  await assert.rejects(s.next(500), /output ended/, "one answer each");
  const state = await processState(Number(await Deno.readTextFile(pidFile)));
  assert.ok(state === undefined || state === "Z", `the server was stopped (state ${state})`);
});
