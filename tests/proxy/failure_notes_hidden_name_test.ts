/**
 * The stderr lines of the failure paths (an enforcer that threw, in the
 * relay and for a tool chosen in a sampling answer; an approval channel that
 * failed) land in the MCP client's log: a tool name no `tools/list` named
 * that the detectors flag (a token the model put where a tool name goes) is
 * not shown there, only its length; a listed name is shown as it is.
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { gateToolUses } from "../../src/proxy/tool_use_gate.ts";
import { tempDir } from "../e2e/_harness.ts";
import { call as callLine, rawRelay, settle } from "./_raw_relay.ts";

const TOKEN = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

const chosen: ToolCall = {
  server: "s",
  tool: TOKEN,
  arguments: {},
  annotations: undefined,
  listed: false,
  era: "initialize",
  protocolVersion: undefined,
};

Deno.test("the relay's enforcer-failed line shows an unlisted flagged tool name by its length", async () => {
  const relay = rawRelay({
    enforcer: {
      decide: () => {
        throw new Error("the enforcer is down");
      },
    },
  });
  relay.session.fromClient(callLine(7, TOKEN));
  await settle();
  assert.deepEqual(relay.notes.filter((m) => /enforcer failed/.test(m)), [
    'blocked tool "#k:(40)" on server "srv" (decision d-1, rule enforcer.error): ' +
    "the enforcer failed, so the call was blocked: the enforcer is down",
  ]);
  assert.ok(!relay.notes.join("\n").includes(TOKEN), relay.notes.join("\n"));
});

Deno.test("a sampling answer's tool whose enforcer failed: an unlisted flagged name by its length", () => {
  const notes: string[] = [];
  gateToolUses([chosen], {
    enforcer: {
      decide: () => {
        throw new Error("down");
      },
    },
    newDecisionId: () => "d-9",
    approver: undefined,
    request: (c, verdict) => ({ call: c, verdict, signal: AbortSignal.abort() }) as ApprovalRequest,
    note: (message) => notes.push(message),
  });
  assert.deepEqual(notes, [
    'blocked tool "#k:(40)" on server "s" (decision d-9, rule enforcer.error): ' +
    "the enforcer failed, so the call was blocked: down",
  ]);
});

Deno.test("an approval channel's failure line does not show an unlisted flagged tool name", async () => {
  await using dir = await tempDir();
  const notes: string[] = [];
  const approver = createApprover({
    thothHome: dir.path,
    env: { USER: "tester" },
    os: "linux",
    dialog: false,
    timeoutMs: 10_000,
    note: (message) => notes.push(message),
  });
  const ask = (call: ToolCall, decisionId: string) =>
    approver({
      call,
      verdict: { decision: "step_up", decisionId, ruleIds: ["ask"], reasons: [] },
      requestId: 1,
      progressToken: undefined,
      signal: new AbortController().signal,
      client: {
        elicitation: true,
        // The client accepts the form but sends no decision back: the channel failed.
        request: (_method, _params) =>
          Promise.resolve({ jsonrpc: "2.0", id: 1, result: { action: "accept" } }),
        notify: () => {},
      },
    });
  const outcome = await ask(chosen, "d-1");
  assert.equal(outcome.kind, "error");
  await ask({ ...chosen, tool: "write_file", listed: true }, "d-2");
  assert.equal(notes.length, 2, notes.join("\n"));
  assert.match(
    notes[0]!,
    /^the elicitation approval channel failed for the call to tool \(name not shown: the secret, PII or PHI detectors flag it; 40 characters\) on server "s" \(decision d-1\)/,
  );
  assert.match(notes[1]!, /for the call to tool "write_file" on server "s" \(decision d-2\)/);
  assert.ok(!notes.join("\n").includes(TOKEN), notes.join("\n"));
});
