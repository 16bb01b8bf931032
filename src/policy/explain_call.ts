/**
 * Explains one call for `thoth policy explain`: the evaluation, the action a
 * mode would take (progressive as if no violation came before; a call that
 * reaches thoth's own files blocked in every mode, as `thoth run` does, when
 * the policy was compiled with `ownFolders`), and every
 * contribution as a line, for people chasing a false positive.
 *
 * @example
 * ```ts
 * const x = explainCall(compiled, call, { intent: undefined, mode: "block" });
 * x.lines.forEach((line) => console.log(line));
 * ```
 */
import type { Action } from "./action.ts";
import { applyMode } from "./apply_mode.ts";
import type { CompiledPolicy } from "./compiled_policy.ts";
import type { EnforcementMode } from "./enforcement_mode.ts";
import { evaluate } from "./evaluate.ts";
import type { Evaluation } from "./evaluation.ts";
import { ownFilesAction, reachesOwnFiles } from "./own_files.ts";
import type { ToolCall } from "./tool_call.ts";

/** The explanation of one call. */
export interface CallExplanation {
  evaluation: Evaluation;
  action: Action;
  lines: string[];
}

/** Evaluates `call` and describes every step. */
export function explainCall(
  policy: CompiledPolicy,
  call: ToolCall,
  options: { intent: string | undefined; mode: EnforcementMode },
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
  return { evaluation, action, lines };
}
