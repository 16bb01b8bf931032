/**
 * A tool call the client makes before it listed the server's tools is
 * decided only once thoth has listed them itself, whatever the session
 * looks like: an `initialize` still on its way is answered first; in the
 * stateless (2026-07-28) era, which has no handshake, thoth asks all the
 * same, its request carrying the call's protocol version in `_meta`. A
 * call in the `initialize` era before the server answered an `initialize`
 * is refused, and thoth asks the server nothing for it (MCP allows no
 * request but `ping` before then); in observe mode, which forwards every
 * call, it is decided with its annotations unknown and forwarded. A refusal
 * after thoth waited for an `initialize` on its way names the wait. A listing that fails leaves the call's
 * annotations unknown, which the call carries, with why, to the enforcer.
 */
import assert from "node:assert/strict";
import { call, enforcerOf, line, rawRelay, settle, STATELESS } from "./_raw_relay.ts";

const dec = new TextDecoder();
const sent = (bytes: Uint8Array) => JSON.parse(dec.decode(bytes));
const WRITE_FILE = { name: "write_file", annotations: { destructiveHint: true } };

const initialize = (id: number) =>
  line({
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {} },
  });

/** A relay whose client has not listed the server's tools. */
function unlisted() {
  const enforcer = enforcerOf({});
  return { ...rawRelay({ enforcer }, true), enforcer };
}

Deno.test("a call sent with initialize waits for its answer, then for thoth's listing", async () => {
  const h = unlisted();
  h.session.fromClient(initialize(0));
  h.session.fromClient(line({ jsonrpc: "2.0", method: "notifications/initialized" }));
  h.session.fromClient(call(1, "write_file", { path: "/x" }));
  assert.deepEqual(h.json(h.toServer).map((m) => m.method), [
    "initialize",
    "notifications/initialized",
  ], "nothing asked of the server before its handshake");
  assert.equal(h.enforcer.calls.length, 0, "the call waits");
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 0,
    result: { protocolVersion: "2025-06-18", capabilities: { tools: {} } },
  }));
  await settle();
  const list = sent(h.toServer.at(-1)!);
  assert.equal(list.method, "tools/list");
  assert.equal(list.params, undefined, "an initialize-era session needs no _meta");
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [WRITE_FILE] } }));
  await settle();
  await settle();
  assert.deepEqual(h.enforcer.calls.map((c) => [c.tool, c.listed, c.annotations]), [
    ["write_file", true, { destructiveHint: true }],
  ]);
  assert.equal(sent(h.toServer.at(-1)!).method, "tools/call");
});

Deno.test("a call before initialize is refused, and thoth asks the server nothing for it", async () => {
  const h = unlisted();
  h.session.fromClient(call(1, "write_file", { path: "/x" }));
  await settle();
  assert.deepEqual(h.toServer, [], "no tools/list to a server before its handshake");
  assert.equal(h.enforcer.calls.length, 0, "not decided");
  const [answer] = h.json(h.toClient);
  assert.equal(answer.id, 1);
  assert.equal(answer.error.code, -32600);
  assert.match(answer.error.message, /came before initialize/);
  assert.match(h.notes.join("\n"), /refused tools\/call 1 \(tool "write_file"\): it came before/);
  // Once the server answered an initialize, a call is listed for and decided as before.
  h.session.fromClient(initialize(0));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 0, result: { protocolVersion: "2025-06-18" } }));
  h.session.fromClient(call(2, "write_file", { path: "/x" }));
  const list = sent(h.toServer.at(-1)!);
  assert.equal(list.method, "tools/list");
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [WRITE_FILE] } }));
  await settle();
  await settle();
  assert.deepEqual(h.enforcer.calls.map((c) => [c.listed, c.annotations]), [
    [true, { destructiveHint: true }],
  ]);
});

/** A relay whose client has not listed the server's tools, its enforcer in `mode`. */
function unlistedIn(mode: "observe" | "block") {
  const enforcer = { ...enforcerOf({}), mode } as const;
  return { ...rawRelay({ enforcer }, true), enforcer };
}

Deno.test("in observe mode a call before initialize is decided with its annotations unknown and forwarded", async () => {
  const h = unlistedIn("observe");
  h.session.fromClient(call(1, "write_file", { path: "/x" }));
  await settle();
  assert.deepEqual(h.json(h.toServer).map((m) => [m.method, m.id]), [["tools/call", 1]]);
  assert.deepEqual(h.toClient, [], "not refused");
  assert.deepEqual(h.enforcer.calls.map((c) => [c.tool, c.listed, c.annotations]), [
    ["write_file", false, undefined],
  ]);
  assert.equal(
    h.enforcer.calls[0]?.listingFailure,
    "the call came before the server answered an initialize, and thoth asks a server " +
      "nothing before its handshake",
  );
  assert.match(h.notes.join("\n"), /tools\/call 1 \(tool "write_file"\) came before the server/);
});

