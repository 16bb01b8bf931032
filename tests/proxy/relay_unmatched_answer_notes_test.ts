/**
 * Server answers that answer no request waiting for them are dropped and
 * noted, the first few one by one and later ones only counted: a server
 * that sends them without end cannot fill the client's log.
 */
import assert from "node:assert/strict";
import { call, enforcerOf, line, rawRelay, result, settle } from "./_raw_relay.ts";

Deno.test("RelaySession notes the first five unmatched server answers, then running counts", () => {
  const h = rawRelay();
  for (let i = 0; i < 10_000; i++) h.session.fromServer(result(`x${i}`, "stray"));
  assert.equal(h.toClient.length, 0, "none reaches the client");
  assert.equal(h.notes.length, 8);
  assert.match(h.notes[0]!, /^dropped a response from the server with id "x0": no request /);
  assert.match(
    h.notes[4]!,
    /with id "x4": .*; further responses that answer no waiting request are counted, not noted$/,
  );
  assert.deepEqual(
    h.notes.slice(5).map((note) =>
      note.match(/^dropped (\d+) responses from the server so far/)?.[1]
    ),
    ["100", "1000", "10000"],
  );
});

Deno.test("RelaySession counts answers to refused calls, duplicates and malformed answers with unmatched ones", async () => {
  const h = rawRelay({ enforcer: enforcerOf({ wipe: "block" }) });
  h.session.fromClient(call(1, "wipe"));
  await settle();
  const blocked = h.notes.length;
  for (let i = 0; i < 50; i++) h.session.fromServer(result(1, "ran"));
  for (let i = 0; i < 40; i++) {
    h.session.fromServer(line({ jsonrpc: "2.0", id: `m${i}`, result: {}, error: null }));
  }
  const noted = h.notes.slice(blocked);
  assert.equal(noted.length, 5);
  assert.match(noted[0]!, /^dropped a response from the server with id 1: no request /);
  h.session.fromClient(call(2, "echo"));
  h.session.fromServer(result(2, "ok"));
  for (let i = 0; i < 10; i++) h.session.fromServer(result(2, "again"));
  assert.equal(h.notes.length, blocked + 6);
  assert.match(h.notes.at(-1)!, /^dropped 100 responses from the server so far/);
  // The call's own answer still reached the client, once.
  assert.equal(h.json(h.toClient).filter((m) => m.result?.content?.[0]?.text === "ok").length, 1);
});
