/**
 * Every contribution to one call's verdict as data, for `thoth policy
 * explain --json`: each match (rule with its reason, or whether it gave
 * none; detector with its findings; risk; default; thoth's own), the intent
 * check (a tool inside the session intent counts too), and what the mode
 * did with the verdict. Pure.
 *
 * @example
 * ```ts
 * const list = explainContributions(compiled, call, evaluation, action, "billing");
 * list.at(-1); // { source: "mode", id: "mode.block", decision: null, action: "block", reason: "…" }
 * ```
 */
import type { Action, ActionKind } from "./action.ts";
import type { CompiledPolicy } from "./compiled_policy.ts";
import type { Finding } from "./detectors/finding.ts";
import type { Evaluation, MatchSource } from "./evaluation.ts";
import type { Decision } from "./verdict.ts";
import type { ToolCall } from "./tool_call.ts";
import { shownName } from "../approval/shown_name.ts";

/** One contribution to a verdict. */
export interface Contribution {
  source: MatchSource | "mode";
  /** A rule id, one of thoth's dotted ids, `intent.in_scope`, or `mode.<mode>`. */
  id: string;
  /** What it decided; null for the mode, which acts on the verdict rather than deciding. */
  decision: Decision | null;
  /** Human text; never an argument value. */
  reason: string;
  /** Rules only: false when the rule gives no reason (`reason` is then a stand-in). */
  reasonGiven?: boolean;
  /** Detectors only: the findings of that kind (kind, type, argument path). */
  findings?: Finding[];
  /** The mode only: what it does with the call. */
  action?: ActionKind;
}

/** The contributions to `evaluation` of `call` under `policy`, with `intent` and `action`. */
export function explainContributions(
  policy: CompiledPolicy,
  call: ToolCall,
  evaluation: Evaluation,
  action: Action,
  intent: string | undefined,
): Contribution[] {
  const given = new Map(policy.rules.map((r) => [r.id, r.reasonGiven]));
  const out: Contribution[] = evaluation.matches.map((m): Contribution => {
    const entry: Contribution = {
      source: m.source,
      id: m.id,
      decision: m.decision,
      reason: m.reason,
    };
    if (m.source === "rule") entry.reasonGiven = given.get(m.id) ?? true;
    const kind = m.source === "detector" ? m.id.slice("detector.".length) : "";
    if (kind === "phi" || kind === "pii" || kind === "secret") {
      entry.findings = evaluation.findings.filter((f) => f.kind === kind);
    }
    return entry;
  });
  // The intent was checked (thoth's own protection decides before it, and alone) and held.
  const checked = evaluation.matches.some((m) => m.source !== "thoth");
  if (intent !== undefined && checked && !evaluation.intentViolation) {
    out.push({
      source: "intent",
      id: "intent.in_scope",
      decision: "allow",
      reason: `tool ${shownName(call.tool)} is inside session intent "${intent}"`,
    });
  }
  out.push({
    source: "mode",
    id: `mode.${action.mode}`,
    decision: null,
    action: action.action,
    reason: action.explanation,
  });
  return out;
}
