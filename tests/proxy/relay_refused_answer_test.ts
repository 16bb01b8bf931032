/**
 * A client's answer to a request of the server's that thoth refuses for a
 * defect of its line (a NUL character, a key twice) never reaches the
 * server, which is sent an error for its request instead of waiting forever.
 */
import assert from "node:assert/strict";
import { line, rawRelay } from "./_raw_relay.ts";

const enc = new TextEncoder();

Deno.test("RelaySession answers the server's request with an error when it refuses the client's answer", () => {
  const h = rawRelay();
  h.session.fromServer(line({ jsonrpc: "2.0", id: 100, method: "sampling/createMessage" }));
  h.session.fromClient(enc.encode(
    '{"jsonrpc":"2.0","id":100,"result":{"role":"assistant","model":"m",' +
      '"content":{"type":"text","text":"col1\\u0000col2"}}}\n',
  ));
  const [error] = h.json(h.toServer);
  assert.equal(error.id, 100);
  assert.equal(error.error.code, -32000);
  assert.match(error.error.message, /thoth refused the client's answer: its line had a NUL/);
  assert.equal(h.toServer.length, 1, "the answer itself is not forwarded");
  assert.match(
    h.notes.join("\n"),
    /answered the server's request 100; the server was sent an error/,
  );
  // Answered once: a second refused answer to the same request sends nothing more.
  h.session.fromClient(enc.encode('{"jsonrpc":"2.0","id":100,"result":{"a":1,"a":2}}\n'));
  assert.equal(h.toServer.length, 1);
});

Deno.test("RelaySession answers each server request a refused client batch answered", () => {
  const h = rawRelay();
  h.session.fromServer(line({ jsonrpc: "2.0", id: "r1", method: "roots/list" }));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 2, method: "elicitation/create" }));
  h.session.fromClient(enc.encode(
    '[{"jsonrpc":"2.0","id":"r1","result":{"roots":[]}},' +
      '{"jsonrpc":"2.0","id":2,"result":{"action":"decline"},"id":2},' +
      '{"jsonrpc":"2.0","id":3,"method":"ping"}]\n',
  ));
  assert.deepEqual(h.json(h.toServer).map((m) => [m.id, m.error.code]), [["r1", -32000], [
    2,
    -32000,
  ]]);
  // thoth's own answers to one batch line come as one batch-response array.
  assert.deepEqual(
    h.json(h.toClient).slice(2).flat().map((m) => [m.id, m.error.code]),
    [[3, -32600]],
  );
});

Deno.test("RelaySession sends the server nothing for a refused answer to a request it never made", () => {
  const h = rawRelay();
  h.session.fromClient(enc.encode('{"jsonrpc":"2.0","id":9,"result":{"text":"a\\u0000"}}\n'));
  assert.deepEqual(h.toServer, []);
});
