/**
 * Answers readers disagree on, beyond both result and error: a `"method": ""`
 * beside a result (Go's SDK reads it as a response, the others as a
 * request), an empty method alone, no result and no error, an `error` that
 * is not an object, a `jsonrpc` absent or not "2.0". None is forwarded,
 * either way: from the client the server's request gets an error and any
 * result is still decided for the tools a model chose; from the server the
 * call it names gets an error, recorded as its outcome. An error without an
 * id from the server, which JSON-RPC allows and no client can take for an
 * answer to a request, goes on as it came.
 */
import assert from "node:assert/strict";
import { call, enforcerOf, line, rawRelay, settle } from "./_raw_relay.ts";
import { RESULT, sampling, sent } from "./_sampling_answer.ts";

/** A relay whose server asked for sampling under the id 0. */
function asked() {
  const enforcer = enforcerOf({});
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(sampling(0)));
  assert.equal(h.toClient.length, 1);
  return { h, enforcer };
}

/** A relay with the client's tools/call 1 forwarded to the server. */
async function calling() {
  const h = rawRelay();
  h.session.fromClient(call(1, "research"));
  await settle();
  assert.equal(h.toServer.length, 1);
  return h;
}

/** The client's answer variants that must never reach the server, with what the note names. */
const CLIENT_ANSWERS: [string, unknown, RegExp][] = [
  [
    '"method": "" beside a result',
    { jsonrpc: "2.0", id: 0, method: "", result: RESULT },
    /it has a method \(an empty string\) beside its result/,
  ],
  [
    '"method": null beside a result',
    { jsonrpc: "2.0", id: 0, method: null, result: RESULT },
    /it has a method \(null, not a name\) beside its result/,
  ],
  ["no jsonrpc", { id: 0, result: RESULT }, /it has no jsonrpc "2.0"/],
  ['"jsonrpc": "1.0"', { jsonrpc: "1.0", id: 0, result: RESULT }, /its jsonrpc "1.0"/],
];

for (const [name, answer, what] of CLIENT_ANSWERS) {
  Deno.test(`RelaySession refuses a client answer with ${name} and decides its tool_use`, async () => {
    for (const batched of [false, true]) {
      const { h, enforcer } = asked();
      const ping = { jsonrpc: "2.0", method: "notifications/progress", params: {} };
      h.session.fromClient(line(batched ? [ping, answer] : answer));
      await settle();
      const out = sent(h.toServer);
      assert.ok(!out.includes("tool_use"), `${name}: the answer reached the server: ${out}`);
      const errors = h.json(h.toServer).filter((m) => !Array.isArray(m));
      assert.deepEqual(errors.map((m) => m.id), [0], "the waiting request gets an error");
      assert.match(errors[0].error.message, what);
      assert.deepEqual(enforcer.calls.map((c) => c.tool), ["delete_everything"]);
      assert.match(h.notes.join("\n"), /refused the client's answer to the server's request 0/);
    }
  });
}

Deno.test("RelaySession refuses a client answer whose error is not an object", () => {
  for (const error of ["boom", null, 7]) {
    const { h, enforcer } = asked();
    h.session.fromClient(line({ jsonrpc: "2.0", id: 0, error }));
    const [reply] = h.json(h.toServer);
    assert.equal(h.toServer.length, 1);
    assert.equal(reply.id, 0);
    assert.match(reply.error.message, /its error .* is not an object/);
    assert.equal(typeof reply.error, "object");
    assert.equal(enforcer.calls.length, 0);
  }
});