Deno.test("a call whose initialize stays unanswered is refused, or in observe mode forwarded, naming the wait", async () => {
  // Both relays wait out thoth's 5 s for the answer to initialize together.
  const [observe, block] = [unlistedIn("observe"), unlistedIn("block")];
  for (const h of [observe, block]) {
    h.session.fromClient(initialize(0));
    h.session.fromClient(call(1, "write_file", {}));
    assert.equal(h.enforcer.calls.length, 0, "the call waits for the handshake");
  }
  await new Promise((resolve) => setTimeout(resolve, 5_100));
  await settle();
  assert.deepEqual(block.json(block.toServer).map((m) => m.method), ["initialize"]);
  assert.equal(block.enforcer.calls.length, 0);
  const [refused] = block.json(block.toClient);
  assert.equal(refused.error.code, -32600);
  assert.match(
    refused.error.message,
    /it came before the server answered initialize \(thoth waited 5 s\)\. Send initialize/,
  );
  assert.deepEqual(observe.json(observe.toServer).map((m) => m.method), [
    "initialize",
    "tools/call",
  ]);
  assert.match(
    String(observe.enforcer.calls[0]?.listingFailure),
    /^the call came before the server answered an initialize \(thoth waited 5 s\)/,
  );
});

Deno.test("a call sent with an initialize the server refuses is refused once it answered", async () => {
  const h = unlisted();
  h.session.fromClient(initialize(0));
  h.session.fromClient(call(1, "write_file", {}));
  assert.deepEqual(h.json(h.toServer).map((m) => m.method), ["initialize"]);
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 0,
    error: { code: -32602, message: "unsupported protocol version" },
  }));
  await settle();
  await settle();
  assert.deepEqual(h.json(h.toServer).map((m) => m.method), ["initialize"], "no tools/list");
  assert.equal(h.enforcer.calls.length, 0);
  const answers = h.json(h.toClient);
  assert.deepEqual(answers.map((a) => [a.id, a.error?.code]), [[0, -32602], [1, -32600]]);
});

Deno.test("a stateless-era call is decided after a listing that carries its protocol version and client capabilities", async () => {
  const h = unlisted();
  h.session.fromClient(call(1, "write_file", { path: "/x" }, { _meta: STATELESS }));
  const list = sent(h.toServer.at(-1)!);
  assert.equal(list.method, "tools/list");
  // Both keys a 2026-07-28 request must carry; thoth declares no capability of its own.
  const meta = { ...STATELESS, "io.modelcontextprotocol/clientCapabilities": {} };
  assert.deepEqual(list.params, { _meta: meta });
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: list.id,
    result: { tools: [WRITE_FILE], nextCursor: "2" },
  }));
  await settle();
  const page2 = sent(h.toServer.at(-1)!);
  assert.deepEqual(page2.params, { cursor: "2", _meta: meta }, "every page carries it");
  h.session.fromServer(line({ jsonrpc: "2.0", id: page2.id, result: { tools: [] } }));
  await settle();
  await settle();
  assert.deepEqual(h.enforcer.calls.map((c) => [c.era, c.listed, c.annotations]), [
    ["stateless", true, { destructiveHint: true }],
  ]);
});

Deno.test("a stateless-era call in an initialized session that never listed waits for thoth's listing", async () => {
  const h = unlisted();
  h.session.fromClient(initialize(0));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 0,
    result: { protocolVersion: "2025-06-18", capabilities: { tools: {} } },
  }));
  h.session.fromClient(call(1, "write_file", {}, { _meta: STATELESS }));
  const list = sent(h.toServer.at(-1)!);
  assert.equal(list.method, "tools/list");
  assert.equal(list.params, undefined, "the server was initialized: no per-request version");
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [WRITE_FILE] } }));
  await settle();
  await settle();
  assert.deepEqual(h.enforcer.calls.map((c) => c.annotations), [{ destructiveHint: true }]);
});

Deno.test("a call after a failed listing carries why, and its annotations are none thoth made up", async () => {
  const h = unlisted();
  h.session.fromClient(initialize(0));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 0, result: { protocolVersion: "2025-06-18" } }));
  h.session.fromClient(call(1, "write_file", {}));
  const list = sent(h.toServer.at(-1)!);
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { nothing: true } }));
  await settle();
  await settle();
  const [decided] = h.enforcer.calls;
  assert.equal(decided?.listed, false);
  assert.equal(decided?.annotations, undefined);
  assert.equal(
    decided?.listingFailure,
    "the server's answer to its tools/list holds no list of tools",
  );
});

Deno.test("a call waiting for thoth's listing when the server ends is answered, never decided", async () => {
  const h = unlisted();
  h.session.fromClient(initialize(0));
  h.session.fromClient(call(1, "write_file", {}));
  h.session.upstreamGone("the server exited");
  await settle();
  await settle();
  assert.equal(h.enforcer.calls.length, 0);
  const answers = h.json(h.toClient);
  assert.deepEqual(answers.map((a) => [a.id, a.error?.code]), [[0, -32000], [1, -32000]]);
  assert.ok(!h.json(h.toServer).some((m) => m.method === "tools/list" || m.id === 1));
});
