/**
 * earlierDefaultRules() names a `delete-like` rule whose tool globs are an
 * earlier default policy's (those that matched the words inside other
 * words), in any order, and nothing else: not the current default's, not a
 * rule an admin rewrote or disabled, not another id with those globs.
 */
import assert from "node:assert/strict";
import { earlierDefaultRules } from "../../src/policy/earlier_default_rules.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";

/** The globs of the default policy's delete-like rule before it matched whole words only. */
const BEFORE_WHOLE_WORDS = [
  "**[dD]elete**",
  "**DELETE**",
  "**[rR]emove**",
  "**REMOVE**",
  "**[dD]rop**",
  "**DROP**",
  "**[dD]estroy**",
  "**DESTROY**",
  "**[pP]urge**",
  "**PURGE**",
];
/** The first releases' globs. */
const FIRST = ["*delete*", "*remove*", "*drop*", "*destroy*", "*purge*"];

function policyWith(rule: Record<string, unknown>) {
  const text = JSON.stringify({ version: 1, default: "allow", rules: [rule] });
  return parsePolicy(text, "p.jsonc");
}

Deno.test("earlierDefaultRules() notes delete-like with an earlier default's globs", () => {
  for (const tool of [BEFORE_WHOLE_WORDS, FIRST, [...BEFORE_WHOLE_WORDS].reverse()]) {
    const notes = earlierDefaultRules(
      policyWith({ id: "delete-like", match: { tool }, decision: "step_up" }),
    );
    assert.equal(notes.length, 1, tool.join(" "));
    assert.equal(notes[0]!.code, "policy.earlier_default_rule");
    assert.equal(notes[0]!.rule, "delete-like");
    assert.match(notes[0]!.message, /inside other words/);
    assert.match(notes[0]!.message, /dropbox_list_folder/);
    assert.match(notes[0]!.message, /\(step_up\)/);
    assert.match(notes[0]!.remedy, /"thoth policy default"/);
  }
});

Deno.test("earlierDefaultRules() leaves the current default and an admin's rules alone", () => {
  assert.deepEqual(earlierDefaultRules(parsePolicy(DEFAULT_POLICY_JSONC, "p.jsonc")), []);
  const others = [
    // rewritten: one glob less, or one more
    { id: "delete-like", match: { tool: BEFORE_WHOLE_WORDS.slice(1) }, decision: "step_up" },
    { id: "delete-like", match: { tool: [...FIRST, "*rm*"] }, decision: "step_up" },
    // disabled: it decides nothing
    { id: "delete-like", match: { tool: FIRST }, decision: "step_up", enabled: false },
    // another rule's id
    { id: "my-deletes", match: { tool: FIRST }, decision: "block" },
    // no tool globs
    { id: "delete-like", match: { server: "fs" }, decision: "step_up" },
  ];
  for (const rule of others) {
    assert.deepEqual(earlierDefaultRules(policyWith(rule)), [], JSON.stringify(rule));
  }
});
