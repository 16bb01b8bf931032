import assert from "node:assert/strict";
import { gateToolUses } from "../../src/proxy/tool_use_gate.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";

const call = (tool: string): ToolCall => ({
  server: "s",
  tool,
  arguments: {},
  annotations: undefined,
  listed: false,
  era: "initialize",
  protocolVersion: undefined,
});

const request = (c: ToolCall, verdict: ApprovalRequest["verdict"]) =>
  ({ call: c, verdict, signal: AbortSignal.abort() }) as ApprovalRequest;

Deno.test("gateToolUses() refuses, fail closed, when the enforcer throws or rejects", async () => {
  const notes: string[] = [];
  let n = 0;
  const options = {
    newDecisionId: () => `d-${++n}`,
    approver: undefined,
    request,
    note: (message: string) => notes.push(message),
  };
  const thrown = gateToolUses([call("a")], {
    ...options,
    enforcer: {
      decide: () => {
        throw new Error("down");
      },
    },
  });
  assert.deepEqual(
    (thrown as { verdict: { ruleIds: string[] } }).verdict.ruleIds,
    ["enforcer.error"],
  );
  const rejected = await gateToolUses([call("a")], {
    ...options,
    enforcer: { decide: () => Promise.reject(new Error("gone")) },
  });
  assert.deepEqual(rejected?.verdict.ruleIds, ["enforcer.error"]);
  assert.equal(notes.length, 2);
});

Deno.test("gateToolUses() refuses a STEP_UP whose approver fails", async () => {
  const refused = await gateToolUses([call("a")], {
    enforcer: {
      decide: (_c, ids) => ({ decision: "step_up", decisionId: ids(), ruleIds: [], reasons: [] }),
    },
    newDecisionId: () => "d",
    approver: () => Promise.reject(new Error("no dialog")),
    request,
    note: () => {},
  });
  assert.equal(refused?.why, "the approval channel failed (no dialog)");
});

Deno.test("gateToolUses() answers at once when every verdict is given at once", () => {
  const allowed = gateToolUses([call("a"), call("b")], {
    enforcer: {
      decide: (_c, ids) => ({ decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] }),
    },
    newDecisionId: () => "d",
    approver: undefined,
    request,
    note: () => {},
  });
  assert.equal(allowed, undefined);
});
