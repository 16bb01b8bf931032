/**
 * Allowed tool calls reach the server in the order the client sent them,
 * even when a later call is decided first (a large call's arguments are
 * digested off the synchronous path; a small one's are not). A call waiting
 * for a person holds back no call sent after it, and neither does one thoth
 * refuses. Other messages are not held behind a call.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import type { Approver } from "../../src/proxy/relay_session.ts";
import { call, line, rawRelay, settle } from "./_raw_relay.ts";

/**
 * Decides "slow" calls only when the test says (with the decision given),
 * "ask" calls as STEP_UP, "no" calls as BLOCK, and allows every other call
 * at once.
 */
function steeredEnforcer() {
  const waiting: ((decision: Verdict["decision"]) => void)[] = [];
  const verdict = (decision: Verdict["decision"], decisionId: string): Verdict => ({
    decision,
    decisionId,
    ruleIds: decision === "allow" ? [] : ["r"],
    reasons: [],
  });
  const enforcer: Enforcer = {
    decide: (c, ids) => {
      const id = ids();
      if (c.tool === "slow") {
        return new Promise((resolve) => waiting.push((d) => resolve(verdict(d, id))));
      }
      return verdict(c.tool === "ask" ? "step_up" : c.tool === "no" ? "block" : "allow", id);
    },
  };
  /** Decides the oldest "slow" call still waiting. */
  const decide = async (decision: Verdict["decision"] = "allow") => {
    waiting.shift()!(decision);
    await settle();
  };
  return { enforcer, decide };
}

/** A person who never answers (the call waits until the session ends). */
const nobody: Approver = (request) =>
  new Promise((resolve) =>
    request.signal.addEventListener("abort", () => resolve({ approved: false, why: "gone" }), {
      once: true,
    })
  );

/** What the server got, in order: a call by its id, anything else by its method. */
const written = (h: ReturnType<typeof rawRelay>) =>
  h.json(h.toServer).map((m) =>
    Array.isArray(m) ? m.map((i) => i.id ?? i.method) : m.method === "tools/call" ? m.id : m.method
  );

Deno.test("RelaySession writes allowed calls in the order the client sent them", async () => {
  const { enforcer, decide } = steeredEnforcer();
  const h = rawRelay({ enforcer });
  h.session.fromClient(call(1, "slow"));
  h.session.fromClient(call(2, "echo"));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 3, method: "ping" }));
  h.session.fromClient(call(4, "echo"));
  assert.deepEqual(written(h), ["ping"], "the ping is not held behind the calls");
  await decide();
  assert.deepEqual(written(h), ["ping", 1, 2, 4]);
  h.session.fromClient(call(5, "echo"));
  assert.deepEqual(written(h), ["ping", 1, 2, 4, 5], "an empty line holds nothing back");
});

Deno.test("RelaySession holds no call behind one that waits for a person, or one it refuses", async () => {
  const { enforcer, decide } = steeredEnforcer();
  const h = rawRelay({ enforcer, approver: nobody });
  h.session.fromClient(call(1, "ask"));
  h.session.fromClient(call(2, "echo"));
  assert.deepEqual(written(h), [2], "call 1 waits for a person; call 2 goes");
  // Decided later as STEP_UP: the calls behind go once it waits for a person.
  h.session.fromClient(call(3, "slow"));
  h.session.fromClient(call(4, "echo"));
  assert.deepEqual(written(h), [2]);
  await decide("step_up");
  assert.deepEqual(written(h), [2, 4]);
  // Decided later as BLOCK: answered by thoth, the calls behind go.
  h.session.fromClient(call(5, "slow"));
  h.session.fromClient(call(6, "echo"));
  await decide("block");
  assert.deepEqual(written(h), [2, 4, 6]);
  assert.equal(h.json(h.toClient).find((m) => m.id === 5)?.result?.isError, true);
  h.session.upstreamGone("the server exited");
});

Deno.test("RelaySession never writes an allowed call the client cancelled while it waited its turn", async () => {
  const { enforcer, decide } = steeredEnforcer();
  const h = rawRelay({ enforcer });
  h.session.fromClient(call(1, "slow"));
  h.session.fromClient(call(2, "echo"));
  h.session.fromClient(
    line({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 2 } }),
  );
  await decide();
  assert.deepEqual(written(h), [1], "neither call 2 nor its cancellation reached the server");
  assert.ok(h.events.includes("cancelled 2 echo"), h.events.join("\n"));
  assert.equal(h.session.inFlight, 1, "only call 1 waits for its answer");
});

Deno.test("RelaySession writes a batch's allowed calls in their turn too", async () => {
  const { enforcer, decide } = steeredEnforcer();
  const h = rawRelay({ enforcer });
  h.session.fromClient(call(1, "slow"));
  h.session.fromClient(line([
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo" } },
    { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "no" } },
  ]));
  h.session.fromClient(call(4, "echo"));
  assert.deepEqual(written(h), []);
  await decide();
  assert.deepEqual(written(h), [1, [2], 4]);
});
