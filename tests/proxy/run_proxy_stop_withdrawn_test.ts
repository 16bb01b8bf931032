/**
 * A call still waiting for a person when thoth is stopped by a signal never
 * reached the server: the client is told it was withdrawn because thoth was
 * stopped (naming the signal), not that the server exited. Its evidence is
 * unchanged: the call is recorded as ended with the session.
 */
import assert from "node:assert/strict";
import type { Approver } from "../../src/proxy/relay_session.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import { faultArgv, initializeRequest, tempDir } from "../e2e/_harness.ts";
import { proxiedSession } from "./_proxied_session.ts";

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
    const s = proxiedSession(faultArgv(["--log", log]), {
      graceMs: 1000,
      enforcer: stepUpWrites,
      approver,
      events: { cancelled: (id, _tool, reason) => cancelled.push([id, reason]) },
      stop: stop.signal,
      eager: true,
    });
    await s.send(initializeRequest(1));
    while ((await s.next())["id"] !== 1); // the server runs
    await s.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "write", arguments: {} },
    });
    await askedOnce;
    stop.abort(signal);
    const result = await s.done;
    const lines = (await s.end()).lines.map((l) => JSON.parse(l) as Record<string, unknown>);
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
