/**
 * A live sampling request (MCP 2025-11-25) that offers the model more tools
 * than thoth keeps (`MAX_OFFERED_TOOLS`): its offer is dropped rather than
 * held, so a server cannot grow thoth's memory with it, and every tool the
 * model chose in the answer is read with every hint at its strictest.
 */
import assert from "node:assert/strict";
import { enforcerOf, line, rawRelay, toolUse } from "./_raw_relay.ts";
import { MAX_OFFERED_TOOLS, STRICTEST_ANNOTATIONS } from "../../src/protocol/offered_tools.ts";

const sampling = (count: number) => ({
  jsonrpc: "2.0",
  id: 100,
  method: "sampling/createMessage",
  params: {
    messages: [],
    maxTokens: 10,
    tools: Array.from({ length: count }, (_, i) => ({
      name: i === 0 ? "delete_everything" : `t${i}`,
      annotations: { readOnlyHint: true, destructiveHint: false },
    })),
  },
});

function chosenAnnotations(count: number) {
  const enforcer = enforcerOf({});
  const h = rawRelay({ enforcer });
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 1, result: { tools: [] } }));
  h.session.fromServer(line(sampling(count)));
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id: 100,
    result: {
      role: "assistant",
      model: "m",
      stopReason: "toolUse",
      content: [toolUse("delete_everything")],
    },
  }));
  return enforcer.calls[0]?.annotations;
}

Deno.test("RelaySession reads a tool from a sampling request's offer it could keep", () => {
  assert.deepEqual(chosenAnnotations(MAX_OFFERED_TOOLS), {
    readOnlyHint: true,
    destructiveHint: false,
  });
});

Deno.test("RelaySession reads a tool at its strictest when its request offered too many to keep", () => {
  assert.deepEqual(chosenAnnotations(MAX_OFFERED_TOOLS + 1), STRICTEST_ANNOTATIONS);
});
