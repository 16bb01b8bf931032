/**
 * The answers a client request carries to the server's own requests
 * (`inputResponses`) are gated whatever their shape and whatever the request:
 * an entry is read as the sampling result itself and as that result wrapped
 * under `result` (the multi-round-trip draft's shape); a `tool_use` block
 * anywhere else in it is refused, never passed on unread; and a
 * `prompts/get`, `resources/read`, `completion/complete`, `tasks/result` or
 * any other request that carries them is gated like a retried `tools/call`.
 */
import assert from "node:assert/strict";
import type { Verdict } from "../../src/policy/verdict.ts";
import {
  call,
  enforcerOf,
  line,
  rawRelay,
  sampled,
  settle,
  STATELESS,
  toolUse,
} from "./_raw_relay.ts";

/** A relay whose cancellations are kept with their reasons. */
function relayWith(verdicts: Record<string, Verdict["decision"]>, later = false) {
  const enforcer = enforcerOf(verdicts, later);
  const cancellations: { id: unknown; tool: string | undefined; reason: string | undefined }[] = [];
  const ended: string[] = [];
  const h = rawRelay({
    enforcer,
    events: {
      cancelled: (id, tool, reason) => cancellations.push({ id, tool, reason }),
      toolUseEnded: (chosen, verdict, id, forwarded) =>
        ended.push(`${chosen.tool} ${verdict.decision} ${JSON.stringify(id)} ${forwarded}`),
    },
  });
  return { h, enforcer, cancellations, ended };
}

/** A request of `method` retried with the answers `inputResponses`. */
const carrying = (id: unknown, method: string, inputResponses: unknown) =>
  line({
    jsonrpc: "2.0",
    id,
    method,
    params: { name: "p", _meta: STATELESS, requestState: "s", inputResponses },
  });

Deno.test("RelaySession refuses a retried call whose sampling answer, wrapped under result, chose a blocked tool", () => {
  const { h, enforcer, cancellations } = relayWith({ delete_everything: "block" });
  h.session.fromClient(call(21, "research", {}, {
    _meta: STATELESS,
    requestState: "s",
    inputResponses: { s1: { result: sampled([toolUse("delete_everything")]) } },
  }));
  assert.deepEqual(h.toServer, [], "the retry never reaches the server, which would run it");
  assert.deepEqual(enforcer.calls.map((c) => [c.tool, c.arguments]), [
    ["research", {}],
    ["delete_everything", { path: "/data" }],
  ]);
  const [error] = h.json(h.toClient);
  assert.equal(error.id, 21);
  assert.equal(error.error.code, -32000);
  assert.match(
    error.error.message,
    /the model chose tool "delete_everything" on server "srv", which thoth blocked/,
  );
  assert.equal(cancellations.length, 1);
  assert.equal(cancellations[0]!.tool, "research");
  assert.match(cancellations[0]!.reason!, /the model chose tool "delete_everything"/);
  assert.equal(h.session.inFlight, 0);
});

Deno.test("RelaySession decides the tools of both shapes when an entry is the answer and wraps one", () => {
  const { h, enforcer } = relayWith({ rm: "block" });
  h.session.fromClient(call(22, "research", {}, {
    inputResponses: [{ ...sampled(toolUse("lookup")), result: sampled(toolUse("rm")) }],
  }));
  assert.deepEqual(enforcer.calls.map((c) => c.tool), ["research", "lookup", "rm"]);
  assert.deepEqual(h.toServer, []);
  assert.match(h.json(h.toClient)[0].error.message, /the model chose tool "rm"/);
});

for (
  const [label, entry] of [
    ["wrapped twice", { result: { result: sampled(toolUse("lookup")) } }],
    ["under a key a lenient server reads as result", { Result: sampled(toolUse("lookup")) }],
    ["in an array", [sampled(toolUse("lookup"))]],
    ["as a result that is a list of blocks", { result: [toolUse("lookup")] }],
    ["in a content list within the list", sampled([[toolUse("lookup")]])],
  ] as const
) {
  Deno.test(`RelaySession refuses a retried call carrying a tool_use block ${label}`, () => {
    const { h, enforcer, cancellations } = relayWith({});
    h.session.fromClient(call(23, "research", {}, { inputResponses: { s1: entry } }));
    assert.deepEqual(h.toServer, [], "a block thoth cannot read is never passed on");
    assert.deepEqual(enforcer.calls.map((c) => c.tool), ["research"]);
    const [error] = h.json(h.toClient);
    assert.equal(error.id, 23);
    assert.equal(error.error.code, -32000);
    assert.match(
      error.error.message,
      /^thoth refused the client's answer to this sampling request: a tool_use block at \S+ is not where thoth reads one/,
    );
    assert.equal(cancellations.length, 1);
    assert.match(cancellations[0]!.reason!, /in inputResponses: a tool_use block at/);
  });
}

