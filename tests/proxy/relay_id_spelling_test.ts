/**
 * An answer reaches the client only under the exact id its request was
 * sent with: a server answer under another spelling of a forwarded
 * request's id (`2.0` for `2`, `1152921504606847000` for
 * `1152921504606846977`, which is the same double) is one a client that
 * matches ids exactly never takes for its answer. It is dropped with a
 * note, and the request is answered with an error at once (the server
 * answered it, once): that error is the call's outcome. An answer the
 * server sends later under the client's spelling is dropped too.
 */
import assert from "node:assert/strict";
import { call, line, rawRelay } from "./_raw_relay.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const raw = (text: string) => enc.encode(text + "\n");
const answer = (idText: string, text: string) =>
  raw(`{"jsonrpc":"2.0","id":${idText},"result":{"content":[{"type":"text","text":"${text}"}]}}`);
const cancel = (requestId: unknown) =>
  line({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId } });

for (
  const [sent, forged] of [
    ["2", "2.0"],
    ["2", "2e0"],
    ["2.0", "2"],
    ["1152921504606846977", "1152921504606847000"],
  ] as const
) {
  Deno.test(`RelaySession drops the server's answer ${forged} to the call ${sent}, and answers ${sent} with an error`, () => {
    const h = rawRelay();
    h.session.fromClient(
      raw(`{"jsonrpc":"2.0","id":${sent},"method":"tools/call","params":{"name":"echo"}}`),
    );
    assert.equal(h.toServer.length, 1);
    h.session.fromServer(answer(forged, "FORGED"));
    assert.equal(h.toClient.length, 1, "the other spelling is not relayed: thoth's error is");
    const error = dec.decode(h.toClient[0]!);
    assert.match(error, new RegExp(`"id":${sent.replace(".", "\\.")},`));
    assert.match(error, /"error":\{"code":-32000,/);
    assert.doesNotMatch(error, /FORGED/);
    assert.equal(
      h.notes.filter((n) => /dropped a response .* not written as the client/.test(n)).length,
      1,
    );
    assert.match(h.events.at(-1)!, /^outcome .* echo true undefined/);
    assert.equal(h.session.inFlight, 0, "the call no longer waits");
    // An answer the server sends later under the client's spelling is no one's.
    h.session.fromServer(answer(sent, "real"));
    assert.equal(h.toClient.length, 1);
    assert.ok(h.notes.some((n) => /thoth had already answered that request/.test(n)));
  });
}

Deno.test("RelaySession drops another spelling inside a server batch, and relays the rest", () => {
  const h = rawRelay();
  h.session.fromClient(call(2, "echo"));
  h.session.fromClient(call(3, "echo"));
  h.session.fromServer(
    raw(
      '[{"jsonrpc":"2.0","id":2.0,"result":{"content":[]}},{"jsonrpc":"2.0","id":3,"result":{"content":[]}}]',
    ),
  );
  const [error, batch] = h.json(h.toClient);
  assert.equal(error.id, 2);
  assert.equal(error.error.code, -32000);
  assert.deepEqual(batch, [{ jsonrpc: "2.0", id: 3, result: { content: [] } }]);
  assert.equal(h.session.inFlight, 0);
});

Deno.test("RelaySession answers a request under the id as the client wrote it", () => {
  const h = rawRelay();
  h.session.fromClient(raw('{"jsonrpc":"2.0","id":5.0,"method":"tools/call","params":{}}'));
  assert.equal(h.toServer.length, 0, "an uninspectable call is refused");
  assert.match(dec.decode(h.toClient[0]!), /"id":5\.0,/);
});

Deno.test("RelaySession takes a late answer to a cancelled call only under its own spelling", () => {
  const h = rawRelay();
  h.session.fromClient(call(4, "echo"));
  h.session.fromClient(cancel(4));
  h.session.fromServer(answer("4.0", "FORGED"));
  assert.equal(h.toClient.length, 0);
  assert.ok(!h.events.some((e) => e.startsWith("late outcome")), h.events.join("\n"));
  h.session.fromServer(answer("4", "late"));
  assert.equal(h.toClient.length, 1);
  assert.match(h.events.at(-1)!, /^late outcome 4 d-1 echo false .*late/);
});

Deno.test("RelaySession checks the spelling of a large answer's id too", () => {
  const h = rawRelay();
  h.session.fromClient(call(6, "echo"));
  const big = "x".repeat(300 * 1024);
  h.session.fromServer(answer("6.0", big));
  assert.equal(h.toClient.length, 1);
  assert.equal(h.json(h.toClient)[0].error.code, -32000);
  assert.equal(h.session.inFlight, 0);
  h.session.fromServer(answer("6", big));
  assert.equal(h.toClient.length, 1, "dropped: thoth answered call 6");
});
