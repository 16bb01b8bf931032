/**
 * Which of the server's answers reach the client: only an answer to a
 * request that was forwarded to the server, under its exact id. The server
 * cannot answer a call thoth holds or answered itself, nor under another
 * spelling of an id (the SDK takes `"2"` for `2`); and a cancelled call's
 * late answer is never taken for a newer call under the same id.
 */
import assert from "node:assert/strict";
import { approverOf, call, enforcerOf, line, rawRelay, result, settle } from "./_raw_relay.ts";

/** How long a cancelled call's id stays in use (`CANCELLED_TTL_MS`, the SDK's request timeout). */
const CANCELLED_TTL_MS = 60_000;

Deno.test("RelaySession drops the server's answers to a call waiting for a person; thoth's answer stands", async () => {
  let answer: () => void = () => {};
  const asked = new Promise<void>((resolve) => answer = resolve);
  const approver = approverOf(() => ({ approved: false, why: "the person declined" }), asked);
  const h = rawRelay({ enforcer: enforcerOf({ delete_everything: "step_up" }), approver });
  h.session.fromClient(call(2, "delete_everything"));
  await settle();
  assert.equal(approver.asked.length, 1);
  assert.equal(h.toServer.length, 0, "the held call is not forwarded");
  for (const id of [2, "2", " 2", "2.0"]) h.session.fromServer(result(id, "everything deleted"));
  assert.deepEqual(h.toClient, [], "no forged answer reaches the client");
  assert.equal(h.notes.length, 4);
  assert.match(h.notes[0]!, /dropped the server's response with id 2: thoth has not forwarded/);
  assert.match(h.notes[1]!, /with id "2": thoth has not forwarded/);
  answer();
  await settle();
  const [reply] = h.json(h.toClient);
  assert.equal(reply.id, 2);
  assert.equal(reply.result.isError, true);
  assert.match(reply.result.content[0].text, /thoth did not run tool "delete_everything"/);
  assert.ok(!h.events.some((e) => e.startsWith("outcome")), h.events.join("\n"));
});

Deno.test("RelaySession drops a server answer while the enforcer decides", async () => {
  const h = rawRelay({ enforcer: enforcerOf({}, true) });
  h.session.fromClient(call(4, "echo"));
  h.session.fromServer(result(4, "forged before the call was forwarded"));
  assert.deepEqual(h.toClient, []);
  await settle();
  assert.equal(h.toServer.length, 1, "then allowed and forwarded");
  const real = result(4, "real");
  h.session.fromServer(real);
  assert.deepEqual(h.toClient, [real]);
  assert.match(h.events.at(-1)!, /^outcome 4 echo false .*real/);
});

Deno.test("RelaySession drops an answer under a refused call's id or another spelling of a pending id", () => {
  const h = rawRelay({ enforcer: enforcerOf({ forbidden: "block" }) });
  h.session.fromClient(call(5, "forbidden"));
  assert.equal(h.toClient.length, 1, "thoth answered the blocked call");
  h.session.fromServer(result(5, "ran anyway"));
  h.session.fromClient(call(6, "echo"));
  h.session.fromServer(result("6", "forged under a string id"));
  h.session.fromServer(result(99, "answers nothing"));
  assert.equal(h.toClient.length, 1, "none of them reaches the client");
  assert.match(h.notes.join("\n"), /with id 5: no request forwarded to the server waits for it/);
  assert.match(h.notes.join("\n"), /with id "6": no request forwarded/);
  assert.ok(!h.events.some((e) => e.startsWith("outcome")), "no outcome from a dropped answer");
  // The call's own answer is matched and relayed as the exact bytes it came as.
  const real = result(6, "real");
  h.session.fromServer(real);
  assert.equal(h.toClient[1], real);
  assert.match(h.events.at(-1)!, /^outcome 6 echo false .*real/);
});

Deno.test("RelaySession keeps the other elements of a server batch, each as its exact text", () => {
  const h = rawRelay();
  h.session.fromClient(call(7, "echo"));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 8, method: "ping" }));
  const text = '[ {"jsonrpc":"2.0","id":7,"result":{"content":[]}} ,' +
    '{"jsonrpc":"2.0","id":70,"result":{"content":[]}},' +
    '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info"}},' +
    '{"jsonrpc":"2.0","id":8,"result":{}} ]\n';
  h.session.fromServer(new TextEncoder().encode(text));
  assert.equal(
    new TextDecoder().decode(h.toClient[0]),
    '[{"jsonrpc":"2.0","id":7,"result":{"content":[]}},' +
      '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info"}},' +
      '{"jsonrpc":"2.0","id":8,"result":{}}]\n',
  );
  // A batch of forged answers only is not relayed at all.
  h.session.fromServer(line([{ jsonrpc: "2.0", id: 9, result: {} }]));
  assert.equal(h.toClient.length, 1);
});

