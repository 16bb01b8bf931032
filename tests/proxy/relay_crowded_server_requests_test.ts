/**
 * While 1,024 of the server's requests wait for the client's answer, its
 * next request is refused: the server gets an error, the client never sees
 * it, and no request in flight is forgotten, so that a server cannot push
 * its sampling request out and reuse the id for another request (whose
 * answer is not decided).
 */
import assert from "node:assert/strict";
import { enforcerOf, line, rawRelay } from "./_raw_relay.ts";
import { RESULT, sampling } from "./_sampling_answer.ts";

const ping = (id: unknown) => ({ jsonrpc: "2.0", id, method: "ping" });
const roots = (id: unknown) => ({ jsonrpc: "2.0", id, method: "roots/list" });

Deno.test("RelaySession refuses a server request while 1024 wait, and keeps its sampling request in flight", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(sampling("s1")));
  for (let i = 0; i < 1023; i++) h.session.fromServer(line(ping(`p${i}`)));
  assert.equal(h.toClient.length, 1024);
  assert.equal(h.toServer.length, 0);
  // The 1,025th would have pushed "s1" out; then "s1" would be free for a roots/list.
  h.session.fromServer(line(ping("p1023")));
  h.session.fromServer(line(roots("s1")));
  assert.equal(h.toClient.length, 1024, "neither reaches the client");
  const [crowded, reused] = h.json(h.toServer);
  assert.equal(crowded.id, "p1023");
  assert.equal(crowded.error.code, -32000);
  assert.match(
    crowded.error.message,
    /too many of your requests wait for the client's answer \(1024\)/,
  );
  assert.deepEqual([reused.id, reused.error.code], ["s1", -32600]);
  assert.match(
    h.notes.join("\n"),
    /refused the server's "ping" request "p1023": 1024 of its requests already wait for the client's answer/,
  );
  h.toServer.length = 0;
  // The client's answer under "s1" is still read as the sampling answer: its tool is decided.
  h.session.fromClient(line({ jsonrpc: "2.0", id: "s1", result: RESULT }));
  assert.equal(enforcer.calls[0]?.tool, "delete_everything");
  const [error] = h.json(h.toServer);
  assert.deepEqual([error.id, error.error.code], ["s1", -32000]);
  assert.match(error.error.message, /thoth blocked by rule "rule-delete_everything"/);
  assert.equal(h.toServer.length, 1, "the answer itself never reaches the server");
  // One answered: room for one more request.
  h.session.fromServer(line(ping("p1024")));
  assert.equal(h.toClient.length, 1025);
  h.session.fromServer(line(ping("p1025")));
  assert.equal(h.toClient.length, 1025);
  assert.deepEqual(h.json(h.toServer).slice(1).map((m) => [m.id, m.error.code]), [[
    "p1025",
    -32000,
  ]]);
});

Deno.test("RelaySession notes the first few server requests refused while too many wait, then counts them", () => {
  const h = rawRelay();
  for (let i = 0; i < 1024; i++) h.session.fromServer(line(ping(i)));
  for (let i = 0; i < 1000; i++) h.session.fromServer(line(ping(`x${i}`)));
  assert.equal(h.toServer.length, 1000, "each one is answered with an error");
  assert.equal(h.toClient.length, 1024);
  assert.equal(h.notes.length, 7);
  assert.match(h.notes[4]!, /; further such requests are counted, not noted$/);
  assert.match(h.notes[5]!, /^refused 100 requests of the server's so far while 1024 of its/);
  assert.match(h.notes[6]!, /^refused 1000 requests of the server's so far while 1024 of its/);
});
