/**
 * A response JSON-RPC does not allow (both `result` and `error`, neither, or
 * an id that is not a string or a number) is read differently by different
 * peers: pydantic takes `{"result":…,"error":null}` for a result and
 * `"id": false` for the id 0. From the client it never reaches the server
 * (the tools a model chose in it could run unchecked); the server's request
 * it names gets an error, and its result is still decided, for the record.
 * From the server it never reaches the client; the call it answers gets an
 * error, recorded as its outcome.
 */
import assert from "node:assert/strict";
import { call, enforcerOf, line, rawRelay, settle } from "./_raw_relay.ts";
import { RESULT, sampling, sent } from "./_sampling_answer.ts";
import { LARGE_LINE_BYTES } from "../../src/proxy/relay_session.ts";

/** The variants a lenient server reads as a result under a request's id. */
const MALFORMED: [string, (id: number) => Record<string, unknown>][] = [
  ['"error": null', (id) => ({ jsonrpc: "2.0", id, result: RESULT, error: null })],
  ['"error": 0', (id) => ({ jsonrpc: "2.0", id, result: RESULT, error: 0 })],
  ['"id": false', () => ({ jsonrpc: "2.0", id: false, result: RESULT })],
  ['"id": true', () => ({ jsonrpc: "2.0", id: true, result: RESULT })],
];

/** A relay whose server asked for sampling under the ids 0, 1 and 100 (none blocked). */
function asked() {
  const enforcer = enforcerOf({});
  const h = rawRelay({ enforcer });
  for (const id of [0, 1, 100]) h.session.fromServer(line(sampling(id)));
  return { h, enforcer };
}

for (const [name, answer] of MALFORMED) {
  Deno.test(`RelaySession never forwards a client answer with ${name}, alone or in a batch`, async () => {
    for (const target of [100, 0, 1, 555]) {
      for (const batched of [false, true]) {
        const { h, enforcer } = asked();
        const value = answer(target);
        const ping = { jsonrpc: "2.0", method: "notifications/progress", params: {} };
        h.session.fromClient(line(batched ? [ping, value] : value));
        await settle();
        const out = sent(h.toServer);
        assert.ok(!out.includes("tool_use"), `${name} to ${target}: the answer reached the server`);
        assert.ok(!out.includes('"result"'), `${name} to ${target}: no result reached the server`);
        if (batched) assert.match(out, /notifications\/progress/, "the rest of the batch goes on");
        const usable = typeof value["id"] === "number";
        if (usable && target !== 555) {
          const errors = h.json(h.toServer).filter((m) => !Array.isArray(m));
          assert.deepEqual(errors.map((m) => m.id), [target], "the waiting request gets an error");
          assert.match(errors[0].error.message, /both result and error/);
        }
        if (usable) {
          // The result is read for the tools the model chose, and each is decided.
          assert.deepEqual(enforcer.calls.map((c) => c.tool), ["delete_everything"]);
        }
        assert.equal(h.notes.length, 1, `one note: ${h.notes.join(" | ")}`);
        assert.match(
          h.notes[0]!,
          usable
            ? /refused the client's answer to the server's request \d+: it is not a response JSON-RPC allows: it has both result and error/
            : /refused an answer from the client: it is not a response JSON-RPC allows: its id (false|true) is not a string or a number/,
        );
      }
    }
  });
}

Deno.test("RelaySession refuses a client answer with neither result nor error, and tells the server", () => {
  const { h } = asked();
  h.session.fromClient(line({ jsonrpc: "2.0", id: 100 }));
  const [error] = h.json(h.toServer);
  assert.equal(error.id, 100);
  assert.match(error.error.message, /neither result nor error/);
  assert.equal(h.toServer.length, 1);
});

Deno.test("RelaySession refuses the answer still when its blocked tool already refused it", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(sampling(100)));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 100, result: RESULT, error: null }));
  assert.equal(enforcer.calls.length, 1);
  assert.deepEqual(h.json(h.toServer).map((m) => [m.id, "error" in m]), [[100, true]]);
});

Deno.test("RelaySession passes a well-formed error answer and a well-formed result answer", () => {
  const { h } = asked();
  const error = line({ jsonrpc: "2.0", id: 0, error: { code: -1, message: "no" } });
  h.session.fromClient(error);
  const text = line({
    jsonrpc: "2.0",
    id: 1,
    result: { role: "assistant", model: "m", content: { type: "text", text: "hi" } },
  });
  h.session.fromClient(text);
  assert.deepEqual(h.toServer, [error, text]);
  assert.deepEqual(h.notes, []);
});

Deno.test("RelaySession refuses a server answer to a tools/call with both result and error", () => {
  for (const error of [null, 0, { code: -1, message: "x" }]) {
    const h = rawRelay();
    h.session.fromClient(call(5, "research"));
    h.session.fromServer(line({
      jsonrpc: "2.0",
      id: 5,
      result: { content: [{ type: "text", text: "done" }] },
      error,
    }));
    const [answer] = h.json(h.toClient);
    assert.equal(h.toClient.length, 1);
    assert.equal(answer.id, 5);
    assert.ok(!("result" in answer), "the client is never sent the result");
    assert.match(
      answer.error.message,
      /thoth refused the server's answer: .*both result and error/,
    );
    // Recorded as what the client was told: an error.
    assert.ok(h.events.includes("outcome 5 research true undefined"), h.events.join("\n"));
    assert.match(h.notes.join("\n"), /refused the server's answer to request 5/);
  }
});

Deno.test("RelaySession drops a server answer whose id is not a string or a number", () => {
  for (const id of [false, true, {}, [0]]) {
    const h = rawRelay();
    h.session.fromClient(call(0, "research"));
    h.session.fromServer(line({ jsonrpc: "2.0", id, result: { content: [] } }));
    h.session.fromServer(line([{ jsonrpc: "2.0", id, result: { content: [] } }]));
    assert.deepEqual(h.toClient, [], `id ${JSON.stringify(id)}`);
    assert.match(h.notes.join("\n"), /dropped a response from the server: .*is not a string/);
  }
  // A null id with an error only is one JSON-RPC allows: it goes on.
  const h = rawRelay();
  const bytes = line({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse" } });
  h.session.fromServer(bytes);
  assert.deepEqual(h.toClient, [bytes]);
});

Deno.test("RelaySession reads a large server answer with an error key whole, and refuses both", () => {
  const h = rawRelay();
  h.session.fromClient(call(5, "research"));
  const big = "x".repeat(LARGE_LINE_BYTES + 10);
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 5,
    result: { content: [{ type: "text", text: big }] },
    error: null,
  }));
  const [answer] = h.json(h.toClient);
  assert.equal(h.toClient.length, 1);
  assert.ok(!("result" in answer));
  assert.ok(h.events.includes("outcome 5 research true undefined"), h.events.join("\n"));
});
