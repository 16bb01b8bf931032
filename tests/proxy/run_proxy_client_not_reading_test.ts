/**
 * A client that stops reading thoth's output (it closes its read end of
 * thoth's stdout) while a call is still held: a call still being decided is
 * not sent to the server once it is allowed (it would run with no one to
 * read its result), and a call waiting for a person is withdrawn with words
 * that say the client stopped reading, not that it closed its input. Each
 * is told as not carried out by its decision id (`notCarriedOut`), which
 * takes back progressive mode's count of it.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import type { Approver, RelayEvents } from "../../src/proxy/relay_session.ts";
import type { JsonRpcId } from "../../src/protocol/jsonrpc_id.ts";
import { type ProxyOptions, type ProxyResult, runProxy } from "../../src/proxy/run_proxy.ts";
import { faultArgv, initializeRequest, tempDir } from "../e2e/_harness.ts";
import { within } from "./_proxied_session.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A session over the fault server whose client can close its read end of
 * thoth's output (`stopReading`), as a client that went away does.
 */
function deafeningSession(log: string, options: Partial<ProxyOptions>) {
  const toProxy = new TransformStream<Uint8Array, Uint8Array>();
  const fromProxy = new TransformStream<Uint8Array, Uint8Array>();
  const notes: string[] = [];
  const [command, ...args] = faultArgv(["--log", log]);
  const done: Promise<ProxyResult> = runProxy({
    command: command!,
    args,
    server: "fault",
    clientIn: toProxy.readable,
    clientOut: fromProxy.writable,
    note: (m) => notes.push(m),
    graceMs: 1000,
    ...options,
  });
  const writer = toProxy.writable.getWriter();
  const reader = fromProxy.readable.getReader();
  let buffered = "";
  return {
    notes,
    done,
    send: (message: unknown) => writer.write(encoder.encode(JSON.stringify(message) + "\n")),
    /** The answer to `id`, skipping other messages. */
    async answerTo(id: number): Promise<Record<string, unknown>> {
      for (;;) {
        while (!buffered.includes("\n")) {
          const read = await within(reader.read(), 10_000, `the answer to ${id}`);
          if (read.done) throw new Error(`the output ended; notes:\n${notes.join("\n")}`);
          buffered += decoder.decode(read.value, { stream: true });
        }
        const newline = buffered.indexOf("\n");
        const message = JSON.parse(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if (message["id"] === id) return message;
      }
    },
    /** The client closes its end of thoth's output: thoth's next write to it fails. */
    stopReading: () => reader.cancel(),
    /** Resolves once thoth noted that it cannot write to the client. */
    async brokeNoted(): Promise<void> {
      while (!notes.some((n) => n.startsWith("cannot write to the client"))) {
        await within(new Promise((resolve) => setTimeout(resolve, 10)), 1000, "a pause");
        if (notes.length > 50) throw new Error(notes.join("\n"));
      }
    },
    close: () => writer.close().catch(() => {}),
  };
}

function recorder() {
  const decisions: { id: JsonRpcId; decision: string }[] = [];
  const cancelled: { id: JsonRpcId; reason: string | undefined }[] = [];
  const decisionIds: string[] = [];
  const notCarriedOut: string[] = [];
  const events: RelayEvents = {
    decision: (_call, verdict, id) => {
      decisions.push({ id, decision: verdict.decision });
      decisionIds.push(verdict.decisionId);
    },
    cancelled: (id, _tool, reason) => cancelled.push({ id, reason }),
    notCarriedOut: (decisionId) => notCarriedOut.push(decisionId),
  };
  return { events, decisions, cancelled, decisionIds, notCarriedOut };
}

/** The ids of the tool calls the server got (it got the ping, so it read what came before). */
async function serverCalls(log: string): Promise<unknown[]> {
  const lines = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.filter((m) => m.method === "ping").map((m) => m.id), [4]);
  return lines.filter((m) => m.method === "tools/call").map((m) => m.id);
}

