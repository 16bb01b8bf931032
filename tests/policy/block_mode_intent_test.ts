/**
 * Block mode rejects a call outside the session intent outright, even when the
 * intent's `onViolation` is `step_up`; other STEP_UP verdicts still ask a person.
 */
import assert from "node:assert/strict";
import { applyMode } from "../../src/policy/apply_mode.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { explainCall } from "../../src/policy/explain_call.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { summarizePolicy } from "../../src/policy/summarize_policy.ts";
import { toolCall } from "./_call.ts";

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [{ id: "ask-deletes", match: { tool: "delete_*" }, decision: "step_up", reason: "ask" }],
  intents: { reading: { tools: ["read_*", "delete_*"], onViolation: "step_up" } },
});
const policy = compilePolicy(parsePolicy(POLICY, "policy.jsonc"));

Deno.test("block mode rejects an out-of-intent call whose intent says step_up, and says why", () => {
  const x = explainCall(policy, toolCall("fs", "write_file", { path: "/tmp/x" }), {
    intent: "reading",
    mode: "block",
  });
  assert.equal(x.evaluation.decision, "step_up");
  assert.deepEqual(x.evaluation.ruleIds, ["intent.out_of_scope"]);
  assert.equal(x.action.action, "block");
  assert.equal(x.action.wouldHave, "step_up");
  assert.match(x.action.explanation, /never approves a call outside the session intent/);
  assert.ok(x.lines.some((l) => /^mode block: block \(blocked by intent\.out_of_scope/.test(l)));
});

Deno.test("block mode still asks a person about other STEP_UP verdicts", () => {
  const inScope = explainCall(policy, toolCall("fs", "delete_file", { path: "/tmp/x" }), {
    intent: "reading",
    mode: "block",
  });
  assert.deepEqual(inScope.evaluation.ruleIds, ["ask-deletes"]);
  assert.equal(inScope.action.action, "step_up");
  const noIntent = explainCall(policy, toolCall("fs", "write_file", {}), {
    intent: undefined,
    mode: "block",
  });
  assert.equal(noIntent.action.action, "forward");
});

Deno.test("an out-of-intent call is rejected in block mode even when another STEP_UP rule decided it", () => {
  const a = applyMode({
    decision: "step_up",
    ruleIds: ["ask-deletes", "intent.out_of_scope"],
    violatedIds: ["ask-deletes", "intent.out_of_scope"],
  }, "block");
  assert.equal(a.action, "block");
  // The other modes are unchanged: step_up asks, observe forwards.
  const out = {
    decision: "step_up" as const,
    ruleIds: ["intent.out_of_scope"],
    violatedIds: ["intent.out_of_scope"],
  };
  assert.equal(applyMode(out, "step_up").action, "step_up");
  assert.equal(applyMode(out, "observe").action, "forward");
});

Deno.test("policy check's summary of block mode names calls outside the session intent", () => {
  assert.match(
    summarizePolicy(policy).modes.block,
    /^BLOCK verdicts are rejected, and so is every call outside the session intent/,
  );
});
