/**
 * Progressive mode says plainly what it did: the warning of a forwarded
 * violation says "forwarded" once, names the rule as `rule "x"`, and gives
 * the rungs ahead by violation number; the explanation a refusal quotes in
 * parentheses holds none of its own.
 */
import assert from "node:assert/strict";
import { LocalEnforcer, type LocalVerdict } from "../../src/enforcer/local_enforcer.ts";
import { applyMode } from "../../src/policy/apply_mode.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";

const POLICY = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    rules: [{ id: "no-sum", match: { tool: "get-sum" }, decision: "block", reason: "no sums" }],
    progressive: { window: "24h", stepUpAfter: 1, blockAfter: 3 },
  }),
  "p.jsonc",
));

const CALL: ToolCall = {
  server: "everything",
  tool: "get-sum",
  arguments: { a: 1, b: 2 },
  annotations: undefined,
  listed: true,
  era: "initialize",
  protocolVersion: "2025-06-18",
};

Deno.test("the progressive warning says forwarded once, names the rule, and nests no parentheses", () => {
  const enforcer = new LocalEnforcer({ policy: POLICY, mode: "progressive", userId: "ana" });
  let n = 0;
  const verdict = enforcer.decide(CALL, () => `d-${++n}`) as LocalVerdict;
  assert.equal(
    verdict.warn,
    'tool "get-sum" on server "everything" was forwarded; progressive mode: violation 1 of rule ' +
      '"no-sum" in the window; from violation 2 it needs approval, from violation 4 it is blocked',
  );
  assert.equal(verdict.warn!.match(/forwarded/g)?.length, 1);
  assert.doesNotMatch(verdict.warn!, /[()]/);
});

Deno.test("the progressive explanation of each rung has no parentheses of its own", () => {
  const rung = (prior: number, stepUpAfter = 1, blockAfter = 3) =>
    applyMode({ decision: "block", ruleIds: ["no-sum"], violatedIds: ["no-sum"] }, "progressive", {
      priorViolations: { "no-sum": prior },
      stepUpAfter,
      blockAfter,
    }).explanation;
  assert.equal(
    rung(1),
    'progressive mode: violation 2 of rule "no-sum" in the window, so it needs approval; from ' +
      "violation 4 it is blocked",
  );
  assert.equal(
    rung(3),
    'progressive mode: violation 4 of rule "no-sum" in the window, so it is blocked for up to ' +
      "one window after the latest violation, each try counting as one; the admin who manages " +
      "thoth's policy can change this",
  );
  // A ladder without an approval rung does not promise one.
  assert.equal(
    rung(0, 2, 2),
    'progressive mode: violation 1 of rule "no-sum" in the window; from violation 3 it is blocked',
  );
  for (const prior of [0, 1, 2, 3, 4]) assert.doesNotMatch(rung(prior), /[()]/);
});
