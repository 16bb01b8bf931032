/**
 * What thoth knows of the server's tools is complete only when a listing
 * ran from the first page, following each `nextCursor`, to a page without
 * one; pages fetched from any other cursor add to it but never complete it,
 * and after `notifications/tools/list_changed` it is stale. A call to a tool
 * thoth has no complete, current listing for makes thoth list every page
 * itself before the call is decided, so the annotations the server declares
 * now (`destructiveHint`) are the ones the policy reads.
 */
import assert from "node:assert/strict";
import { call, enforcerOf, line, rawRelay, settle } from "./_raw_relay.ts";

function session() {
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
    result: { protocolVersion: "2025-11-25", capabilities: { tools: { listChanged: true } } },
  }));
  h.toServer.length = 0;
  h.toClient.length = 0;
  return { ...h, enforcer };
}

type Session = ReturnType<typeof session>;

const lastToServer = (h: Session) => JSON.parse(new TextDecoder().decode(h.toServer.at(-1)!));

/** The client asks for a page of the tools (`params`), and the server answers with `result`. */
function clientPage(h: Session, id: number, params: unknown, result: unknown): void {
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id,
    method: "tools/list",
    ...(params === undefined ? {} : { params }),
  }));
  h.session.fromServer(line({ jsonrpc: "2.0", id, result }));
}

const NUKE = { name: "nuke", annotations: { destructiveHint: true } };
const FILLER = { name: "filler", annotations: { readOnlyHint: true } };

/** Answers thoth's own `tools/list` (the last line it sent the server) with `tools`. */
async function answerOwnListing(h: Session, tools: unknown[]): Promise<void> {
  const own = lastToServer(h);
  assert.equal(own.method, "tools/list", JSON.stringify(own));
  assert.match(own.id, /^thoth-/);
  h.session.fromServer(line({ jsonrpc: "2.0", id: own.id, result: { tools } }));
  await settle();
  await settle();
}

Deno.test("a client listing fetched from a cursor alone never counts as complete", async () => {
  const h = session();
  clientPage(h, 1, { cursor: "1" }, { tools: [FILLER] });
  // A tool on the page the client has: decided at once.
  h.session.fromClient(call(2, "filler"));
  assert.deepEqual(h.enforcer.calls.map((c) => [c.tool, c.annotations]), [
    ["filler", { readOnlyHint: true }],
  ]);
  // A tool on no page the client has: thoth lists every page first.
  h.session.fromClient(call(3, "nuke"));
  await answerOwnListing(h, [NUKE, FILLER]);
  assert.deepEqual(h.enforcer.calls.at(-1)?.annotations, { destructiveHint: true });
  assert.equal(h.enforcer.calls.at(-1)?.listed, true);
});

Deno.test("a first request whose cursor is no string is not the first page", async () => {
  const h = session();
  clientPage(h, 1, { cursor: 1 }, { tools: [FILLER] });
  h.session.fromClient(call(2, "nuke"));
  assert.equal(h.enforcer.calls.length, 0, "held while thoth lists");
  await answerOwnListing(h, [NUKE]);
  assert.deepEqual(h.enforcer.calls.map((c) => c.annotations), [{ destructiveHint: true }]);
});

Deno.test("a listing that follows each nextCursor from the first page is complete", () => {
  const h = session();
  clientPage(h, 1, undefined, { tools: [FILLER], nextCursor: "p2" });
  clientPage(h, 2, { cursor: "p2" }, { tools: [NUKE] });
  h.session.fromClient(call(3, "unknown_tool"));
  assert.deepEqual(h.enforcer.calls.map((c) => [c.tool, c.listed]), [["unknown_tool", false]]);
  assert.equal(lastToServer(h).method, "tools/call", "no listing of thoth's own");
});

Deno.test("a page the listing did not name does not complete it", async () => {
  const h = session();
  clientPage(h, 1, undefined, { tools: [FILLER], nextCursor: "p2" });
  clientPage(h, 2, { cursor: "p9" }, { tools: [] });
  h.session.fromClient(call(3, "nuke"));
  await answerOwnListing(h, [FILLER, NUKE]);
  assert.deepEqual(h.enforcer.calls.map((c) => [c.tool, c.annotations]), [
    ["nuke", { destructiveHint: true }],
  ]);
});

Deno.test("after list_changed, the next call to a listed tool is decided on a new listing", async () => {
  const h = session();
  clientPage(h, 1, undefined, { tools: [{ name: "rotate", annotations: { readOnlyHint: true } }] });
  h.session.fromClient(call(2, "rotate"));
  assert.deepEqual(h.enforcer.calls.at(-1)?.annotations, { readOnlyHint: true });
  const changed = { jsonrpc: "2.0", method: "notifications/tools/list_changed" };
  h.toClient.length = 0;
  h.session.fromServer(line(changed));
  assert.deepEqual(h.json(h.toClient), [changed], "relayed to the client as it came");
  h.session.fromClient(call(3, "rotate"));
  assert.equal(h.enforcer.calls.length, 1, "held while thoth lists");
  await answerOwnListing(h, [{ name: "rotate", annotations: { destructiveHint: true } }, NUKE]);
  assert.deepEqual(h.enforcer.calls.at(-1)?.annotations, { destructiveHint: true });
  // That listing is complete and current: a tool added with the change is known at once.
  h.session.fromClient(call(4, "nuke"));
  assert.deepEqual(h.enforcer.calls.at(-1)?.annotations, { destructiveHint: true });
});

Deno.test("a list_changed that comes while thoth lists makes it list again", async () => {
  const h = session();
  h.session.fromClient(call(1, "rotate"));
  const first = lastToServer(h);
  h.session.fromServer(line({ jsonrpc: "2.0", method: "notifications/tools/list_changed" }));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: first.id,
    result: { tools: [{ name: "rotate", annotations: { readOnlyHint: true } }] },
  }));
  await settle();
  await settle();
  assert.equal(h.enforcer.calls.length, 0, "not decided on a listing the change overtook");
  const again = lastToServer(h);
  assert.notEqual(again.id, first.id);
  await answerOwnListing(h, [{ name: "rotate", annotations: { destructiveHint: true } }]);
  assert.deepEqual(h.enforcer.calls.map((c) => c.annotations), [{ destructiveHint: true }]);
});
