/**
 * A server line whose envelope names a key twice answers different requests
 * to different readers (`JSON.parse` keeps the last `id`, others the first,
 * a strict one refuses the line): it never reaches the client, and the call
 * the parsed message answers gets an error. A key repeated inside a result
 * is the result's own business, and goes on.
 */
import assert from "node:assert/strict";
import { call, enforcerOf, rawRelay, settle } from "./_raw_relay.ts";
import { repeatedEnvelopeKey } from "../../src/protocol/repeated_envelope_key.ts";

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(`${text}\n`);
const filler = "x".repeat(300 * 1024);

Deno.test("repeatedEnvelopeKey() finds a repeated envelope key, never one inside a value", () => {
  const found = (text: string) => repeatedEnvelopeKey(encoder.encode(text), text);
  assert.equal(found('{"jsonrpc":"2.0","id":5,"result":{},"id":7}'), "id");
  assert.equal(found('{"jsonrpc":"2.0","id":5,"result":{},"i\\u0064":7}'), "id");
  assert.equal(found('{"jsonrpc":"2.0","id":5,"result":{},"result":{"x":1}}'), "result");
  assert.equal(found('{"jsonrpc":"2.0","id":5,"result":{"id":1,"items":[{"id":2}]}}'), undefined);
  assert.equal(found('{"jsonrpc":"2.0","id":5,"result":{"text":"\\"id\\":7"}}'), undefined);
  assert.equal(found('{"jsonrpc":"2.0","id":5,"result":{}}'), undefined);
});

for (
  const [name, text] of [
    ["plain", '{"jsonrpc":"2.0","id":5,"result":{"content":[]},"id":7}'],
    ["escaped", '{"jsonrpc":"2.0","id":5,"result":{"content":[]},"i\\u0064":7}'],
    [
      "large",
      `{"jsonrpc":"2.0","id":5,"result":{"content":[{"type":"text","text":"${filler}"}]},"id":7}`,
    ],
  ] as const
) {
  Deno.test(`RelaySession never relays a server answer that names its id twice (${name})`, async () => {
    const h = rawRelay({ enforcer: enforcerOf({}) });
    h.session.fromClient(call(5, "echo"));
    h.session.fromClient(call(7, "echo"));
    await settle();
    assert.equal(h.toServer.length, 2);
    const line = bytes(text);
    // As it arrives from a pipe: in chunks (a large line takes the envelope-only path first).
    const parts: Uint8Array[] = [];
    for (let i = 0; i < line.length; i += 65536) {
      parts.push(line.subarray(i, Math.min(line.length, i + 65536)));
    }
    h.session.fromServerParts(parts);
    const sent = h.json(h.toClient);
    assert.ok(sent.every((m) => m.result === undefined), "no result reached the client");
    assert.deepEqual(sent.map((m) => m.id), [7], "the id the parsed message answers gets an error");
    assert.match(h.notes.join("\n"), /the key "id" twice/);
    assert.ok(!h.events.some((e) => /^outcome 7 echo false/.test(e)), h.events.join("\n"));
  });
}

Deno.test("RelaySession relays an answer whose result repeats a key inside it, as it came", async () => {
  const h = rawRelay({ enforcer: enforcerOf({}) });
  h.session.fromClient(call(5, "echo"));
  await settle();
  const line = bytes('{"jsonrpc":"2.0","id":5,"result":{"content":[],"meta":{"id":1,"id":2}}}');
  h.session.fromServer(line);
  assert.equal(h.toClient.length, 1);
  assert.deepEqual(h.toClient[0], line);
});
