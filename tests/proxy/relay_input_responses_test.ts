/**
 * In the stateless era (2026-07-28) a server that needs a model's answer asks
 * for it inside an `input_required` result, and the client retries the
 * `tools/call` with the sampling result in `inputResponses`. The server then
 * runs the tools the model chose there, as it would after a live sampling
 * answer: each is decided the same way, and a refused one keeps the whole
 * retry from the server. The client gets an error instead.
 */
import assert from "node:assert/strict";
import type { StatelessApprovalStep } from "../../src/proxy/relay_session.ts";
import {
  approverOf,
  call,
  enforcerOf,
  line,
  rawRelay,
  sampled,
  settle,
  STATELESS,
  toolUse,
} from "./_raw_relay.ts";

/** A retried `tools/call` carrying the answers to the server's own requests. */
const retry = (id: unknown, tool: string, inputResponses: unknown) =>
  call(id, tool, { q: "x" }, { _meta: STATELESS, requestState: "server-state", inputResponses });

Deno.test("RelaySession refuses a retried call whose sampling answer chose a blocked tool", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromClient(
    retry(5, "research", {
      ask: { action: "accept", content: { name: "Ana" } },
      s1: sampled([{ type: "text", text: "tidying" }, toolUse("delete_everything")]),
    }),
  );
  assert.deepEqual(h.toServer, [], "the retry never reaches the server, which would run it");
  const [error] = h.json(h.toClient);
  assert.equal(error.id, 5);
  assert.equal(error.error.code, -32000);
  assert.match(
    error.error.message,
    /the model chose tool "delete_everything" on server "srv", which thoth blocked by rule "rule-delete_everything"/,
  );
  assert.deepEqual(enforcer.calls.map((c) => [c.tool, c.arguments]), [
    ["research", { q: "x" }],
    ["delete_everything", { path: "/data" }],
  ]);
  assert.match(
    h.notes.join("\n"),
    /refused tools\/call 5 \(tool "research"\): the answer to the server's sampling request it carries in inputResponses: the model chose tool "delete_everything", which thoth blocked \(decision d-2\); the call was not forwarded/,
  );
  assert.deepEqual(h.events, ["decision 5 research d-1", "cancelled 5 research", "answered 5"]);
  assert.equal(h.session.inFlight, 0);
});

Deno.test("RelaySession forwards a retried call whose sampling answers choose allowed tools, as its bytes", async () => {
  const enforcer = enforcerOf({}, true);
  const h = rawRelay({ enforcer });
  const bytes = retry(6, "research", { s1: sampled(toolUse("lookup", { q: "y" })), s2: "odd" });
  h.session.fromClient(bytes);
  await settle();
  assert.deepEqual(h.toServer, [bytes]);
  assert.deepEqual(enforcer.calls.map((c) => c.tool), ["research", "lookup"]);
  assert.equal(h.session.inFlight, 1, "call 6 runs on the server");
});

Deno.test("RelaySession refuses a retried call whose sampling answer cannot be read for sure", () => {
  const h = rawRelay();
  h.session.fromClient(retry(7, "research", [sampled([toolUse(42)])]));
  assert.deepEqual(h.toServer, []);
  const [error] = h.json(h.toClient);
  assert.equal(error.id, 7);
  assert.match(error.error.message, /a tool_use block cannot be read/);
});

Deno.test("RelaySession decides the sampling answer a retry carries once a person approved the call", async () => {
  const enforcer = enforcerOf({ write_file: "step_up", delete_everything: "block" });
  const approver = approverOf(() => ({ approved: true, why: "yes" }));
  const forwardParams = {
    name: "write_file",
    arguments: { q: "x" },
    _meta: STATELESS,
    inputResponses: { s1: sampled(toolUse("delete_everything")) },
  };
  approver.stateless = (): Promise<StatelessApprovalStep> =>
    Promise.resolve({
      kind: "decided",
      outcome: { approved: true, why: "ana allowed it once", kind: "approved" },
      forwardParams,
    });
  const h = rawRelay({ enforcer, approver });
  h.session.fromClient(
    retry(8, "write_file", {
      "thoth-approval": { action: "accept", content: { decision: "allow_once" } },
      s1: sampled(toolUse("delete_everything")),
    }),
  );
  await settle();
  assert.deepEqual(h.toServer, [], "neither the retry nor its rewritten params reach the server");
  const [error] = h.json(h.toClient);
  assert.equal(error.id, 8);
  assert.match(error.error.message, /the model chose tool "delete_everything"/);
  assert.deepEqual(enforcer.calls.map((c) => c.tool), ["write_file", "delete_everything"]);
  // Without a sampling answer the approved retry goes on, rewritten, as before.
  forwardParams.inputResponses = { s1: sampled({ type: "text", text: "done" }) };
  h.session.fromClient(
    retry(9, "write_file", { s1: sampled({ type: "text", text: "done" }) }),
  );
  await settle();
  assert.equal(h.toServer.length, 1);
  assert.deepEqual(h.json(h.toServer)[0].params, forwardParams);
});

Deno.test("RelaySession forwards nothing when the client cancels a retry while its sampling answer is decided", async () => {
  let decide: () => void = () => {};
  const later = new Promise<void>((resolve) => decide = resolve);
  const enforcer = enforcerOf({});
  const h = rawRelay({
    enforcer: {
      decide: (c, ids) =>
        c.tool === "lookup" ? later.then(() => enforcer.decide(c, ids)) : enforcer.decide(c, ids),
    },
  });
  h.session.fromClient(retry(10, "research", { s1: sampled(toolUse("lookup")) }));
  h.session.fromClient(line({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: 10 },
  }));
  decide();
  await settle();
  assert.deepEqual(h.toServer, []);
  assert.deepEqual(h.toClient, []);
  assert.equal(h.session.inFlight, 0);
});