/** Starts the session: initialize and tools/list, answered while the client still reads. */
async function started(s: ReturnType<typeof deafeningSession>): Promise<void> {
  await s.send(initializeRequest(1));
  await s.answerTo(1);
  await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  await s.answerTo(2);
}

const echoCall = {
  jsonrpc: "2.0",
  id: 3,
  method: "tools/call",
  params: { name: "echo", arguments: { n: 3 } },
};

Deno.test("runProxy() does not send a call still being decided once the client stopped reading its output", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  let decide!: (verdict: Verdict) => void;
  let asked!: () => void;
  const askedOnce = new Promise<void>((resolve) => asked = resolve);
  const enforcer: Enforcer = {
    decide: (call, ids) => {
      if (call.tool !== "echo") {
        return { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] };
      }
      asked();
      return new Promise<Verdict>((resolve) => decide = resolve);
    },
  };
  const { events, decisions, cancelled, notCarriedOut } = recorder();
  const s = deafeningSession(log, { enforcer, events });
  try {
    await started(s);
    await s.send(echoCall);
    await askedOnce;
    await s.stopReading();
    // The server's answer to a ping is the first write to fail.
    await s.send({ jsonrpc: "2.0", id: 4, method: "ping" });
    await s.brokeNoted();
    decide({ decision: "allow", decisionId: "d-echo", ruleIds: [], reasons: [] });
    const result = await within(s.done, 10_000, "the session's end");
    assert.equal(result.reason, "client_closed", s.notes.join("\n"));
  } finally {
    await s.close();
  }
  assert.deepEqual(await serverCalls(log), [], "the server never got the call");
  assert.deepEqual(decisions, [{ id: 3, decision: "allow" }]);
  assert.deepEqual(notCarriedOut, ["d-echo"], "its count is taken back");
  assert.equal(cancelled.length, 1, JSON.stringify(cancelled));
  assert.equal(cancelled[0]!.id, 3);
  assert.match(
    String(cancelled[0]!.reason),
    /^the client stopped reading thoth's output \(a write to it failed\) while the call was being decided, so thoth did not send it to the MCP server/,
  );
  assert.ok(
    s.notes.some((n) =>
      /^did not send tools\/call 3 \(tool "echo"\) to the MCP server: the client stopped reading/
        .test(n)
    ),
    s.notes.join("\n"),
  );
});

Deno.test("runProxy() withdraws a call waiting for a person with words saying the client stopped reading", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  let asked!: () => void;
  const askedOnce = new Promise<void>((resolve) => asked = resolve);
  let withdrawn: unknown;
  // A person who never answers: the wait ends only when the call is withdrawn.
  const approver: Approver = (request) => {
    asked();
    return new Promise((resolve) =>
      request.signal.addEventListener("abort", () => {
        withdrawn = request.signal.reason;
        resolve({ approved: false, why: "withdrawn", kind: "cancelled" });
      }, { once: true })
    );
  };
  const enforcer: Enforcer = {
    decide: (call, ids) =>
      call.tool === "echo"
        ? { decision: "step_up", decisionId: ids(), ruleIds: ["ask"], reasons: ["ask a person"] }
        : { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] },
  };
  const { events, cancelled, decisionIds, notCarriedOut } = recorder();
  const s = deafeningSession(log, { enforcer, approver, events });
  try {
    await started(s);
    await s.send(echoCall);
    await askedOnce;
    await s.stopReading();
    await s.send({ jsonrpc: "2.0", id: 4, method: "ping" });
    await s.brokeNoted();
    await within(s.done, 10_000, "the session's end");
  } finally {
    await s.close();
  }
  const why = "the client stopped reading thoth's output (a write to it failed) while the " +
    "call waited for a person";
  assert.ok(withdrawn instanceof Error, String(withdrawn));
  assert.equal(withdrawn.message, why);
  assert.deepEqual(cancelled, [{ id: 3, reason: why }]);
  assert.deepEqual(await serverCalls(log), [], "the server never got the call");
  // The initialize-era session's tools/list and ping are no calls: the one decision is echo's.
  assert.equal(decisionIds.length, 1);
  assert.deepEqual(notCarriedOut, decisionIds, "its count is taken back");
});