Deno.test("RelaySession refuses a wrapped answer it cannot read for sure, and names where", () => {
  const { h } = relayWith({});
  h.session.fromClient(call(24, "research", {}, {
    inputResponses: { s1: { result: { Content: [toolUse("lookup")] } } },
  }));
  assert.deepEqual(h.toServer, []);
  assert.match(h.json(h.toClient)[0].error.message, /its result: the result has the key "Content"/);
});

Deno.test("RelaySession forwards a retried call whose wrapped answers choose nothing or allowed tools", async () => {
  const { h, enforcer, ended } = relayWith({}, true);
  const bytes = call(25, "research", {}, {
    inputResponses: {
      s1: { result: sampled(toolUse("lookup", { q: "y" })) },
      s2: { result: { action: "accept", content: { name: "Ana" } } },
      s3: { result: sampled({ type: "text", text: "hi" }) },
      s4: { error: { code: -1, message: "declined" } },
    },
  });
  h.session.fromClient(bytes);
  await settle();
  assert.deepEqual(h.toServer, [bytes]);
  assert.deepEqual(enforcer.calls.map((c) => [c.tool, c.arguments]), [
    ["research", {}],
    ["lookup", { q: "y" }],
  ]);
  assert.deepEqual(ended, ["lookup allow 25 true"]);
});

Deno.test("RelaySession gates inputResponses under a key a lenient server reads as inputResponses", () => {
  const { h, enforcer } = relayWith({ delete_everything: "block" });
  h.session.fromClient(call(26, "research", {}, {
    InputResponses: { s1: sampled(toolUse("delete_everything")) },
  }));
  assert.deepEqual(h.toServer, []);
  assert.deepEqual(enforcer.calls.map((c) => c.tool), ["research", "delete_everything"]);
});

for (
  const method of [
    "prompts/get",
    "resources/read",
    "completion/complete",
    "tasks/result",
    "x-vendor/anything",
  ]
) {
  for (
    const [shape, entry] of [
      ["as it is", sampled([toolUse("delete_everything")])],
      ["wrapped under result", { result: sampled([toolUse("delete_everything")]) }],
    ] as const
  ) {
    Deno.test(`RelaySession refuses a ${method} whose inputResponses choose a blocked tool (${shape})`, () => {
      const { h, enforcer, cancellations, ended } = relayWith({ delete_everything: "block" });
      h.session.fromClient(carrying(11, method, { s1: entry }));
      assert.deepEqual(h.toServer, [], "the request never reaches the server, which would run it");
      assert.deepEqual(enforcer.calls.map((c) => [c.tool, c.arguments]), [
        ["delete_everything", { path: "/data" }],
      ]);
      const [error] = h.json(h.toClient);
      assert.equal(error.id, 11);
      assert.equal(error.error.code, -32000);
      assert.match(
        error.error.message,
        /the model chose tool "delete_everything" on server "srv", which thoth blocked by rule "rule-delete_everything"/,
      );
      assert.deepEqual(ended, ["delete_everything block 11 false"]);
      assert.deepEqual(cancellations.map((c) => [c.id, c.tool]), [[11, undefined]]);
      assert.match(
        cancellations[0]!.reason!,
        new RegExp(`this ${method} request carries in inputResponses: the model chose tool`),
      );
      assert.match(
        h.notes.join("\n"),
        new RegExp(`refused "${method}" request 11: .*; the request was not forwarded`),
      );
      assert.equal(h.session.inFlight, 0);
      // The id is free again.
      h.session.fromClient(line({ jsonrpc: "2.0", id: 11, method: "ping" }));
      assert.equal(h.toServer.length, 1);
    });
  }
}

Deno.test("RelaySession refuses a prompts/get whose inputResponses it cannot read for sure", () => {
  const { h, enforcer } = relayWith({});
  h.session.fromClient(carrying(12, "prompts/get", { s1: [sampled(toolUse("lookup"))] }));
  assert.deepEqual(h.toServer, []);
  assert.deepEqual(enforcer.calls, []);
  const [error] = h.json(h.toClient);
  assert.equal(error.error.code, -32000);
  assert.match(
    error.error.message,
    /a tool_use block at \[0\]\.content is not where thoth reads one/,
  );
});

