import assert from "node:assert/strict";
import { declaresElicitation, PEER_INFO_MAX, peerInfoOf } from "../../src/protocol/mcp_shapes.ts";

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

Deno.test("peerInfoOf() keeps a peer's name and version as strings, and nothing else", () => {
  assert.deepEqual(peerInfoOf(initialize({}), "clientInfo"), { name: "client", version: "1" });
  assert.deepEqual(
    peerInfoOf({ serverInfo: { name: "fs", version: "0.2", title: "Files" } }, "serverInfo"),
    { name: "fs", version: "0.2" },
  );
  // The other side's key is not read; non-strings and empty strings are left out.
  assert.equal(peerInfoOf(initialize({}), "serverInfo"), undefined);
  assert.deepEqual(peerInfoOf({ clientInfo: { name: 7, version: "2" } }, "clientInfo"), {
    version: "2",
  });
  assert.deepEqual(peerInfoOf({ clientInfo: { name: "x", version: "" } }, "clientInfo"), {
    name: "x",
  });
  assert.equal(peerInfoOf({ clientInfo: { name: null } }, "clientInfo"), undefined);
  assert.equal(peerInfoOf({ clientInfo: "claude" }, "clientInfo"), undefined);
  assert.equal(peerInfoOf({ clientInfo: ["claude"] }, "clientInfo"), undefined);
  assert.equal(peerInfoOf(null, "clientInfo"), undefined);
});

Deno.test("peerInfoOf() cuts a long name to whole characters", () => {
  const long = "a".repeat(PEER_INFO_MAX + 50);
  assert.equal(
    peerInfoOf({ clientInfo: { name: long } }, "clientInfo")?.name?.length,
    PEER_INFO_MAX,
  );
  // An emoji (two UTF-16 units) across the cut is dropped whole, never halved.
  const straddling = "a".repeat(PEER_INFO_MAX - 1) + "\u{1F600}" + "b";
  const name = peerInfoOf({ clientInfo: { name: straddling } }, "clientInfo")!.name!;
  assert.equal(name, "a".repeat(PEER_INFO_MAX - 1));
  assert.equal(name.isWellFormed(), true);
  const fits = "a".repeat(PEER_INFO_MAX - 2) + "\u{1F600}";
  assert.equal(peerInfoOf({ clientInfo: { name: fits } }, "clientInfo")!.name, fits);
});
