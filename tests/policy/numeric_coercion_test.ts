/**
 * `min` and `max` in a rule that blocks or steps up read a value the way
 * JavaScript's `Number()` (and so zod's `z.coerce.number()`) does: a
 * one-element array as its element, `""`, white space, `null` and `false` as
 * 0, `true` as 1. An allow rule needs a number or a numeric string.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { compilePredicate } from "../../src/policy/compile_predicate.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const restrictive = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    rules: [
      {
        id: "big",
        match: { tool: "transfer", args: { amount: { min: 1000 } } },
        decision: "block",
      },
      { id: "small", match: { tool: "set_level", args: { n: { max: 10 } } }, decision: "step_up" },
    ],
  }),
  "restrictive.jsonc",
));

const allowing = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "block",
    rules: [
      {
        id: "petty",
        match: { tool: "transfer", args: { amount: { max: 100 } } },
        decision: "allow",
      },
      { id: "some", match: { tool: "refund", args: { amount: { min: 1 } } }, decision: "allow" },
    ],
  }),
  "allowing.jsonc",
));

function decide(policy: typeof restrictive, tool: string, args: Record<string, unknown>) {
  return evaluate(policy, toolCall("bank", tool, args), {}).decision;
}

Deno.test("a block rule's min reads a one-element array as Number() does", () => {
  const big = [5000, "5000", [5000], ["5000"], [[5000]], [[["5000"]]], [" 5e3 "], ["0x1388"]];
  for (const amount of big) {
    assert.equal(decide(restrictive, "transfer", { amount }), "block", JSON.stringify(amount));
  }
  // Number() reads none of these as a number of 1000 or more.
  const notBig = [[999], ["999"], [5000, 5000], [true], [{ n: 5000 }], ["5,000"], [], [null], true];
  for (const amount of notBig) {
    assert.equal(decide(restrictive, "transfer", { amount }), "allow", JSON.stringify(amount));
  }
});

Deno.test("a step-up rule's max reads empty strings, null and booleans as Number() does", () => {
  const small = ["", "   ", "\t\n", null, false, true, [], [null], [""], [[" "]], ["7"]];
  for (const n of small) {
    assert.equal(decide(restrictive, "set_level", { n }), "step_up", JSON.stringify(n));
  }
  for (const n of [[true], [false], { n: 1 }, "abc", [1, 2], "11", [11]]) {
    assert.equal(decide(restrictive, "set_level", { n }), "allow", JSON.stringify(n));
  }
});

Deno.test("an allow rule's min and max take no array, empty string, null or boolean", () => {
  assert.equal(decide(allowing, "transfer", { amount: 50 }), "allow");
  assert.equal(decide(allowing, "transfer", { amount: "50" }), "allow");
  for (const amount of [[50], ["50"], [[50]], "", " ", null, false, true, [], [null]]) {
    assert.equal(decide(allowing, "transfer", { amount }), "block", JSON.stringify(amount));
  }
  assert.equal(decide(allowing, "refund", { amount: 5 }), "allow");
  for (const amount of [true, [5], ["5"]]) {
    assert.equal(decide(allowing, "refund", { amount }), "block", JSON.stringify(amount));
  }
});

Deno.test("compilePredicate() reads Number()'s forms only for a rule that blocks or steps up", () => {
  const some = compilePredicate("n", { min: 0, max: 10 }, "some");
  const every = compilePredicate("n", { min: 0, max: 10 }, "every");
  for (const v of [[5], ["5"], [[5]], "", " ", null, false, true, [], [null]]) {
    assert.equal(some.test([v]), true, JSON.stringify(v));
    assert.equal(every.test([v]), false, JSON.stringify(v));
  }
  for (const v of [5, "5", " 5 ", "0x5"]) {
    assert.equal(some.test([v]), true, JSON.stringify(v));
    assert.equal(every.test([v]), true, JSON.stringify(v));
  }
  // What Number() does not read stays no number for either.
  for (const v of [[true], [1, 2], { n: 5 }, "five", [{}]]) {
    assert.equal(some.test([v]), false, JSON.stringify(v));
    assert.equal(every.test([v]), false, JSON.stringify(v));
  }
  // A deep one-element nesting is read without recursion.
  let deep: unknown = 7;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(some.test([deep]), true);
});
