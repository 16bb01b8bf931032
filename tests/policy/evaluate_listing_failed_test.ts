/**
 * When thoth could not list the server's tools for a call, its annotations
 * are unknown, not absent: a rule on `destructiveHint` might have matched.
 * The call gets `thoth.listing_failed`, a BLOCK that names why, and the mode
 * applies it as any violation (observe forwards it, step_up asks, block
 * refuses). A tool that simply was not in the list thoth saw is noted as
 * such, never as one the server did not list when thoth never asked.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { LocalEnforcer } from "../../src/enforcer/local_enforcer.ts";
import type { EnforcementMode } from "../../src/policy/enforcement_mode.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import { toolCall } from "./_call.ts";

const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));
const WHY = "the server did not answer within 5 s";

/** write_file as thoth decides it once its own listing failed. */
const unknownAnnotations = (): ToolCall =>
  ({
    ...toolCall("filesystem", "write_file", { path: "/tmp/x", content: "x" }, undefined, false),
    listingFailure: WHY,
  }) as ToolCall;

Deno.test("evaluate() blocks a call whose tool annotations thoth could not list, and says why", () => {
  const e = evaluate(policy, unknownAnnotations(), {});
  assert.equal(e.decision, "block");
  assert.deepEqual(e.ruleIds, ["thoth.listing_failed"]);
  assert.equal(
    e.reasons[0],
    `thoth could not list the server's tools: ${WHY}; the tool's annotations ` +
      "(destructiveHint, readOnlyHint) are unknown",
  );
  assert.ok(
    !e.reasons.some((r) => /tools\/list;|not in the server's tools\/list/.test(r)),
    "nothing says the server left the tool out of a list thoth never got",
  );
});

for (
  const [mode, action] of [
    ["observe", "forward"],
    ["step_up", "step_up"],
    ["block", "block"],
  ] as const satisfies readonly (readonly [EnforcementMode, string])[]
) {
  Deno.test(`a call whose tool annotations are unknown is a violation ${mode} mode treats as such`, () => {
    const enforcer = new LocalEnforcer({ policy, mode, userId: "ana" });
    const verdict = enforcer.decide(unknownAnnotations(), () => "d-1");
    assert.ok(!(verdict instanceof Promise));
    assert.equal(verdict.action.action, action);
    assert.equal(verdict.action.wouldHave, "block");
  });
}

Deno.test("evaluate() notes a tool missing from the list thoth saw without blaming the server", () => {
  const e = evaluate(policy, toolCall("filesystem", "write_file", {}, undefined, false), {});
  assert.ok(!e.matches.some((m) => m.id === "thoth.listing_failed"));
  assert.deepEqual(e.notes, [
    'tool "write_file" is in no tools/list thoth has seen; it has no annotations',
  ]);
});