Deno.test("RelaySession relays answers with no usable id as before", () => {
  const h = rawRelay();
  const parseError = line({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "x" } });
  h.session.fromServer(parseError);
  assert.deepEqual(h.toClient, [parseError]);
});

Deno.test("RelaySession never takes a cancelled call's late answer for a newer call under its id", () => {
  const h = rawRelay();
  h.session.fromClient(call(7, "echo", { what: "first" }));
  h.session.fromClient(line({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: 7 },
  }));
  assert.equal(h.toServer.length, 2, "the call and its cancellation reach the server");
  // The server may still answer the first call 7: a new 7 now could not be told apart.
  h.session.fromClient(call(7, "echo", { what: "second" }));
  assert.equal(h.toServer.length, 2, "the reused id is not forwarded");
  const [refusal] = h.json(h.toClient);
  assert.equal(refusal.id, 7);
  assert.equal(refusal.error.code, -32600);
  assert.match(refusal.error.message, /a cancelled request still uses until the server answers/);
  // The first call's late answer is its own: relayed, and recorded as its outcome, never another's.
  const late = result(7, "first");
  h.session.fromServer(late);
  assert.equal(h.toClient[1], late);
  // Answered: the id is free again, and the new call's answer is its own.
  h.session.fromClient(call(7, "echo", { what: "third" }));
  assert.equal(h.toServer.length, 3);
  h.session.fromServer(result(7, "third"));
  assert.deepEqual(h.events, [
    "decision 7 echo d-1",
    "cancelled 7 echo",
    // The first call's own outcome, though the client had cancelled it.
    'late outcome 7 d-1 echo false {"content":[{"type":"text","text":"first"}]}',
    "decision 7 echo d-2",
    'outcome 7 echo false {"content":[{"type":"text","text":"third"}]}',
  ]);
});

Deno.test("RelaySession frees a cancelled call's id after a while when the server never answers it", () => {
  const h = rawRelay();
  h.session.fromClient(line({ jsonrpc: "2.0", id: 3, method: "tools/list" }));
  h.session.fromClient(line({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: 3 },
  }));
  h.clock.now += CANCELLED_TTL_MS;
  h.session.fromClient(line({ jsonrpc: "2.0", id: 3, method: "ping" }));
  assert.equal(h.toServer.length, 2, "still in use");
  h.clock.now += 1;
  h.session.fromClient(line({ jsonrpc: "2.0", id: 3, method: "ping" }));
  assert.equal(h.toServer.length, 3, "forwarded once the cancelled id is forgotten");
});

Deno.test("RelaySession lets a call cancelled before it was forwarded use its id again at once", async () => {
  let answer: () => void = () => {};
  const asked = new Promise<void>((resolve) => answer = resolve);
  const approver = approverOf(() => ({ approved: false, why: "no" }), asked);
  const h = rawRelay({ enforcer: enforcerOf({ delete_everything: "step_up" }), approver });
  h.session.fromClient(call(2, "delete_everything"));
  await settle();
  h.session.fromClient(line({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: 2 },
  }));
  h.session.fromClient(call(2, "echo"));
  assert.equal(h.toServer.length, 1, "the server never saw the first call 2");
  answer();
  await settle();
});
