import assert from "node:assert/strict";
import { standingGrantOutcome } from "../../src/approval/grant_facts.ts";

Deno.test("standingGrantOutcome() approves with no one asked, naming who made the grant", () => {
  assert.deepEqual(standingGrantOutcome({ approver: "ana via the MCP client" }), {
    approved: true,
    kind: "approved",
    scope: "grant",
    why: "ana via the MCP client allowed this tool with these arguments for the session",
    channel: "grant",
    approver: "ana via the MCP client",
    latencyMs: 0,
  });
});
