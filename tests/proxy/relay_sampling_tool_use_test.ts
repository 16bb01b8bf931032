/**
 * The tools a model chooses in a client's answer to the server's
 * `sampling/createMessage` request (MCP 2025-11-25, sampling with tools) are
 * calls of the server's tools: each is decided, and a refused one keeps the
 * answer from the server, which gets an error instead.
 */
import assert from "node:assert/strict";
import { approverOf, enforcerOf, line, rawRelay, settle, toolUse } from "./_raw_relay.ts";

const SAMPLING = {
  jsonrpc: "2.0",
  id: 100,
  method: "sampling/createMessage",
  params: { messages: [], maxTokens: 10, tools: [{ name: "delete_everything" }] },
};

const answer = (content: unknown, id: unknown = 100) =>
  line({
    jsonrpc: "2.0",
    id,
    result: { role: "assistant", model: "m", stopReason: "toolUse", content },
  });

function listed(h: ReturnType<typeof rawRelay>) {
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 1,
    result: {
      tools: [{ name: "delete_everything", annotations: { destructiveHint: true } }],
    },
  }));
  h.session.fromServer(line(SAMPLING));
}

Deno.test("RelaySession refuses a sampling answer whose model chose a blocked tool", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  listed(h);
  h.toServer.length = 0;
  h.session.fromClient(answer([{ type: "text", text: "tidying" }, toolUse("delete_everything")]));
  const [error] = h.json(h.toServer);
  assert.equal(error.id, 100);
  assert.equal(error.error.code, -32000);
  assert.match(
    error.error.message,
    /the model chose tool "delete_everything" on server "srv", which thoth blocked by rule "rule-delete_everything" \(delete_everything is governed\)\. Decision d-1\./,
  );
  assert.ok(!error.error.message.includes("/data"), "no argument value is echoed");
  assert.equal(h.toServer.length, 1, "the answer itself never reaches the server");
  const [decided] = enforcer.calls;
  assert.deepEqual(
    [decided?.server, decided?.tool, decided?.arguments, decided?.listed, decided?.annotations],
    ["srv", "delete_everything", { path: "/data" }, true, { destructiveHint: true }],
  );
  assert.match(
    h.notes.join("\n"),
    /refused the client's answer to the server's sampling request 100: the model chose tool "delete_everything", which thoth blocked \(decision d-1\)/,
  );
});

Deno.test("RelaySession passes a sampling answer whose tools are allowed, as its exact bytes", () => {
  const enforcer = enforcerOf({});
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(SAMPLING));
  const bytes = answer(toolUse("research", { q: "x" }));
  h.session.fromClient(bytes);
  assert.deepEqual(h.toServer, [bytes]);
  assert.equal(enforcer.calls[0]?.tool, "research");
  assert.equal(enforcer.calls[0]?.listed, false);
  // A text answer is not decided at all.
  h.session.fromServer(line({ ...SAMPLING, id: 101 }));
  h.session.fromClient(answer({ type: "text", text: "hi" }, 101));
  assert.equal(enforcer.calls.length, 1);
  assert.equal(h.toServer.length, 2);
});

