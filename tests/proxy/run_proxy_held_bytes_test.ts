/**
 * runProxy() in process, against real server processes: the client's bytes
 * thoth holds for the server are bounded. Tool calls are not written to the
 * server as they are read (each waits for its decision, and the first ones
 * for thoth's own listing of the tools), so a client flooding calls to a
 * server that does not read, or faster than they are decided, must be read
 * no further once `HELD_BYTES` is held: its writes stall, and memory stays
 * bounded. The bound must not slow normal work (64 calls in flight), and the
 * client's EOF is still seen while calls below it wait for a stuck server.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Approver } from "../../src/proxy/relay_session.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { HELD_BYTES, READ_AHEAD_BYTES } from "../../src/proxy/pump_lines.ts";
import { faultArgv, initializeRequest } from "../e2e/_harness.ts";
import { echoCall, proxiedSession, within } from "./_proxied_session.ts";

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the client may get read before its writes stall: the bound, the read-ahead, a few lines. */
const slack = (lineBytes: number) => HELD_BYTES + READ_AHEAD_BYTES + 8 * lineBytes;

/**
 * Sends `call(i)` lines one write each until `total` bytes were taken or a
 * write waits `stallMs`; returns the bytes the proxy took.
 */
async function flood(
  s: ReturnType<typeof proxiedSession>,
  line: (id: number) => Uint8Array,
  total: number,
  stallMs: number,
): Promise<{ taken: number; stalled: boolean; pending: Promise<void> | undefined }> {
  let taken = 0;
  for (let id = 100; taken < total; id++) {
    const bytes = line(id);
    const write = s.sendBytes(bytes);
    const took = await Promise.race([write.then(() => true), sleep(stallMs).then(() => false)]);
    if (!took) {
      write.catch(() => {});
      return { taken, stalled: true, pending: write };
    }
    taken += bytes.length;
  }
  return { taken, stalled: false, pending: undefined };
}

Deno.test("runProxy() stops reading a client flooding tool calls to a server that does not read", async () => {
  const stop = new AbortController();
  const s = proxiedSession(faultArgv(["--stop-reading"]), { stop: stop.signal });
  await s.send(initializeRequest(1));
  assert.ok((await s.next())["result"], "initialize answered");
  const before = Deno.memoryUsage().heapUsed;
  // 50 MB of calls. The client never listed the tools: the first call waits for thoth's own
  // listing (which the server never answers, 5 s), and every call after it waits behind it.
  const lineBytes = JSON.stringify(echoCall(100, 16 * 1024)).length + 1;
  const line = (id: number) => enc.encode(JSON.stringify(echoCall(id, 16 * 1024)) + "\n");
  const first = await flood(s, line, 50_000_000, 1500);
  assert.ok(first.stalled, `the proxy took all ${first.taken} bytes of the flood`);
  assert.ok(
    first.taken <= slack(lineBytes),
    `took ${first.taken} bytes of calls from a flooding client (bound ${slack(lineBytes)})`,
  );
  assert.ok(first.taken >= HELD_BYTES, `took only ${first.taken} bytes before it stalled`);
  // Once the listing times out the calls are decided and written: still held (the server does
  // not read them), so the client stays stalled.
  await sleep(6000);
  const second = await flood(s, line, 50_000_000 - first.taken, 1500);
  const taken = first.taken + lineBytes + second.taken;
  assert.ok(
    taken <= slack(lineBytes) + lineBytes,
    `took ${taken} bytes of calls after the calls were decided (bound ${slack(lineBytes)})`,
  );
  const grown = Deno.memoryUsage().heapUsed - before;
  assert.ok(grown < 128 * 1024 * 1024, `the heap grew by ${grown} bytes for ${taken} bytes taken`);
  stop.abort("SIGTERM");
  const result = await within(s.done, 10_000, "the session after a stop");
  assert.equal(result.reason, "signal");
});

/** An enforcer that allows every call once `count` calls wait for their verdicts at once. */
function gatedEnforcer(count: number): Enforcer & { waited: () => number } {
  const waiting: (() => void)[] = [];
  let most = 0;
  return {
    name: "gated",
    waited: () => most,
    decide: (_call, newDecisionId) =>
      new Promise<Verdict>((resolve) => {
        const allow = () =>
          resolve({ decision: "allow", decisionId: newDecisionId(), ruleIds: [], reasons: [] });
        waiting.push(allow);
        most = Math.max(most, waiting.length);
        if (waiting.length >= count) { for (const release of waiting.splice(0)) release(); }
      }),
  };
}

