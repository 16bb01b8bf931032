/**
 * Explains one call for `thoth policy explain`: the evaluation, the action a
 * mode would take (progressive as if no violation came before; a call that
 * reaches thoth's own files blocked in every mode, as `thoth run` does, when
 * the policy was compiled with `ownFolders`), and every
 * contribution as a line and as data (`contributions`), for people chasing a
 * false positive; and the disabled rules (`"enabled": false`) that would have
 * matched, for people chasing a false negative.
 *
 * @example
 * ```ts
 * const x = explainCall(compiled, call, { intent: undefined, mode: "block" });
 * x.lines.forEach((line) => console.log(line));
 * ```
 */
import type { Action } from "./action.ts";
import { applyMode } from "./apply_mode.ts";
import type { CompileOptions } from "./compile_policy.ts";
import type { CompiledPolicy } from "./compiled_policy.ts";
import { type DisabledMatch, disabledRuleMatches } from "./disabled_rule_matches.ts";
import { type Contribution, explainContributions } from "./explain_contributions.ts";
import type { EnforcementMode } from "./enforcement_mode.ts";
import { evaluate } from "./evaluate.ts";
import type { Evaluation } from "./evaluation.ts";
import { ownFilesAction, reachesOwnFiles } from "./own_files.ts";
import type { ToolCall } from "./tool_call.ts";

/** The explanation of one call. */
export interface CallExplanation {
  evaluation: Evaluation;
  action: Action;
  /** Every contribution, the intent check and the mode's effect (see `explain_contributions.ts`). */
  contributions: Contribution[];
  /** Disabled rules that would have matched. */
  disabledMatches: DisabledMatch[];
  lines: string[];
}

/** Evaluates `call` and describes every step. */
export function explainCall(
  policy: CompiledPolicy,
  call: ToolCall,
  options: {
    intent: string | undefined;
    mode: EnforcementMode;
    /** What `policy` was compiled with, for its disabled rules (relative paths, bases). */
    compileOptions?: CompileOptions;
  },
): CallExplanation {
  const evaluation = evaluate(policy, call, { intent: options.intent });
  // thoth's own files are blocked in every mode, as thoth run blocks them.
  const own = reachesOwnFiles(evaluation);
  const action = own !== undefined
    ? ownFilesAction(options.mode, own)
    : applyMode(evaluation, options.mode, {
      priorViolations: {},
      stepUpAfter: policy.progressive.stepUpAfter,
      blockAfter: policy.progressive.blockAfter,
    });
  const lines = [
    `verdict: ${evaluation.decision.toUpperCase()} (${evaluation.ruleIds.join(", ")})`,
    `mode ${options.mode}: ${action.action} (${action.explanation})` +
    (options.mode === "progressive" && action.violation && !own
      ? "; explain assumes no earlier violation in the window, while thoth run counts them " +
        "per server and user under $THOTH_HOME/state"
      : ""),
    `risk score: ${evaluation.riskScore}`,
    ...evaluation.matches.map((m) => `${m.decision.padEnd(7)} ${m.id}: ${m.reason}`),
    ...evaluation.findings.map((f) => `finding ${f.kind}/${f.type} at ${f.path}`),
    ...evaluation.notes.map((n) => `note: ${n}`),
  ];
  const disabledMatches = disabledRuleMatches(policy.source, call, options.compileOptions ?? {});
  for (const d of disabledMatches) {
    // The stand-in reason reads as a verdict of its own ("matched"): said plainly instead.
    const why = d.reasonGiven ? `: ${d.reason}` : ", no reason given";
    lines.push(`disabled rule ${d.id} would have matched (${d.decision}${why})`);
  }
  const contributions = explainContributions(policy, call, evaluation, action, options.intent);
  return { evaluation, action, contributions, disabledMatches, lines };
}
