/**
 * A profile keeps the policy its first `thoth run` wrote. A policy an earlier
 * release's default wrote (the default's `reads`, `destructive` and a
 * `delete-like` with a default's globs) has no `command-runners` rule, so a
 * tool that runs shell commands is allowed there unasked: earlierDefaultRules()
 * notes it, with how to take the current rule. Not the current default, not a
 * policy that keeps the rule disabled (the admin's choice), not an admin's own
 * policy.
 */
import assert from "node:assert/strict";
import { earlierDefaultRules } from "../../src/policy/earlier_default_rules.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { withoutCommandRunners } from "./_earlier_default_texts.ts";

Deno.test("earlierDefaultRules() notes a default-written policy without command-runners", () => {
  const notes = earlierDefaultRules(parsePolicy(withoutCommandRunners(), "p.jsonc"));
  assert.deepEqual(notes.map((n) => [n.code, n.rule]), [
    ["policy.earlier_default_rule", "command-runners"],
  ]);
  assert.match(notes[0]!.message, /no rule "command-runners"/);
  assert.match(notes[0]!.message, /run_command, execute_command, shell, bash/);
  assert.match(notes[0]!.message, /default verdict \(allow\)/);
  assert.match(notes[0]!.message, /answering thoth's approval requests/);
  assert.match(notes[0]!.remedy, /"thoth policy default"/);
  assert.match(notes[0]!.remedy, /"enabled": false/);
});

Deno.test("earlierDefaultRules() leaves command-runners alone when the policy has it or is an admin's", () => {
  assert.deepEqual(earlierDefaultRules(parsePolicy(DEFAULT_POLICY_JSONC, "p.jsonc")), []);
  // Kept disabled: the admin's choice.
  const disabled = DEFAULT_POLICY_JSONC.replace(
    '"id": "command-runners",',
    '"id": "command-runners", "enabled": false,',
  );
  assert.notEqual(disabled, DEFAULT_POLICY_JSONC);
  assert.deepEqual(earlierDefaultRules(parsePolicy(disabled, "p.jsonc")), []);
  // An admin's policy: reads or destructive gone. (A delete-like rewritten is still a
  // default's policy without command-runners: noted.)
  const policy = parsePolicy(withoutCommandRunners(), "p.jsonc");
  const rules = policy.rules ?? [];
  const rewritten = rules.map((r) =>
    r.id === "delete-like" ? { ...r, match: { tool: ["delete_*"] } } : r
  );
  assert.deepEqual(
    earlierDefaultRules({ ...policy, rules: rewritten }).map((n) => n.rule),
    ["command-runners"],
  );
  const noReads = rules.filter((r) => r.id !== "reads");
  const noDestructive = rules.filter((r) => r.id !== "destructive");
  for (const changed of [noReads, noDestructive]) {
    assert.deepEqual(earlierDefaultRules({ ...policy, rules: changed }), []);
  }
  // A single earlier delete-like rule is noted for itself only.
  const single = parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{
        id: "delete-like",
        match: { tool: ["*delete*", "*remove*", "*drop*", "*destroy*", "*purge*"] },
        decision: "step_up",
      }],
    }),
    "p.jsonc",
  );
  assert.deepEqual(earlierDefaultRules(single).map((n) => n.rule), ["delete-like"]);
});

Deno.test("earlierDefaultRules() notes both rules of a policy the first releases wrote", () => {
  const first = withoutCommandRunners(["*delete*", "*remove*", "*drop*", "*destroy*", "*purge*"]);
  const notes = earlierDefaultRules(parsePolicy(first, "p.jsonc"));
  assert.deepEqual(notes.map((n) => n.rule), ["command-runners", "delete-like"]);
});
