/**
 * A client batch with an element thoth refuses goes on without it, and every
 * element that goes on is the text the client wrote: ids spelled `3.0`,
 * `1e3` or `-0` stay so (the server echoes the spelling it read, and an
 * answer under another is never the client's), and numbers keep every digit
 * (`1e-400` is not `0`). When a server answers under another spelling all
 * the same, the request is answered with an error at once, its id kept in
 * use until the server's answer under the client's spelling, if one comes.
 */
import assert from "node:assert/strict";
import { enforcerOf, line, rawRelay, settle } from "./_raw_relay.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const raw = (text: string) => enc.encode(text + "\n");
const callText = (idText: string, name: string, argsText = "{}") =>
  `{"jsonrpc":"2.0","id":${idText},"method":"tools/call","params":{"name":"${name}","arguments":${argsText}}}`;
const ARGS = '{"tiny":1e-400,"exact":0.1000000000000000055511151231257827,"big":1E+2}';

Deno.test("RelaySession forwards the elements of a split batch as the client wrote them", () => {
  const h = rawRelay({ enforcer: enforcerOf({ wipe: "block" }) });
  const kept = [callText("3.0", "echo", ARGS), callText("-0", "echo"), callText("1e3", "echo")];
  h.session.fromClient(raw(`[ ${kept[0]},${callText('"w"', "wipe")} ,\t${kept[1]}, ${kept[2]} ]`));
  assert.deepEqual(h.toServer.map((b) => dec.decode(b)), [`[${kept.join(",")}]\n`]);
  assert.equal(h.json(h.toClient)[0][0].id, "w", "the refused element is answered, in an array");
});

Deno.test("RelaySession forwards a batch's held element, once allowed, as the client wrote it", async () => {
  const h = rawRelay({ enforcer: enforcerOf({}, true) });
  const held = callText("1e3", "echo", ARGS);
  const ping = '{"jsonrpc":"2.0","id":2.50,"method":"ping"}';
  h.session.fromClient(raw(`[${held},${ping}]`));
  assert.deepEqual(h.toServer.map((b) => dec.decode(b)), [`[${ping}]\n`]);
  await settle();
  assert.deepEqual(h.toServer.map((b) => dec.decode(b)), [`[${ping}]\n`, `${held}\n`]);
});

Deno.test("RelaySession answers a call at once when the server answers it under another spelling", async () => {
  const h = rawRelay();
  h.session.fromClient(raw(callText("3.0", "echo")));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 3, result: { content: [] } }));
  const [error] = h.toClient.map((b) => dec.decode(b));
  assert.match(error ?? "", /^\{"jsonrpc":"2\.0","id":3\.0,"error":\{"code":-32000,/);
  assert.match(h.events.at(-1)!, /^outcome 3(\.0)? echo true/, "the call's outcome is that error");
  assert.equal(h.session.inFlight, 0);
  // Until the server answers under the client's spelling, the id is not free again.
  h.session.fromClient(raw(callText("3.0", "echo")));
  assert.equal(h.toServer.length, 1, "not forwarded");
  assert.equal(h.json(h.toClient)[1].error.code, -32600);
  h.session.fromServer(raw('{"jsonrpc":"2.0","id":3.0,"result":{"content":[]}}'));
  assert.equal(h.toClient.length, 2, "thoth answered call 3.0: the late answer is no one's");
  assert.ok(h.notes.some((n) => /thoth had already answered that request/.test(n)));
  h.session.fromClient(raw(callText("3.0", "echo")));
  await settle();
  assert.equal(h.toServer.length, 2, "now the id is free");
});
