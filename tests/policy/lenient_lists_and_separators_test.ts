// Spellings a lenient reader still takes for the value a rule or detector is
// about: an SSN grouped by `/` or `_`, a card grouped by dots, one path in a
// list where a path was expected, and one path where a list was expected.
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { detectUsSsn } from "../../src/policy/detectors/detect_us_ssn.ts";
import { cardNumbersIn } from "../../src/policy/detectors/detect_payment_card.ts";
import { toolCall } from "./_call.ts";

const rules = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    rules: [
      {
        id: "no-etc",
        match: { tool: "read_file", args: { path: { glob: "/etc/**" } } },
        decision: "block",
      },
      {
        id: "no-etc-many",
        match: { tool: "read_many", args: { "paths[*]": { glob: "/etc/**" } } },
        decision: "block",
      },
      {
        id: "data-only",
        match: { tool: "copy_many", args: { "paths[*]": { glob: "/data/**" } } },
        decision: "allow",
      },
    ],
  }),
  "p.jsonc",
));
const guarded = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "block",
    rules: [
      {
        id: "no-etc-copies",
        match: { tool: "copy_many", args: { "paths[*]": { glob: "/etc/**" } } },
        decision: "block",
      },
      {
        id: "data-only",
        match: { tool: "copy_many", args: { "paths[*]": { glob: "/data/**" } } },
        decision: "allow",
      },
    ],
  }),
  "p.jsonc",
));

function ruleOf(policy: typeof rules, tool: string, args: Record<string, unknown>): string {
  return evaluate(policy, toolCall("fs", tool, args), {}).ruleIds.join(",");
}

Deno.test("a path rule that blocks reads one path sent in a list, and a list rule one path alone", () => {
  assert.equal(ruleOf(rules, "read_file", { path: ["/etc/shadow"] }), "no-etc");
  assert.equal(ruleOf(rules, "read_file", { path: [["/etc/shadow"]] }), "no-etc");
  assert.equal(ruleOf(rules, "read_file", { path: ["/srv/a", "/etc/shadow"] }), "no-etc");
  assert.equal(ruleOf(rules, "read_file", { path: ["/srv/a"] }), "policy.default");
  assert.equal(ruleOf(rules, "read_many", { paths: "/etc/shadow" }), "no-etc-many");
  assert.equal(ruleOf(rules, "read_many", { paths: ["/etc/shadow"] }), "no-etc-many");
  assert.equal(ruleOf(rules, "read_many", { paths: "/srv/a" }), "policy.default");
});

Deno.test("a list rule that allows still takes only a list, whatever a rule that blocks reads", () => {
  assert.equal(ruleOf(guarded, "copy_many", { paths: ["/data/a"] }), "data-only");
  // The same path selected for both kinds of rule in one call: the one that blocks reads the
  // single path, the one that allows does not.
  assert.equal(ruleOf(guarded, "copy_many", { paths: "/data/a" }), "policy.default");
  assert.equal(ruleOf(guarded, "copy_many", { paths: "/etc/passwd" }), "no-etc-copies");
});

Deno.test("detectUsSsn() reads a labelled or keyed SSN grouped by / or _, never a path alone", () => {
  for (const text of ["patient SSN: 078/05/1120", "SSN 078_05_1120", "ssn=219/09/9998"]) {
    assert.equal(detectUsSsn(text, undefined), true, text);
  }
  assert.equal(detectUsSsn("078/05/1120", "ssn"), true);
  assert.equal(detectUsSsn("078_05_1120", "patient_ssn"), true);
  for (
    const text of ["078/05/1120", "/srv/078/05/1120", "order 123_45_6789", "SSN 078/05/11201"]
  ) {
    assert.equal(detectUsSsn(text, undefined), false, text);
  }
  assert.equal(detectUsSsn("078/00/1120", "ssn"), false, "group 00 is never issued");
});

Deno.test("cardNumbersIn() reads a card grouped by dots, not a decimal or a version", () => {
  for (
    const text of ["4539.1488.0343.6467", "card 4539.1488.0343.6467.", "amex 3487.192630.54187"]
  ) {
    assert.equal(cardNumbersIn(text), "other", text);
  }
  assert.equal(cardNumbersIn("4242.4242.4242.4242"), "examples");
  for (
    const text of [
      "45.391488034364674",
      "4.539148803436467",
      "1.4539.1488.0343.6467",
      "4539.1488.0343.6467.1",
      "release 2024.1488.0343.6467",
      "10.0.0.1 and 192.168.100.200",
    ]
  ) {
    assert.equal(cardNumbersIn(text), "none", text);
  }
});
