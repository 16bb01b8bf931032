/**
 * `2` and `"2"` are two ids to JSON-RPC, and thoth matches answers by the
 * exact id, type and value. A client that matches answers loosely (the SDK
 * reads an answer's id with `Number(id)`; others compare ids as text) takes
 * one for the other. So no two requests whose ids read the same to such a
 * client are ever in flight at once, in either direction, and a late answer
 * to a cancelled call never reaches the client while a request it would take
 * that answer for still waits.
 */
import assert from "node:assert/strict";
import { approverOf, call, enforcerOf, line, rawRelay, result, settle } from "./_raw_relay.ts";
import { CANCELLED_TTL_MS } from "../../src/proxy/cancelled_calls.ts";

/** Call `held` waits for a person; nothing is ever answered. */
function withHeld(held: string | number) {
  const approver = approverOf(() => ({ approved: false, why: "no" }), new Promise(() => {}));
  const h = rawRelay({ enforcer: enforcerOf({ delete_everything: "step_up" }), approver });
  h.session.fromClient(call(held, "delete_everything"));
  return { h, approver };
}

const cancel = (requestId: unknown) =>
  line({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId } });

for (
  const [held, other] of [
    [2, "2"],
    ["2", 2],
    [2, " 2"],
    [2, "2.0"],
    ["2.0", "2"],
  ] as const
) {
  Deno.test(`RelaySession refuses request ${JSON.stringify(other)} while call ${JSON.stringify(held)} waits for a person`, async () => {
    const { h, approver } = withHeld(held);
    await settle();
    assert.equal(approver.asked.length, 1);
    h.session.fromClient(call(other, "echo"));
    await settle();
    assert.equal(h.toServer.length, 0, "the look-alike is not forwarded");
    const [refusal] = h.json(h.toClient);
    assert.equal(refusal.id, other, "refused under its own id");
    assert.equal(refusal.error.code, -32600);
    assert.match(refusal.error.message, /reads the same to a client/);
    // The server's answer under the look-alike id answers nothing.
    h.session.fromServer(result(other, "echoed"));
    assert.equal(h.toClient.length, 1);
    assert.ok(!h.events.some((e) => e.startsWith("outcome")), h.events.join("\n"));
  });
}

Deno.test("RelaySession refuses a look-alike id while the other is forwarded, both ways", () => {
  const h = rawRelay();
  h.session.fromClient(call("2", "echo"));
  h.session.fromClient(call(2, "echo"));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 3, method: "ping" }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: "3", method: "ping" }));
  assert.equal(h.toServer.length, 2, "only the first of each pair is forwarded");
  assert.deepEqual(h.json(h.toClient).map((m) => [m.id, m.error?.code]), [[2, -32600], [
    "3",
    -32600,
  ]]);
  // Each answer goes to the request with its exact id; then the id is free in any spelling.
  h.session.fromServer(result("2", "first"));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 3, result: {} }));
  assert.equal(h.toClient.length, 4);
  assert.match(h.events.at(-1)!, /^outcome "2" echo false .*first/);
  h.session.fromClient(call(2, "echo"));
  assert.equal(h.toServer.length, 3);
});

Deno.test("RelaySession keeps apart plain string ids and numbers with other digits", () => {
  const h = rawRelay();
  for (const id of [2, "two", "0x3", 4, "2e0x", "-0", 1]) h.session.fromClient(call(id, "echo"));
  // "0x3" reads as 3, "-0" as 0: neither is in flight as a number.
  assert.equal(h.toServer.length, 7);
  h.session.fromClient(call(3, "echo"));
  assert.equal(h.toServer.length, 7, '3 reads as "0x3" to the SDK');
  h.session.fromClient(call(0, "echo"));
  assert.equal(h.toServer.length, 7, '0 reads as "-0" to the SDK');
});

