/**
 * The progressive policy the enforcer tests count violations against (one
 * rule, "no-deletes", on the tool `delete`) and the call that breaks it.
 *
 * @example
 * ```ts
 * const policy = noDeletesPolicy("block", { stepUpAfter: 1, blockAfter: 2 });
 * const verdict = await enforcer.decide(DELETION, () => "d-1");
 * ```
 */
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";

/**
 * A policy that allows everything but `delete`, which the rule "no-deletes"
 * decides as `decision`, counted over a one-hour window with `thresholds`.
 */
export function noDeletesPolicy(
  decision: "block" | "step_up",
  thresholds: { stepUpAfter: number; blockAfter: number },
  reason = decision === "block" ? "no deletes" : "ask",
): ReturnType<typeof parsePolicy> {
  return parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{ id: "no-deletes", match: { tool: "delete" }, decision, reason }],
      progressive: { window: "1h", ...thresholds },
    }),
    "t.jsonc",
  );
}

/** A listed call to `delete` on server `fs`, which "no-deletes" matches. */
export const DELETION: ToolCall = {
  server: "fs",
  tool: "delete",
  arguments: {},
  annotations: undefined,
  listed: true,
  era: "initialize",
  protocolVersion: "2025-06-18",
};