Deno.test("runProxy() holds 64 calls in flight of 56 KiB each at once: the bound does not stall them", async () => {
  const enforcer = gatedEnforcer(64);
  const s = proxiedSession(faultArgv(), { enforcer });
  await s.send(initializeRequest(1));
  await s.next();
  await s.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  assert.ok((await s.next())["result"], "tools listed");
  // 64 calls, one write each, not waiting for one another: none is decided before all arrived.
  const calls = Array.from({ length: 64 }, (_, i) => echoCall(1000 + i, 56 * 1024));
  const held = calls.reduce((sum, call) => sum + JSON.stringify(call).length + 1, 0);
  assert.ok(held < HELD_BYTES, `the test's calls hold ${held} bytes, within the bound`);
  const writes = calls.map((call) => s.send(call));
  await within(Promise.all(writes), 10_000, "the client's 64 writes");
  const answered = new Set<unknown>();
  for (let i = 0; i < calls.length; i++) {
    const answer = await s.next(10_000);
    assert.ok(answer["result"], JSON.stringify(answer).slice(0, 300));
    answered.add(answer["id"]);
  }
  assert.equal(answered.size, 64, "each call answered once");
  assert.equal(enforcer.waited(), 64, "all 64 calls waited for their verdicts at once");
  await s.close();
  const result = await within(s.done, 10_000, "the session after the client's EOF");
  assert.equal(result.reason, "client_closed");
});

Deno.test("runProxy() sees the client's EOF while tool calls below the bound wait for a server that does not read", async () => {
  const s = proxiedSession(faultArgv(["--stop-reading"]));
  await s.send(initializeRequest(1));
  await s.next();
  // 2 MiB of calls (more than the server's pipe holds), waiting for thoth's own listing first.
  const ids = Array.from({ length: 40 }, (_, i) => 10 + i);
  for (const id of ids) void s.send(echoCall(id, 50 * 1024)).catch(() => {});
  void s.close();
  const result = await within(s.done, 20_000, "the session after the client's EOF");
  assert.equal(result.reason, "client_closed");
  const answered: unknown[] = [];
  for (let i = 0; i < ids.length; i++) {
    const answer = await s.next(1000);
    assert.equal((answer["error"] as { code: number }).code, -32000, JSON.stringify(answer));
    answered.push(answer["id"]);
  }
  assert.deepEqual([...answered].sort((a, b) => Number(a) - Number(b)), ids, "each call answered");
  await assert.rejects(s.next(500), /output ended/, "each call answered once");
});

/** An enforcer that asks a person about every call. */
const stepUp: Enforcer = {
  name: "step-up",
  decide: (_call, newDecisionId) =>
    Promise.resolve({
      decision: "step_up",
      decisionId: newDecisionId(),
      ruleIds: ["ask"],
      reasons: ["a person decides"],
    }),
};

Deno.test("runProxy() reads the client's answer to a form while a call over the bound waits for it", async () => {
  // Every call needs a person, asked through the client (an elicitation form). The one call is
  // larger than the bound: held for the answer, it must not stop the read that brings it.
  const approver: Approver = async (request) => {
    const answer = await request.client.request("elicitation/create", {
      message: "run it?",
      requestedSchema: { type: "object", properties: {} },
    }, { signal: request.signal });
    const accepted = (answer["result"] as { action?: string } | undefined)?.action === "accept";
    return { approved: accepted, why: accepted ? "" : "the person declined" };
  };
  const s = proxiedSession(faultArgv(), { enforcer: stepUp, approver });
  await s.send(initializeRequest(1));
  await s.next();
  await s.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  assert.ok((await s.next())["result"], "tools listed");
  const call = echoCall(7, HELD_BYTES + 1024 * 1024);
  void s.send(call).catch(() => {});
  const form = await s.next(10_000);
  assert.equal(form["method"], "elicitation/create", JSON.stringify(form).slice(0, 300));
  await s.send({ jsonrpc: "2.0", id: form["id"], result: { action: "accept", content: {} } });
  const answer = await within(s.next(30_000), 30_000, "the approved call's answer");
  assert.equal(answer["id"], 7);
  assert.ok(answer["result"], JSON.stringify(answer).slice(0, 300));
  await s.close();
  await within(s.done, 10_000, "the session after the client's EOF");
});

Deno.test("runProxy() reads cancellations and pings while calls over the bound wait for a person", async () => {
  // Three 1.5 MB calls, each shown to a person at the machine (a dialog, gone when the call is
  // withdrawn): a person paces them, not the pipe, so they do not stop the client's input.
  let asked = 0;
  let withdrawn = 0;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const approver: Approver = (request) => {
    asked++;
    return new Promise((resolve) => {
      timers.push(setTimeout(() => resolve({ approved: false, why: "no one answered" }), 30_000));
      request.signal.addEventListener("abort", () => {
        withdrawn++;
        resolve({ approved: false, why: "withdrawn" });
      });
    });
  };
  const s = proxiedSession(faultArgv(), { enforcer: stepUp, approver });
  try {
    await s.send(initializeRequest(1));
    await s.next();
    await s.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    await s.next();
    const ids = [100, 101, 102];
    for (const id of ids) void s.send(echoCall(id, 1_500_000)).catch(() => {});
    void s.send(
      ...ids.map((requestId) => ({
        jsonrpc: "2.0",
        method: "notifications/cancelled",
        params: { requestId, reason: "the user stopped it" },
      })),
      { jsonrpc: "2.0", id: 9, method: "ping" },
    ).catch(() => {});
    const seen = new Set<unknown>();
    while (!seen.has(9)) {
      seen.add((await within(s.next(10_000), 10_000, "the ping's answer"))["id"]);
    }
    assert.equal(asked, 3, "each call asked a person");
    assert.equal(withdrawn, 3, "each cancelled call was withdrawn from the person");
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await s.close();
    await within(s.done, 10_000, "the session after the client's EOF");
  }
});