for (const [cancelled, held] of [["2", 2], [2, "2"]] as const) {
  Deno.test(`RelaySession keeps the late answer to cancelled ${JSON.stringify(cancelled)} from the client while ${JSON.stringify(held)} waits`, async () => {
    const approver = approverOf(() => ({ approved: false, why: "no" }), new Promise(() => {}));
    const h = rawRelay({ enforcer: enforcerOf({ delete_everything: "step_up" }), approver });
    h.session.fromClient(call(cancelled, "slow"));
    h.session.fromClient(cancel(cancelled));
    // The server has not answered the cancelled call for longer than its id is kept in use.
    h.clock.now += CANCELLED_TTL_MS + 1;
    h.session.fromClient(call(held, "delete_everything"));
    await settle();
    assert.equal(approver.asked.length, 1, "the new call waits for a person");
    h.session.fromServer(result(cancelled, "slow done"));
    assert.deepEqual(h.toClient, [], "the client would take it for the held call's answer");
    assert.match(
      h.notes.join("\n"),
      new RegExp(
        `dropped the server's late answer to the cancelled request ${
          JSON.stringify(JSON.stringify(cancelled)).slice(1, -1)
        }`,
      ),
    );
    assert.match(h.events.at(-1)!, /^late outcome \S+ d-1 slow false .*slow done/);
  });
}

/** Whether the relay forwards a ping under `id` now (it then answers it at once). */
function admits(h: ReturnType<typeof rawRelay>, id: unknown): boolean {
  const before = h.toServer.length;
  h.session.fromClient(line({ jsonrpc: "2.0", id, method: "ping" }));
  const forwarded = h.toServer.length > before;
  if (forwarded) h.session.fromServer(line({ jsonrpc: "2.0", id, result: {} }));
  return forwarded;
}

Deno.test("RelaySession frees a look-alike id however the other leaves: answered, held then forwarded, cancelled, its task's result, the server's end", async () => {
  const sync = enforcerOf({});
  const h = rawRelay({
    // "slow" waits for its verdict; any other tool is decided at once.
    enforcer: {
      decide: (c, ids) =>
        c.tool === "slow" ? Promise.resolve(sync.decide(c, ids)) : sync.decide(c, ids),
    },
  });
  // The client uses a string that reads as a number first: look-alikes are tracked from here.
  h.session.fromClient(call("1", "echo"));
  assert.ok(!admits(h, 1));
  h.session.fromServer(result("1", "done"));
  assert.ok(admits(h, 1), "answered: free");
  // Held while its verdict is pending, then forwarded: in use all along, then free.
  h.session.fromClient(call(2, "slow"));
  assert.ok(!admits(h, "2"), "held");
  await settle();
  assert.equal(h.json(h.toServer).at(-1).id, 2, "forwarded");
  assert.ok(!admits(h, " 2"), "forwarded");
  h.session.fromServer(result(2, "done"));
  assert.ok(admits(h, "2.0"));
  // Cancelled: in use until the server answers it, or for CANCELLED_TTL_MS.
  h.session.fromClient(call("3", "echo"));
  h.session.fromClient(cancel("3"));
  assert.ok(!admits(h, 3));
  h.session.fromServer(result("3", "late"));
  assert.ok(admits(h, 3), "the cancelled call's late answer came: free");
  h.session.fromClient(call("4", "echo"));
  h.session.fromClient(cancel("4"));
  h.clock.now += CANCELLED_TTL_MS + 1;
  assert.ok(admits(h, 4), "the cancelled call's time ran out: free");
  // A task-augmented call's id: in use until its task's result is fetched.
  h.session.fromClient(call("5", "research", {}, { task: { ttl: 60_000 } }));
  h.session.fromServer(
    line({ jsonrpc: "2.0", id: "5", result: { task: { taskId: "t-5", status: "working" } } }),
  );
  assert.ok(!admits(h, 5), "its task's outcome is still to come");
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 6, method: "tasks/result", params: { taskId: "t-5" } }),
  );
  h.session.fromServer(line({ jsonrpc: "2.0", id: 6, result: { content: [] } }));
  assert.ok(admits(h, 5), "its task's result came: free");
  // The server's end answers everything in flight: every id is free.
  h.session.fromClient(call("7", "echo"));
  h.session.fromClient(call(8, "slow"));
  h.session.upstreamGone("the server exited");
  assert.ok(admits(h, 7));
  assert.ok(admits(h, "8"));
  await settle();
});
