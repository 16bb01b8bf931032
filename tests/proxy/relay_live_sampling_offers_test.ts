/**
 * A live sampling request (MCP 2025-11-25: the server's own
 * `sampling/createMessage`, answered by the client under the same id): a
 * tool the model chose that the request did not offer is read with every
 * hint at its strictest, as in the stateless era, and one it offered with
 * the stricter of its listed and offered hints. The offers kept for the
 * requests still waiting are bounded in all.
 */
import assert from "node:assert/strict";
import { enforcerOf, line, rawRelay, sampled, toolUse } from "./_raw_relay.ts";
import { MAX_OFFERED_TOOLS, STRICTEST_ANNOTATIONS } from "../../src/protocol/offered_tools.ts";
import { MAX_REMEMBERED_TOOLS } from "../../src/proxy/input_offers.ts";

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, openWorldHint: false };

/** The server's sampling request `id` offering `tools` (no `tools` key when undefined). */
const sampling = (id: number, tools?: unknown[]) =>
  line({
    jsonrpc: "2.0",
    id,
    method: "sampling/createMessage",
    params: { messages: [], maxTokens: 10, ...(tools === undefined ? {} : { tools }) },
  });

/** The client's answer to `id` in which the model chose `tool`. */
const chose = (id: unknown, tool: string) =>
  line({ jsonrpc: "2.0", id, result: sampled([toolUse(tool)]) });

/** A relay whose client listed `peek` (read-only) and `zap` (listed with `zapHints`). */
function listedRelay(zapHints: Record<string, boolean> = READ_ONLY) {
  const enforcer = enforcerOf({});
  const h = rawRelay({ enforcer });
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 1,
    result: {
      tools: [
        { name: "peek", annotations: READ_ONLY },
        { name: "zap", annotations: zapHints },
      ],
    },
  }));
  return { h, enforcer };
}

Deno.test("RelaySession reads a tool its live sampling request did not offer at its strictest", () => {
  const { h, enforcer } = listedRelay();
  h.session.fromServer(sampling(100, [{ name: "peek", annotations: READ_ONLY }]));
  // The model chose "zap", listed read-only but never offered by this request.
  h.session.fromClient(chose(100, "zap"));
  assert.deepEqual(enforcer.calls[0]?.annotations, STRICTEST_ANNOTATIONS);
  assert.equal(enforcer.calls[0]?.listed, true);
  // The tool it did offer keeps the hints both gave.
  h.session.fromServer(sampling(101, [{ name: "peek", annotations: READ_ONLY }]));
  h.session.fromClient(chose(101, "peek"));
  assert.deepEqual(enforcer.calls[1]?.annotations, READ_ONLY);
});

Deno.test("RelaySession reads a tool a live sampling request offered at the stricter of listed and offered", () => {
  // Listed destructive, offered read-only: the listing's stricter hints win.
  const { h, enforcer } = listedRelay({ destructiveHint: true, readOnlyHint: false });
  h.session.fromServer(sampling(100, [{ name: "zap", annotations: READ_ONLY }]));
  h.session.fromClient(chose(100, "zap"));
  // openWorldHint: false only where both say so; the listing does not.
  assert.deepEqual(enforcer.calls[0]?.annotations, { destructiveHint: true, readOnlyHint: false });
});

Deno.test("RelaySession reads a tool chosen for a request that offered none, or one it does not know, at its strictest", () => {
  const { h, enforcer } = listedRelay();
  h.session.fromServer(sampling(100));
  h.session.fromClient(chose(100, "peek"));
  h.session.fromClient(chose(555, "peek"));
  assert.deepEqual(enforcer.calls.map((call) => call.annotations), [
    STRICTEST_ANNOTATIONS,
    STRICTEST_ANNOTATIONS,
  ]);
});

Deno.test("RelaySession bounds the offers of the live sampling requests waiting, forgetting the oldest", () => {
  const { h, enforcer } = listedRelay();
  const offer = (prefix: string) =>
    Array.from({ length: MAX_OFFERED_TOOLS }, (_, i) => ({
      name: i === 0 ? "peek" : `${prefix}${i}`,
      annotations: READ_ONLY,
    }));
  const fit = MAX_REMEMBERED_TOOLS / MAX_OFFERED_TOOLS;
  for (let i = 0; i <= fit; i++) h.session.fromServer(sampling(100 + i, offer(`t${i}-`)));
  // One request too many: the oldest's offer is forgotten, and its answer read at its strictest.
  h.session.fromClient(chose(100, "peek"));
  h.session.fromClient(chose(101, "peek"));
  assert.deepEqual(enforcer.calls.map((call) => call.annotations), [
    STRICTEST_ANNOTATIONS,
    READ_ONLY,
  ]);
  // Answered requests make room: a new one's offer is kept, and no older one is forgotten.
  h.session.fromServer(sampling(200, offer("u-")));
  h.session.fromClient(chose(102, "peek"));
  h.session.fromClient(chose(200, "peek"));
  assert.deepEqual(enforcer.calls.slice(2).map((call) => call.annotations), [
    READ_ONLY,
    READ_ONLY,
  ]);
});
