import assert from "node:assert/strict";
import { declaresElicitation } from "../../src/protocol/mcp_shapes.ts";

/** `initialize` params whose capabilities declare `elicitation` as given. */
const initialize = (elicitation: unknown) => ({
  protocolVersion: "2025-11-25",
  capabilities: { elicitation },
  clientInfo: { name: "client", version: "1" },
});

Deno.test("declaresElicitation() is true only where the client takes form mode", () => {
  // MCP 2025-11-25: `{}` is form mode, as before modes existed; otherwise the modes are named.
  assert.equal(declaresElicitation(initialize({})), true);
  assert.equal(declaresElicitation(initialize({ form: {} })), true);
  assert.equal(declaresElicitation(initialize({ form: {}, url: {} })), true);
  assert.equal(declaresElicitation(initialize({ url: {} })), false);
});

Deno.test("declaresElicitation() reads a mode named as anything but an object as absent", () => {
  assert.equal(declaresElicitation(initialize({ form: null })), false);
  assert.equal(declaresElicitation(initialize({ form: true, url: {} })), false);
  assert.equal(declaresElicitation(initialize({ "x-vendor": {} })), false);
  assert.equal(declaresElicitation(initialize(true)), false);
  assert.equal(declaresElicitation(initialize([])), false);
  assert.equal(declaresElicitation({ capabilities: {} }), false);
  assert.equal(declaresElicitation(undefined), false);
});
