/**
 * The rules a policy holds with `"enabled": false` that would have matched a
 * call, for `thoth policy explain`: an admin chasing a verdict sees that the
 * rule they expected is switched off. The disabled rules are compiled as
 * enabled, with the options the policy was compiled with (relative paths
 * resolve in the same folders), and the call evaluated against them alone.
 * Pure; never on the path of a governed call.
 *
 * @example
 * ```ts
 * disabledRuleMatches(compiled.source, call, {});
 * // [{ id: "no-etc", decision: "block", reason: "no etc", reasonGiven: true }]
 * ```
 */
import { type CompileOptions, compilePolicy } from "./compile_policy.ts";
import { evaluate } from "./evaluate.ts";
import type { Policy } from "./policy_schema.ts";
import type { ToolCall } from "./tool_call.ts";
import type { Decision } from "./verdict.ts";

/** One disabled rule that would have matched. */
export interface DisabledMatch {
  id: string;
  decision: Decision;
  /** The rule's reason, or "matched (no reason given)" when `reasonGiven` is false. */
  reason: string;
  reasonGiven: boolean;
}

/** The disabled rules of `source` that match `call`, in the policy's order. */
export function disabledRuleMatches(
  source: Policy,
  call: ToolCall,
  options: CompileOptions,
): DisabledMatch[] {
  const disabled = (source.rules ?? []).filter((r) => r.enabled === false);
  if (disabled.length === 0) return [];
  const alone = compilePolicy(
    { version: 1, default: "allow", rules: disabled.map((r) => ({ ...r, enabled: true })) },
    options,
  );
  const matched = new Set(
    evaluate(alone, call, {}).matches.filter((m) => m.source === "rule").map((m) => m.id),
  );
  return alone.rules.filter((r) => matched.has(r.id)).map((r) => ({
    id: r.id,
    decision: r.decision,
    reason: r.reason,
    reasonGiven: r.reasonGiven,
  }));
}
