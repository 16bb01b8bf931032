/**
 * The predicates that name text (`regex`, `equals`, `oneOf`, `prefix`,
 * `glob`) as a rule that blocks reads them: a regex's `.` crosses line
 * breaks, as a glob's `*` does, and a number or boolean is also read by its
 * JSON text (in a list too, never as a path a folder resolves); the negated
 * predicates never stop matching for it. What matches more is only ever the
 * side that fails closed: an allow rule reads neither so, and a `notRegex`'s
 * `.` crosses line breaks only there.
 */
import assert from "node:assert/strict";
import { compilePredicate } from "../../src/policy/compile_predicate.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { toolCall } from "./_call.ts";

/** How a policy of `rules` over the default `fallback` decides a call of `args`. */
function decider(fallback: "allow" | "block", rules: readonly unknown[]) {
  const policy = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: fallback,
      rules,
      detectors: { phi: "off", pii: "off", secrets: "off" },
    }),
    "p.jsonc",
  ));
  return (args: Record<string, unknown>) =>
    evaluate(policy, toolCall("s", "t", args), { intent: undefined }).decision;
}

const BREAKS = ["\n", "\r", "\u2028", "\u2029"];

Deno.test("compilePredicate() regex: . matches line breaks only where that fails closed", () => {
  const drop = "[Dd][Rr][Oo][Pp] .*";
  const blocks = compilePredicate("sql", { regex: drop }, "some");
  const allows = compilePredicate("sql", { regex: drop }, "every");
  for (const sql of ["DROP TABLE x\n", "DROP TABLE x;\n-- done", "drop x\r", "DROP \u2028x"]) {
    assert.equal(blocks.test([sql]), true, JSON.stringify(sql));
    // An allow rule's regex must match the whole value with "." stopping at a break.
    assert.equal(allows.test([sql]), false, JSON.stringify(sql));
  }
  assert.equal(allows.test(["DROP TABLE x"]), true);
  // A pattern that would leave thoth's anchors, `^(?:ok)|(.*)$`, is refused.
  assert.throws(() => compilePredicate("sql", { regex: "ok)|(.*" }, "every"), SyntaxError);
  assert.equal(blocks.test(["SELECT 1\nDROP x"]), false, "still anchored at the start");
  // A notRegex is the other way round: its "." crosses breaks in an allow rule only.
  const url = "https://internal\\.corp/.*";
  const outside = compilePredicate("url", { notRegex: url }, "some");
  const inside = compilePredicate("url", { notRegex: url }, "every");
  for (const brk of BREAKS) {
    const smuggled = `https://internal.corp/x${brk}https://evil.com`;
    assert.equal(outside.test([smuggled]), true, JSON.stringify(brk));
    assert.equal(inside.test([smuggled]), false, JSON.stringify(brk));
  }
  assert.equal(outside.test(["https://internal.corp/x"]), false);
  assert.equal(inside.test(["https://evil.com/"]), true);
});

Deno.test("evaluate() blocks what line breaks hide from an allow regex or a block notRegex", () => {
  const decide = decider("block", [
    { id: "selects", match: { args: { sql: { regex: "SELECT .*" } } }, decision: "allow" },
    {
      id: "internal-only",
      match: { args: { url: { notRegex: "https://internal\\.corp/.*" } } },
      decision: "block",
    },
  ]);
  assert.equal(decide({ sql: "SELECT 1" }), "allow");
  for (const brk of BREAKS) {
    assert.equal(decide({ sql: `SELECT 1${brk}DROP TABLE x` }), "block", JSON.stringify(brk));
    const url = `https://internal.corp/x${brk}https://evil.com`;
    assert.equal(decide({ sql: "SELECT 1", url }), "block", JSON.stringify(brk));
  }
  assert.equal(decide({ sql: "SELECT 1", url: "https://internal.corp/x" }), "allow");
});

Deno.test("compilePredicate() reads a number or boolean by its JSON text in a rule that blocks", () => {
  const cases: [Parameters<typeof compilePredicate>[1], unknown[]][] = [
    [{ equals: "9990" }, [9990]],
    [{ oneOf: ["x", "9990"] }, [9990]],
    [{ regex: "999[0-9]*" }, [9990]],
    [{ prefix: "999" }, [9990]],
    [{ glob: "22" }, [22]],
    [{ glob: "1e+*" }, [1e21]],
    [{ equals: "true" }, [true]],
    [{ regex: "f.*" }, [false]],
    [{ equals: "-1.5" }, [-1.5]],
  ];
  for (const [predicate, values] of cases) {
    const blocks = compilePredicate("acct", predicate, "some");
    const allows = compilePredicate("acct", predicate, "every");
    for (const value of values) {
      const label = `${JSON.stringify(predicate)} on ${JSON.stringify(value)}`;
      assert.equal(blocks.test([value]), true, label);
      // An allow rule matches only the value as sent.
      assert.equal(allows.test([value]), false, label);
      assert.equal(allows.test([String(value)]), true, label);
    }
  }
  // Only its own text: no other number, and nothing that is neither string nor number.
  const acct = compilePredicate("acct", { equals: "9990" }, "some");
  for (const other of [999, 99900, 9990.5, null, {}, { n: 9990 }]) {
    assert.equal(acct.test([other]), false, JSON.stringify(other));
  }
});