Deno.test("RelaySession refuses a client message whose method is empty and that answers nothing", () => {
  const { h } = asked();
  // Under the id of the server's request: the server is sent an error.
  h.session.fromClient(line({ jsonrpc: "2.0", id: 0, method: "" }));
  assert.deepEqual(h.json(h.toServer).map((m) => [m.id, typeof m.error]), [[0, "object"]]);
  assert.match(h.json(h.toServer)[0].error.message, /neither result nor error/);
  // Under no such id, or none: refused, never forwarded.
  h.session.fromClient(line({ jsonrpc: "2.0", id: 9, method: "" }));
  h.session.fromClient(line({ jsonrpc: "2.0", method: "", params: {} }));
  assert.equal(h.toServer.length, 1, sent(h.toServer));
  assert.match(h.notes.join("\n"), /refused a message whose method is empty or not a string/);
});

Deno.test("RelaySession refuses a server answer with an empty method and fails the call", async () => {
  for (
    const value of [
      { jsonrpc: "2.0", id: 1, method: "", result: { content: [] } },
      { jsonrpc: "2.0", id: 1, method: "" },
    ]
  ) {
    for (const batched of [false, true]) {
      const h = await calling();
      h.session.fromServer(line(batched ? [value] : value));
      const replies = h.json(h.toClient);
      assert.equal(replies.length, 1, sent(h.toClient));
      assert.ok(!Array.isArray(replies[0]), "nothing of the server's line reached the client");
      assert.equal(replies[0].id, 1);
      assert.match(replies[0].error.message, /thoth refused the server's answer: .*method/);
      assert.ok(!("method" in replies[0]));
      assert.ok(h.events.includes("outcome 1 research true undefined"), h.events.join("\n"));
    }
  }
});

Deno.test("RelaySession fails the call a server answer with neither result nor error names", async () => {
  const h = await calling();
  h.session.fromServer(line({ jsonrpc: "2.0", id: 1 }));
  const [reply] = h.json(h.toClient);
  assert.equal(h.toClient.length, 1);
  assert.equal(reply.id, 1);
  assert.match(reply.error.message, /neither result nor error/);
  // A later good answer answers nothing: the outcome was the error the client was told.
  h.session.fromServer(line({ jsonrpc: "2.0", id: 1, result: { content: [] } }));
  assert.equal(h.toClient.length, 1);
  assert.deepEqual(h.events.filter((e) => e.startsWith("outcome")), [
    "outcome 1 research true undefined",
  ]);
  // Under an id no call waits on: dropped too.
  h.session.fromServer(line({ jsonrpc: "2.0", id: 44 }));
  assert.equal(h.toClient.length, 1);
});

Deno.test("RelaySession refuses a server answer whose error is not an object, or without jsonrpc 2.0", async () => {
  const variants: [unknown, RegExp][] = [
    [{ jsonrpc: "2.0", id: 1, error: null }, /its error null is not an object/],
    [{ jsonrpc: "2.0", id: 1, error: "boom" }, /its error "boom" is not an object/],
    [{ id: 1, result: { content: [] } }, /it has no jsonrpc "2.0"/],
    [{ jsonrpc: "1.0", id: 1, result: { content: [] } }, /its jsonrpc "1.0" is not "2.0"/],
  ];
  for (const [value, what] of variants) {
    const h = await calling();
    h.session.fromServer(line(value));
    const [reply] = h.json(h.toClient);
    assert.equal(h.toClient.length, 1, JSON.stringify(value));
    assert.equal(reply.jsonrpc, "2.0");
    assert.equal(reply.id, 1);
    assert.equal(typeof reply.error, "object");
    assert.match(reply.error.message, what);
    assert.ok(h.events.includes("outcome 1 research true undefined"), h.events.join("\n"));
  }
});

Deno.test("RelaySession relays a server error without an id as it came", () => {
  const h = rawRelay();
  const bytes = new TextEncoder().encode(
    '{"jsonrpc":"2.0", "error":{"code":-32700,"message":"Parse error"}}\n',
  );
  h.session.fromServer(bytes);
  assert.deepEqual(h.toClient, [bytes]);
  assert.deepEqual(h.notes, []);
  // Not one whose error is no object.
  h.session.fromServer(line({ jsonrpc: "2.0", error: "Parse error" }));
  assert.equal(h.toClient.length, 1);
});