Deno.test("RelaySession decides every tool of a sampling answer, and names the first refused", () => {
  const enforcer = enforcerOf({ wipe: "block", delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(SAMPLING));
  h.session.fromClient(
    answer([toolUse("research"), toolUse("wipe"), toolUse("delete_everything")]),
  );
  assert.deepEqual(enforcer.calls.map((c) => c.tool), ["research", "wipe", "delete_everything"]);
  assert.match(h.json(h.toServer)[0].error.message, /tool "wipe"/);
});

Deno.test("RelaySession asks no person about a STEP_UP in a sampling answer: only a grant allows it", async () => {
  const enforcer = enforcerOf({ delete_everything: "step_up" });
  const denying = approverOf((request) => ({
    approved: false,
    kind: "cancelled",
    why: request.signal.reason.message,
  }));
  const h = rawRelay({ enforcer, approver: denying });
  h.session.fromServer(line(SAMPLING));
  h.session.fromClient(answer(toolUse("delete_everything")));
  assert.equal(h.toServer.length, 0, "nothing while the approver looks");
  await settle();
  const request = denying.asked[0]!;
  assert.equal(request.signal.aborted, true, "the approver is told no one may be asked");
  assert.equal(request.call.tool, "delete_everything");
  const error = h.json(h.toServer)[0];
  assert.equal(error.id, 100);
  assert.match(
    error.error.message,
    /requires a person's approval, and no person can be asked about a tool a model chose inside a sampling answer/,
  );
  assert.ok(h.events.includes("approval delete_everything false"));

  // A grant from earlier in the session allows it: the answer goes on as it came.
  const granting = approverOf(() => ({ approved: true, why: "granted", scope: "grant" }));
  const g = rawRelay({ enforcer, approver: granting });
  g.session.fromServer(line(SAMPLING));
  const bytes = answer(toolUse("delete_everything"));
  g.session.fromClient(bytes);
  await settle();
  assert.deepEqual(g.toServer, [bytes]);

  // With no approver at all, refused.
  const none = rawRelay({ enforcer });
  none.session.fromServer(line(SAMPLING));
  none.session.fromClient(answer(toolUse("delete_everything")));
  assert.match(none.json(none.toServer)[0].error.message, /no person can be asked/);
});

Deno.test("RelaySession forwards a sampling answer once a later verdict allows it", async () => {
  const h = rawRelay({ enforcer: enforcerOf({}, true) });
  h.session.fromServer(line(SAMPLING));
  const bytes = answer(toolUse("research"));
  h.session.fromClient(bytes);
  assert.equal(h.toServer.length, 0);
  await settle();
  assert.deepEqual(h.toServer, [bytes]);
});

Deno.test("RelaySession refuses a sampling answer whose tool_use blocks it cannot read", () => {
  const cases: [unknown, RegExp][] = [
    [toolUse(7), /its name must be a non-empty string/],
    [toolUse("rm", [1]), /its input must be an object/],
    [{ type: "tool_use", Name: "rm", name: "echo", input: {} }, /the key "Name"/],
  ];
  for (const [content, problem] of cases) {
    const h = rawRelay();
    h.session.fromServer(line(SAMPLING));
    h.session.fromClient(answer(content));
    const [error] = h.json(h.toServer);
    assert.equal(error.id, 100);
    assert.match(error.error.message, problem);
  }
  const h = rawRelay();
  h.session.fromServer(line(SAMPLING));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 100, result: { Content: toolUse("rm") } }));
  assert.match(h.json(h.toServer)[0].error.message, /the key "Content"/);
});

Deno.test("RelaySession reads an answer to a request it does not know as a sampling answer", () => {
  const h = rawRelay({ enforcer: enforcerOf({ delete_everything: "block" }) });
  // The server's SDK takes "100" for its request 100.
  h.session.fromServer(line(SAMPLING));
  h.session.fromClient(answer(toolUse("delete_everything"), "100"));
  h.session.fromClient(answer(toolUse("delete_everything"), 555));
  assert.deepEqual(
    h.json(h.toServer).map((m) => [m.id, m.error?.code]),
    [["100", -32000], [555, -32000]],
    "an error in place of each answer",
  );
});

Deno.test("RelaySession leaves the answers to the server's other requests untouched", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line({ jsonrpc: "2.0", id: 5, method: "elicitation/create", params: {} }));
  const bytes = line({
    jsonrpc: "2.0",
    id: 5,
    result: { action: "accept", content: { type: "tool_use", name: "delete_everything" } },
  });
  h.session.fromClient(bytes);
  assert.deepEqual(h.toServer, [bytes]);
  assert.equal(enforcer.calls.length, 0);
});

Deno.test("RelaySession refuses a refused sampling answer inside a batch and forwards the rest", () => {
  const h = rawRelay({ enforcer: enforcerOf({ delete_everything: "block" }) });
  h.session.fromServer(line(SAMPLING));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 6, method: "roots/list" }));
  h.session.fromClient(line([
    {
      jsonrpc: "2.0",
      id: 100,
      result: { role: "assistant", model: "m", content: toolUse("delete_everything") },
    },
    { jsonrpc: "2.0", id: 6, result: { roots: [] } },
  ]));
  const sent = h.json(h.toServer);
  assert.equal(sent[0].id, 100);
  assert.ok(sent[0].error);
  assert.deepEqual(sent[1], [{ jsonrpc: "2.0", id: 6, result: { roots: [] } }]);
});

Deno.test("RelaySession decides a sampling tool's input with its long integers' digits kept", () => {
  const enforcer = enforcerOf({});
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(SAMPLING));
  h.session.fromClient(
    new TextEncoder().encode(
      '{"jsonrpc":"2.0","id":100,"result":{"role":"assistant","model":"m","content":' +
        '{"type":"tool_use","id":"t","name":"pay","input":{"card":12345678901234567891}}}}\n',
    ),
  );
  const exact = enforcer.calls[0]?.exactArguments as { card: unknown };
  assert.equal(JSON.stringify(exact), '{"card":12345678901234567891}');
});
