/**
 * A call made before the client listed the server's tools would be decided
 * without the annotations the policy reads (`destructiveHint`,
 * `readOnlyHint`): thoth lists the tools itself first, once per session,
 * every page, and consumes the answers.
 */
import assert from "node:assert/strict";
import { call, enforcerOf, line, rawRelay, settle } from "./_raw_relay.ts";

function initialized() {
  const enforcer = enforcerOf({});
  const h = rawRelay({ enforcer }, true);
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {} },
  }));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 0,
    result: { protocolVersion: "2025-11-25", capabilities: { tools: {} } },
  }));
  h.toServer.length = 0;
  h.toClient.length = 0;
  return { ...h, enforcer };
}

const lastToServer = (h: { toServer: Uint8Array[] }) =>
  JSON.parse(new TextDecoder().decode(h.toServer.at(-1)!));

Deno.test("a call before the client listed the tools is decided with the annotations thoth asked for", async () => {
  const h = initialized();
  h.session.fromClient(call(1, "write_file", { path: "/x" }));
  h.session.fromClient(call(2, "read_file", { path: "/x" }));
  assert.equal(h.toServer.length, 1, "only thoth's own listing left so far");
  const first = lastToServer(h);
  assert.equal(first.method, "tools/list");
  // Under a random nonce of its own: nothing of the client-facing nonce ("n") shows.
  assert.match(first.id, /^thoth-[0-9a-f]{16}-server-\d+$/);
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: first.id,
    result: {
      tools: [{ name: "write_file", annotations: { destructiveHint: true } }],
      nextCursor: "p2",
    },
  }));
  await settle();
  const second = lastToServer(h);
  assert.deepEqual(second.params, { cursor: "p2" });
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: second.id,
    result: { tools: [{ name: "read_file", annotations: { readOnlyHint: true } }] },
  }));
  await settle();
  await settle();
  assert.deepEqual(
    h.enforcer.calls.map((c) => [c.tool, c.listed, c.annotations]),
    [
      ["write_file", true, { destructiveHint: true }],
      ["read_file", true, { readOnlyHint: true }],
    ],
  );
  assert.equal(h.toClient.length, 0, "thoth's own answers never reach the client");
  assert.equal(h.toServer.length, 4, "two pages, then both calls");
  // Later calls are decided at once, without another listing.
  h.session.fromClient(call(3, "write_file", { path: "/y" }));
  assert.equal(h.enforcer.calls.length, 3);
  assert.equal(lastToServer(h).method, "tools/call");
});

Deno.test("a listing that fails leaves the call's annotations unknown, says why, and the next call asks again", async () => {
  const h = initialized();
  h.session.fromClient(call(1, "write_file", {}));
  const list = lastToServer(h);
  h.session.fromServer(
    line({ jsonrpc: "2.0", id: list.id, error: { code: -32601, message: "no tools" } }),
  );
  await settle();
  await settle();
  assert.deepEqual(h.enforcer.calls.map((c) => [c.tool, c.listed, c.listingFailure]), [
    ["write_file", false, "the server answered its tools/list with error -32601"],
  ]);
  assert.ok(h.notes.some((n) => n.includes("could not list the server's tools")), h.notes.join());
  // A failure may pass (a server slow to start): the next call asks again, and is listed.
  h.session.fromClient(call(2, "write_file", {}));
  const again = lastToServer(h);
  assert.equal(again.method, "tools/list");
  assert.notEqual(again.id, list.id);
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: again.id,
    result: { tools: [{ name: "write_file", annotations: { destructiveHint: true } }] },
  }));
  await settle();
  await settle();
  assert.deepEqual(h.enforcer.calls.map((c) => [c.listed, c.listingFailure]), [
    [false, "the server answered its tools/list with error -32601"],
    [true, undefined],
  ]);
});

Deno.test("a call made after the client listed the tools asks nothing of its own", () => {
  const h = initialized();
  h.session.fromClient(line({ jsonrpc: "2.0", id: 5, method: "tools/list" }));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 5, result: { tools: [{ name: "ls" }] } }));
  h.session.fromClient(call(6, "ls", {}));
  assert.deepEqual(h.enforcer.calls.map((c) => [c.tool, c.listed]), [["ls", true]]);
  assert.equal(lastToServer(h).method, "tools/call");
});

Deno.test("calls waiting for thoth's listing are answered when the server goes away", async () => {
  const h = initialized();
  h.session.fromClient(call(1, "write_file", {}));
  h.session.upstreamGone("the server exited");
  await settle();
  const answers = h.json(h.toClient);
  assert.equal(answers.length, 1);
  assert.equal(answers[0].id, 1);
  assert.ok(answers[0].error, JSON.stringify(answers[0]));
  assert.equal(h.enforcer.calls.length, 0, "nothing decided, nothing forwarded");
  assert.equal(h.toServer.length, 1);
});

Deno.test("a call that waited for thoth's listing keeps the digits of its large integers", async () => {
  const h = initialized();
  h.session.fromClient(new TextEncoder().encode(
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"pay",' +
      '"arguments":{"card":6212345678901234569}}}\n',
  ));
  const list = lastToServer(h);
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [{ name: "pay" }] } }));
  await settle();
  await settle();
  const [decided] = h.enforcer.calls;
  assert.equal(decided?.listed, true);
  assert.match(JSON.stringify(decided?.exactArguments), /6212345678901234569/, "as sent");
});

Deno.test("a client request under thoth's own id prefix is refused, never taken for thoth's", async () => {
  const h = initialized();
  h.session.fromClient(call(1, "write_file", {}));
  const list = lastToServer(h);
  h.session.fromClient(line({ jsonrpc: "2.0", id: list.id, method: "ping" }));
  const refused = h.json(h.toClient).find((m) => m.id === list.id);
  assert.equal(refused?.error?.code, -32600, JSON.stringify(refused));
  assert.equal(h.toServer.length, 1, "the ping was not forwarded");
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: list.id,
    result: { tools: [{ name: "write_file", annotations: { destructiveHint: true } }] },
  }));
  await settle();
  await settle();
  assert.deepEqual(h.enforcer.calls.map((c) => c.annotations), [{ destructiveHint: true }]);
});
