/**
 * A call still waiting for a person when thoth is stopped by a signal never
 * reached the server: the client is told it was withdrawn because thoth was
 * stopped (naming the signal), not that the server exited. Its evidence is
 * unchanged: the call is recorded as ended with the session.
 */
import assert from "node:assert/strict";
import { runProxy } from "../../src/proxy/run_proxy.ts";
import type { Approver } from "../../src/proxy/relay_session.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import { faultArgv, initializeRequest, tempDir } from "../e2e/_harness.ts";

const enc = new TextEncoder();

const stepUpWrites: Enforcer = {
  decide: (call, ids) =>
    call.tool === "write"
      ? { decision: "step_up", decisionId: ids(), ruleIds: ["ask"], reasons: ["ask a person"] }
      : { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] },
};

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`runProxy() tells a call waiting for a person that thoth was stopped (${signal})`, async () => {
    await using dir = await tempDir();
    const log = `${dir.path}/server.log`;
    let asked!: () => void;
    const askedOnce = new Promise<void>((resolve) => asked = resolve);
    // A person who never answers: the wait ends only when the call is withdrawn.
    const approver: Approver = (request) => {
      asked();
      return new Promise((resolve) =>
        request.signal.addEventListener(
          "abort",
          () => resolve({ approved: false, why: "withdrawn", kind: "cancelled" }),
          { once: true },
        )
      );
    };
    const cancelled: [unknown, string | undefined][] = [];
    const stop = new AbortController();
    const toProxy = new TransformStream<Uint8Array, Uint8Array>();
    const fromProxy = new TransformStream<Uint8Array, Uint8Array>();
    const [command, ...args] = faultArgv(["--log", log]);
    const done = runProxy({
      command: command!,
      args,
      server: "fault",
      clientIn: toProxy.readable,
      clientOut: fromProxy.writable,
      note: () => {},
      graceMs: 1000,
      enforcer: stepUpWrites,
      approver,
      events: { cancelled: (id, _tool, reason) => cancelled.push([id, reason]) },
      stop: stop.signal,
    });
    const lines: Record<string, unknown>[] = [];
    const reading = (async () => {
      let buffer = "";
      for await (const chunk of fromProxy.readable.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let newline;
        while ((newline = buffer.indexOf("\n")) !== -1) {
          lines.push(JSON.parse(buffer.slice(0, newline)));
          buffer = buffer.slice(newline + 1);
        }
      }
    })();
    const answerTo = async (id: number) => {
      while (!lines.some((m) => m["id"] === id)) await new Promise((r) => setTimeout(r, 10));
    };
    const writer = toProxy.writable.getWriter();
    const send = (message: unknown) => writer.write(enc.encode(JSON.stringify(message) + "\n"));
    await send(initializeRequest(1));
    await answerTo(1); // the server runs
    await send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "write", arguments: {} },
    });
    await askedOnce;
    stop.abort(signal);
    const result = await done;
    await writer.close().catch(() => {});
    await reading;
    const answers = lines.filter((m) => m["id"] === 2);
    assert.equal(answers.length, 1, "answered once");
    const message = String((answers[0]!["error"] as { message?: unknown } | undefined)?.message);
    assert.match(message, /withdrawn because thoth was stopped/);
    assert.match(message, new RegExp(signal));
    assert.doesNotMatch(message, /server exited/);
    assert.equal(result.reason, "signal");
    // The evidence is as before: the call ended with the session.
    assert.deepEqual(cancelled, [[2, "the session ended while the call waited for its decision"]]);
    const received = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(received.some((m) => m.method === "tools/call"), false, "the server never got it");
  });
}