Deno.test("RelaySession holds a resources/read while its inputResponses are decided, then forwards it as its bytes", async () => {
  let decide: () => void = () => {};
  const later = new Promise<void>((resolve) => decide = resolve);
  const { h, enforcer, ended } = relayWith({});
  const inner = enforcer.decide;
  enforcer.decide = (c, ids) => later.then(() => inner(c, ids));
  const bytes = carrying(13, "resources/read", { s1: { result: sampled(toolUse("lookup")) } });
  h.session.fromClient(bytes);
  await settle();
  assert.deepEqual(h.toServer, [], "not before its tools are decided");
  assert.equal(h.session.inFlight, 1, "held");
  h.session.fromClient(line({ jsonrpc: "2.0", id: 13, method: "ping" }));
  assert.equal(h.json(h.toClient)[0].error.code, -32600, "its id is in use while it is held");
  decide();
  await settle();
  assert.deepEqual(h.toServer, [bytes]);
  assert.deepEqual(ended, ["lookup allow 13 true"]);
  h.session.fromServer(line({ jsonrpc: "2.0", id: 13, result: { contents: [] } }));
  assert.equal(h.json(h.toClient).at(-1).id, 13, "its answer goes to the client");
  assert.equal(h.session.inFlight, 0);
});

Deno.test("RelaySession forwards nothing when the client cancels a prompts/get while its inputResponses are decided", async () => {
  let decide: () => void = () => {};
  const later = new Promise<void>((resolve) => decide = resolve);
  const { h, enforcer, cancellations, ended } = relayWith({});
  const inner = enforcer.decide;
  enforcer.decide = (c, ids) => later.then(() => inner(c, ids));
  h.session.fromClient(carrying(14, "prompts/get", { s1: sampled(toolUse("lookup")) }));
  h.session.fromClient(line({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: 14 },
  }));
  decide();
  await settle();
  assert.deepEqual(h.toServer, []);
  assert.deepEqual(h.toClient, []);
  assert.deepEqual(cancellations.map((c) => [c.id, c.tool]), [[14, undefined]]);
  assert.deepEqual(ended, ["lookup allow 14 false"]);
  assert.equal(h.session.inFlight, 0);
});

Deno.test("RelaySession forwards the rest of a batch whose prompts/get it refused for its inputResponses", () => {
  const { h } = relayWith({ delete_everything: "block" });
  h.session.fromClient(line([
    { jsonrpc: "2.0", id: 15, method: "ping" },
    {
      jsonrpc: "2.0",
      id: 16,
      method: "prompts/get",
      params: { name: "p", inputResponses: { s1: sampled(toolUse("delete_everything")) } },
    },
  ]));
  assert.deepEqual(h.json(h.toServer).flat().map((m) => m.id), [15]);
  assert.deepEqual(
    h.json(h.toClient).map((m) =>
      m.map((a: { id: unknown; error?: { code: number } }) => [a.id, a.error?.code])
    ),
    [[[16, -32000]]],
  );
});

Deno.test("RelaySession forwards a request without inputResponses, or with answers that choose no tools, as it is", () => {
  const { h, enforcer } = relayWith({});
  const plain = line({ jsonrpc: "2.0", id: 17, method: "prompts/get", params: { name: "p" } });
  const text = carrying(18, "prompts/get", {
    s1: sampled({ type: "text", text: "hi" }),
    s2: { result: { action: "decline" } },
    s3: "odd",
  });
  h.session.fromClient(plain);
  h.session.fromClient(text);
  assert.deepEqual(h.toServer, [plain, text]);
  assert.deepEqual(enforcer.calls, []);
});

Deno.test("RelaySession relays no inputResponses in a message it cannot answer: a notification, or an id that is no id", () => {
  const { h } = relayWith({ delete_everything: "block" });
  const answers = { s1: sampled([toolUse("delete_everything")]) };
  const params = { name: "p", _meta: STATELESS, requestState: "s", inputResponses: answers };
  h.session.fromClient(line({ jsonrpc: "2.0", method: "prompts/get", params }));
  for (const id of [null, true, {}, []]) {
    h.session.fromClient(line({ jsonrpc: "2.0", id, method: "prompts/get", params }));
  }
  // In a batch, beside a request that goes on.
  h.session.fromClient(line([
    { jsonrpc: "2.0", method: "prompts/get", params },
    { jsonrpc: "2.0", id: 5, method: "ping" },
  ]));
  const relayed = h.json(h.toServer);
  assert.ok(
    !JSON.stringify(relayed).includes("inputResponses"),
    `relayed: ${JSON.stringify(relayed)}`,
  );
  assert.ok(JSON.stringify(relayed).includes('"ping"'), "the batch's request goes on");
  assert.match(
    h.notes.join("\n"),
    /dropped a "prompts\/get" notification that carries inputResponses/,
  );
  assert.match(h.notes.join("\n"), /carries inputResponses under an id that is not a string/);
  // A notification without them is relayed as before.
  h.session.fromClient(line({ jsonrpc: "2.0", method: "notifications/progress", params: {} }));
  assert.match(JSON.stringify(h.json(h.toServer)), /notifications\/progress/);
});
