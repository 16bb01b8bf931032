/**
 * A request of the server's under an id one of its requests still waiting
 * for the client's answer uses (exactly, or an id the relay reads as it) is
 * refused: the server gets an error naming the id, the client never sees
 * it, and the first request stays remembered, so that the client's answer
 * to a sampling request is still decided as one.
 */
import assert from "node:assert/strict";
import { enforcerOf, line, rawRelay, toolUse } from "./_raw_relay.ts";
import { RESULT, sampling, sent } from "./_sampling_answer.ts";

const enc = new TextEncoder();

const roots = (id: unknown) => ({ jsonrpc: "2.0", id, method: "roots/list" });
const ping = (id: unknown) => ({ jsonrpc: "2.0", id, method: "ping" });

Deno.test("RelaySession refuses a server request under the id of its sampling request in flight, and still decides the sampling answer", () => {
  for (const second of [roots("s1"), ping("s1")]) {
    const enforcer = enforcerOf({ delete_everything: "block" });
    const h = rawRelay({ enforcer });
    h.session.fromServer(line(sampling("s1")));
    h.session.fromServer(line(second));
    assert.deepEqual(
      h.json(h.toClient).map((m) => m.method),
      ["sampling/createMessage"],
      "only the first request reaches the client",
    );
    const [refusal] = h.json(h.toServer);
    assert.equal(refusal.id, "s1");
    assert.equal(refusal.error.code, -32600);
    assert.match(refusal.error.message, /the id "s1" is in use by an earlier request of yours/);
    assert.match(
      h.notes.join("\n"),
      new RegExp(
        `refused the server's "${second.method}" request under the id "s1": an earlier ` +
          "request of the server's under that id still waits for the client's answer",
      ),
    );
    h.toServer.length = 0;
    // The client's answer is the sampling request's: the tool its model chose is decided.
    h.session.fromClient(line({ jsonrpc: "2.0", id: "s1", result: RESULT }));
    assert.equal(enforcer.calls[0]?.tool, "delete_everything");
    const [error] = h.json(h.toServer);
    assert.equal(error.id, "s1");
    assert.equal(error.error.code, -32000);
    assert.match(error.error.message, /thoth blocked by rule "rule-delete_everything"/);
    assert.equal(h.toServer.length, 1, "the answer itself never reaches the server");
  }
});

Deno.test("RelaySession refuses a server request under an id that reads as one in flight", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(sampling(7)));
  // `7.0` parses to 7; `"7"` is 7 to a client that matches ids with `Number(id)`.
  h.session.fromServer(enc.encode('{"jsonrpc":"2.0","id":7.0,"method":"roots/list"}\n'));
  h.session.fromServer(line(roots("7")));
  h.session.fromServer(line(sampling("8")));
  h.session.fromServer(line(ping(8)));
  assert.deepEqual(
    h.json(h.toClient).map((m) => [m.id, m.method]),
    [[7, "sampling/createMessage"], ["8", "sampling/createMessage"]],
  );
  assert.deepEqual(
    h.json(h.toServer).map((m) => [m.id, m.error.code]),
    [[7, -32600], ["7", -32600], [8, -32600]],
  );
  assert.match(
    h.notes.join("\n"),
    /refused the server's "roots\/list" request under the id "7": the server's earlier request 7, whose id reads the same, still waits/,
  );
  h.toServer.length = 0;
  h.session.fromClient(line({ jsonrpc: "2.0", id: 7, result: RESULT }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: "8", result: RESULT }));
  assert.deepEqual(enforcer.calls.map((c) => c.tool), ["delete_everything", "delete_everything"]);
  assert.deepEqual(h.json(h.toServer).map((m) => [m.id, m.error.code]), [[7, -32000], [
    "8",
    -32000,
  ]]);
});

Deno.test("RelaySession refuses the second of two server requests under one id in one batch, and relays the first", () => {
  const h = rawRelay();
  h.session.fromServer(line([sampling("b"), roots("b")]));
  assert.deepEqual(h.json(h.toClient), [[sampling("b")]]);
  assert.deepEqual(h.json(h.toServer).map((m) => [m.id, m.error.code]), [["b", -32600]]);
});

Deno.test("RelaySession relays a server request under an id once its earlier request was answered", () => {
  const h = rawRelay();
  h.session.fromServer(line(roots("r")));
  h.session.fromClient(line({ jsonrpc: "2.0", id: "r", result: { roots: [] } }));
  h.session.fromServer(line(sampling("r")));
  assert.deepEqual(h.json(h.toClient).map((m) => m.method), [
    "roots/list",
    "sampling/createMessage",
  ]);
  assert.equal(sent(h.toServer), '{"jsonrpc":"2.0","id":"r","result":{"roots":[]}}\n');
  // The answer to the new request is read as a sampling answer again.
  const enforcer = enforcerOf({ delete_everything: "block" });
  const g = rawRelay({ enforcer });
  g.session.fromServer(line(ping("r")));
  g.session.fromClient(line({ jsonrpc: "2.0", id: "r", result: {} }));
  g.session.fromServer(line(sampling("r")));
  g.session.fromClient(
    line({
      jsonrpc: "2.0",
      id: "r",
      result: { ...RESULT, content: [toolUse("delete_everything")] },
    }),
  );
  assert.equal(enforcer.calls.length, 1);
});

Deno.test("RelaySession notes the first few server requests refused for a reused id, then counts them", () => {
  const h = rawRelay();
  h.session.fromServer(line(sampling("s")));
  for (let i = 0; i < 1000; i++) h.session.fromServer(line(ping("s")));
  assert.equal(h.toServer.length, 1000, "each one is answered with an error");
  assert.equal(h.toClient.length, 1);
  assert.equal(h.notes.length, 7);
  assert.match(h.notes[4]!, /; further such requests are counted, not noted$/);
  assert.match(h.notes[5]!, /^refused 100 requests of the server's so far under ids/);
  assert.match(h.notes[6]!, /^refused 1000 requests of the server's so far under ids/);
});
