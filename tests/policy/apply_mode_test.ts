import assert from "node:assert/strict";
import { applyMode } from "../../src/policy/apply_mode.ts";
import type { Decision } from "../../src/policy/verdict.ts";

const verdict = (decision: Decision) => ({
  decision,
  ruleIds: ["r1"],
  violatedIds: decision === "allow" ? [] : ["r1"],
});
const ladder = (prior: number) => ({
  priorViolations: { r1: prior },
  stepUpAfter: 1,
  blockAfter: 3,
});

Deno.test("applyMode() forwards what the policy allows in every mode", () => {
  for (const mode of ["observe", "step_up", "progressive", "block"] as const) {
    const a = applyMode(verdict("allow"), mode, ladder(10));
    assert.equal(a.action, "forward");
    assert.equal(a.violation, false);
  }
});

Deno.test("applyMode() observe forwards a block and keeps what would have happened", () => {
  const a = applyMode(verdict("block"), "observe");
  assert.equal(a.action, "forward");
  assert.equal(a.wouldHave, "block");
  assert.match(a.explanation, /would have answered BLOCK \(r1\)/);
});

Deno.test("applyMode() step_up turns every violation into an approval request", () => {
  assert.equal(applyMode(verdict("block"), "step_up").action, "step_up");
  assert.equal(applyMode(verdict("step_up"), "step_up").action, "step_up");
});

Deno.test("applyMode() block rejects blocks and keeps step_up verdicts as approval requests", () => {
  assert.equal(applyMode(verdict("block"), "block").action, "block");
  assert.equal(applyMode(verdict("step_up"), "block").action, "step_up");
});

Deno.test("applyMode() progressive escalates warn, step_up, block by prior violations", () => {
  const seen = [0, 1, 2, 3, 4].map((n) => applyMode(verdict("block"), "progressive", ladder(n)));
  assert.deepEqual(seen.map((a) => a.action), [
    "forward_warn",
    "step_up",
    "step_up",
    "block",
    "block",
  ]);
  assert.deepEqual(seen.map((a) => a.violationNumber), [1, 2, 3, 4, 5]);
});

Deno.test("applyMode() progressive counts the worst of the violated rules", () => {
  const a = applyMode(
    {
      decision: "step_up",
      ruleIds: ["r1", "r2"],
      violatedIds: ["r1", "r2"],
    },
    "progressive",
    {
      priorViolations: { r1: 0, r2: 5 },
      stepUpAfter: 1,
      blockAfter: 3,
    },
  );
  assert.equal(a.action, "block");
});

Deno.test("applyMode() progressive with stepUpAfter 0 never warns", () => {
  const a = applyMode(verdict("step_up"), "progressive", {
    priorViolations: {},
    stepUpAfter: 0,
    blockAfter: 2,
  });
  assert.equal(a.action, "step_up");
});

Deno.test("applyMode() progressive counts violated rules that did not decide the call", () => {
  // r2 (step_up) was violated alongside the deciding block rule r1 and was counted before.
  const a = applyMode(
    {
      decision: "block",
      ruleIds: ["r1"],
      violatedIds: ["r1", "r2"],
    },
    "progressive",
    {
      priorViolations: { r1: 0, r2: 4 },
      stepUpAfter: 1,
      blockAfter: 3,
    },
  );
  assert.equal(a.action, "block");
  assert.equal(a.violationNumber, 5);
  assert.equal(
    a.explanation,
    'progressive mode: violation 5 of rule "r2" in the window, so it is blocked for up to one ' +
      "window after the latest violation, each try counting as one; the admin who manages " +
      "thoth's policy can change this",
  );
});
