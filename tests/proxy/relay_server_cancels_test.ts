/**
 * The server's requests it cancels itself (`notifications/cancelled` naming
 * one the client has not answered) stop counting toward the 1,024 that may
 * wait; the client's late answer to one is dropped, never relayed (a
 * sampling answer's tools can reach the server neither gated nor not); the
 * id stays in use meanwhile; and once a cancelled sampling request had to
 * be forgotten, every client answer is read for the tools a model chose.
 */
import assert from "node:assert/strict";
import { enforcerOf, line, rawRelay } from "./_raw_relay.ts";
import { RESULT, sampling } from "./_sampling_answer.ts";

const roots = (id: unknown) => ({ jsonrpc: "2.0", id, method: "roots/list" });
const cancel = (requestId: unknown) => ({
  jsonrpc: "2.0",
  method: "notifications/cancelled",
  params: { requestId, reason: "timed out" },
});

Deno.test("RelaySession stops counting a server request the server cancelled toward the 1024 waiting", () => {
  const h = rawRelay();
  for (let i = 0; i < 1024; i++) {
    h.session.fromServer(line(sampling(i)));
    h.session.fromServer(line(cancel(i)));
  }
  assert.equal(h.toClient.length, 2048, "each request and its cancellation reach the client");
  h.session.fromServer(line(roots("r1")));
  assert.equal(h.toClient.length, 2049, "the next request reaches the client too");
  assert.equal(h.toServer.length, 0, "none was refused");
});

Deno.test("RelaySession drops the client's late answer to a sampling request the server cancelled", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(sampling("s1")));
  h.session.fromServer(line(cancel("s1")));
  h.session.fromClient(line({ jsonrpc: "2.0", id: "s1", result: RESULT }));
  assert.equal(h.toServer.length, 0, "neither the answer nor an error reaches the server");
  assert.equal(enforcer.calls.length, 0, "nothing of it runs, so nothing is decided");
  assert.match(
    h.notes.join("\n"),
    /dropped the client's answer to the server's "sampling\/createMessage" request "s1": the server had cancelled that request/,
  );
  // An allowed answer is dropped the same way: the server ignores it (MCP).
  h.session.fromServer(line(sampling("s2")));
  h.session.fromServer(line(cancel("s2")));
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: "s2", result: { role: "assistant", model: "m", content: [] } }),
  );
  assert.equal(h.toServer.length, 0);
});

Deno.test("RelaySession refuses a server request under the id of its cancelled request the client may still answer", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(sampling("s1")));
  h.session.fromServer(line(cancel("s1")));
  const before = h.toClient.length;
  h.session.fromServer(line(roots("s1")));
  assert.equal(h.toClient.length, before, "the reused id never reaches the client");
  const [refused] = h.json(h.toServer);
  assert.deepEqual([refused.id, refused.error.code], ["s1", -32600]);
  assert.match(refused.error.message, /you cancelled, which the client may still answer/);
  assert.match(
    h.notes.join("\n"),
    /refused the server's "roots\/list" request under the id "s1": an earlier request of the server's under that id was cancelled by the server, but the client may still answer it/,
  );
  // The client's late sampling answer is still the cancelled request's: dropped.
  h.session.fromClient(line({ jsonrpc: "2.0", id: "s1", result: RESULT }));
  assert.equal(h.toServer.length, 1);
  // Answered: the id is free again.
  h.session.fromServer(line(roots("s1")));
  assert.equal(h.toClient.length, before + 1);
});

Deno.test("RelaySession reads every client answer for tools once a cancelled sampling request was forgotten", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(sampling("s0")));
  h.session.fromServer(line(cancel("s0")));
  for (let i = 1; i <= 1024; i++) {
    h.session.fromServer(line(roots(`c${i}`)));
    h.session.fromServer(line(cancel(`c${i}`)));
  }
  // "s0" was forgotten to make room: its id may now be reused for a roots/list...
  h.session.fromServer(line(roots("s0")));
  assert.equal(h.toServer.length, 0, "the id is free again");
  // ...whose answer could be the late sampling answer: its tools are decided all the same.
  h.session.fromClient(line({ jsonrpc: "2.0", id: "s0", result: RESULT }));
  assert.equal(enforcer.calls[0]?.tool, "delete_everything");
  const [error] = h.json(h.toServer);
  assert.deepEqual([error.id, error.error.code], ["s0", -32000]);
  assert.match(error.error.message, /thoth blocked by rule "rule-delete_everything"/);
  // A plain roots answer still passes.
  h.session.fromServer(line(roots("r9")));
  h.session.fromClient(line({ jsonrpc: "2.0", id: "r9", result: { roots: [] } }));
  assert.equal(h.toServer.length, 2);
});

Deno.test("RelaySession keeps counting a server request when a cancellation names another id or no waiting request", () => {
  const h = rawRelay();
  h.session.fromServer(line(sampling(7)));
  h.session.fromServer(line(cancel("7")));
  h.session.fromServer(line(cancel(8)));
  h.session.fromServer(line(roots(7)));
  const [refused] = h.json(h.toServer);
  assert.match(refused.error.message, /still waits for the client's answer/);
});

Deno.test("RelaySession frees the id of a cancelled server request the client answers with a malformed answer", () => {
  const enforcer = enforcerOf({ delete_everything: "block" });
  const h = rawRelay({ enforcer });
  h.session.fromServer(line(sampling("s1")));
  h.session.fromServer(line(cancel("s1")));
  const before = h.toClient.length;
  // Both result and error: refused as any such answer is, and nothing reaches the server.
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: "s1", result: RESULT, error: { code: 1, message: "x" } }),
  );
  assert.equal(h.toServer.length, 0, "neither the answer nor an error reaches the server");
  assert.match(
    h.notes.join("\n"),
    /refused the client's answer to the server's request "s1": .*the server had cancelled that request, so nothing was sent/,
  );
  // Answered, if badly: the server's next request under that id reaches the client.
  h.session.fromServer(line(roots("s1")));
  assert.equal(h.toClient.length, before + 1, h.notes.join("\n"));
  assert.equal(h.toServer.length, 0, "not refused");
  h.session.fromClient(line({ jsonrpc: "2.0", id: "s1", result: { roots: [] } }));
  const [answer] = h.json(h.toServer);
  assert.deepEqual(answer, { jsonrpc: "2.0", id: "s1", result: { roots: [] } });
});