Deno.test("compilePredicate() negated predicates keep matching a number a rule that blocks reads as text", () => {
  const negated: Parameters<typeof compilePredicate>[1][] = [
    { notEquals: "9990" },
    { notOneOf: ["9990"] },
    { notRegex: "999.*" },
    { notGlob: "99*" },
    { notGlob: ["/data/**", "9990"] },
  ];
  for (const predicate of negated) {
    for (const quantifier of ["some", "every"] as const) {
      const test = compilePredicate("acct", predicate, quantifier);
      assert.equal(test.test([9990]), true, `${quantifier} ${JSON.stringify(predicate)}`);
      assert.equal(test.test(["9990"]), false, `${quantifier} ${JSON.stringify(predicate)}`);
    }
  }
});

Deno.test("evaluate() blocks a number sent where a rule that blocks names its text", () => {
  const decide = decider("allow", [
    { id: "acct", match: { args: { acct: { equals: "9990" } } }, decision: "block" },
    { id: "ssh", match: { args: { port: { glob: "22" } } }, decision: "step_up" },
    { id: "sql", match: { args: { sql: { regex: "DROP .*" } } }, decision: "block" },
  ]);
  assert.equal(decide({ acct: 9990 }), "block");
  assert.equal(decide({ port: 22 }), "step_up");
  assert.equal(decide({ sql: "DROP TABLE patients;\n-- done" }), "block");
  assert.equal(decide({ acct: 9991, port: 23, sql: "SELECT 1\n" }), "allow");
});

Deno.test("compilePredicate() reads a list's numbers and booleans by their text in a rule that blocks", () => {
  const cases: [Parameters<typeof compilePredicate>[1], unknown][] = [
    [{ equals: "9990" }, [9990]],
    [{ oneOf: ["9990"] }, [9990]],
    [{ regex: "99.0" }, [9990]],
    [{ prefix: "999" }, [[9990]]],
    [{ glob: "22" }, [22]],
    [{ equals: "true" }, [true]],
  ];
  for (const [predicate, value] of cases) {
    const label = `${JSON.stringify(predicate)} on ${JSON.stringify(value)}`;
    assert.equal(compilePredicate("acct", predicate, "some").test([value]), true, label);
    assert.equal(compilePredicate("acct", predicate, "every").test([value]), false, label);
  }
  // min and max alone read a list as Number() does: [5000, 1] is no number.
  assert.equal(compilePredicate("n", { min: 1000 }, "some").test([[5000, 1]]), false);
  assert.equal(compilePredicate("n", { min: 1000 }, "some").test([[5000]]), true);
});

Deno.test("compilePredicate() reads a number's text only as written, never against a base", () => {
  // Run from a folder under /tmp, "1" as a relative path would be inside /tmp/**.
  const options = { os: "linux", bases: ["/tmp/project", "/tmp"] };
  const ids = compilePredicate("ids[*]", { glob: "/tmp/**" }, "some", options);
  assert.equal(ids.test([1, 2, 3]), false);
  assert.equal(ids.test([true]), false);
  assert.equal(ids.test(["1"]), true, "a string is still a relative path");
  const prefix = compilePredicate("n", { prefix: "/tmp/" }, "some", options);
  assert.equal(prefix.test([1]), false);
  assert.equal(compilePredicate("n", { glob: "1" }, "some", options).test([1]), true);
});

Deno.test("evaluate() blocks a one-element list of a number a rule that blocks names", () => {
  const decide = decider("allow", [
    { id: "acct", match: { args: { acct: { equals: "9990" } } }, decision: "block" },
    { id: "accts", match: { args: { acct: { oneOf: ["9991"] } } }, decision: "block" },
    { id: "accts-re", match: { args: { acct: { regex: "99[89]2" } } }, decision: "block" },
    { id: "ssh", match: { args: { port: { glob: "22" } } }, decision: "block" },
  ]);
  for (const acct of [[9990], [9991], [9992], [9982]]) {
    assert.equal(decide({ acct }), "block", JSON.stringify(acct));
  }
  assert.equal(decide({ port: [22] }), "block");
  assert.equal(decide({ acct: [9993], port: [23] }), "allow");
});
