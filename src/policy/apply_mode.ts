/**
 * Applies an enforcement mode to a policy evaluation. Pure: prior violation
 * counts come in, nothing is recorded here.
 *
 * - `observe`: every call is forwarded; `wouldHave` keeps the policy's decision.
 * - `step_up`: every violation (a BLOCK or STEP_UP verdict) becomes an
 *   approval request; allowed calls are forwarded.
 * - `block`: the policy is enforced as written: BLOCK verdicts are rejected,
 *   STEP_UP verdicts ask a person (and are denied when no approval channel
 *   answers), so no violation is ever forwarded without a person's yes. This
 *   keeps `step_up` rules meaningful in the fail-closed default mode; a policy
 *   that wants no exceptions writes `block`. A call outside the session
 *   intent (`intent.out_of_scope`) is the exception to asking: block mode
 *   rejects it outright whatever the intent's `onViolation`, and never asks
 *   anyone to approve it.
 * - `progressive`: violations are counted within the window per server, user
 *   and rule, for every rule the call violates (each of `violatedIds`, also
 *   the ones that did not decide it). The rule among them with the most
 *   violations before this one sets the rung: the call warns while fewer
 *   than `stepUpAfter` came before it, asks while fewer than `blockAfter`
 *   came before it, and blocks after that, whatever the verdict was. A warn
 *   forwards the call. The block rung says how long it lasts (the counts
 *   carry no times: up to one window after the latest violation, every try
 *   counted) and that the admin who manages the policy can change it (thoth
 *   has no command that resets the counters).
 *
 * @example
 * ```ts
 * applyMode(evaluation, "observe").action; // "forward"
 * applyMode(evaluation, "progressive", {
 *   priorViolations: { "no-deletes": 3 }, stepUpAfter: 1, blockAfter: 3,
 * }).action; // "block"
 * ```
 */
import type { Action } from "./action.ts";
import { DEFAULT_PROGRESSIVE } from "./default_progressive.ts";
import type { EnforcementMode } from "./enforcement_mode.ts";
import type { Evaluation } from "./evaluation.ts";

/** Prior violations (within the window) per violated rule id, and the ladder's rungs. */
export interface ProgressiveInput {
  priorViolations: Readonly<Record<string, number>>;
  stepUpAfter: number;
  blockAfter: number;
  /** The policy's window as written (`24h`), for the block rung's text; "one window" without it. */
  window?: string | undefined;
}

/** Who can change a block: thoth has no command that resets the counters. */
const WHO_LIFTS = "the admin who manages thoth's policy can change this";

const NAMES = { allow: "ALLOW", step_up: "STEP_UP", block: "BLOCK" } as const;

/** The id of a call outside the session intent, which block mode never sends for approval. */
const OUT_OF_SCOPE = "intent.out_of_scope";

/** Turns `evaluation` into the action `mode` requires. */
export function applyMode(
  evaluation: Pick<Evaluation, "decision" | "ruleIds" | "violatedIds">,
  mode: EnforcementMode,
  progressive?: ProgressiveInput,
): Action {
  const wouldHave = evaluation.decision;
  const violation = wouldHave !== "allow";
  const base = { wouldHave, mode, violation, ladder: undefined, violationNumber: undefined };
  if (!violation) {
    return { ...base, action: "forward", explanation: "allowed by the policy" };
  }
  const rules = evaluation.ruleIds.join(", ");
  switch (mode) {
    case "observe":
      return {
        ...base,
        action: "forward",
        explanation: `observe mode: forwarded; the policy would have answered ${
          NAMES[wouldHave]
        } (${rules})`,
      };
    case "step_up":
      return {
        ...base,
        action: "step_up",
        explanation: `step_up mode: the ${NAMES[wouldHave]} verdict (${rules}) needs approval`,
      };
    case "block":
      if (evaluation.violatedIds.includes(OUT_OF_SCOPE)) {
        return {
          ...base,
          action: "block",
          explanation: `blocked by ${OUT_OF_SCOPE}` +
            (wouldHave === "block" ? "" : ` (the policy said ${NAMES[wouldHave]}: ${rules})`) +
            ": block mode never approves a call outside the session intent",
        };
      }
      return {
        ...base,
        action: wouldHave,
        explanation: wouldHave === "block"
          ? `blocked by ${rules}`
          : `approval required by ${rules}`,
      };
    case "progressive": {
      const p = progressive ?? { ...DEFAULT_PROGRESSIVE, priorViolations: {} };
      // The worst-counted of the violated rules sets the rung (the first of equals:
      // violatedIds lists the most restrictive first).
      let prior = 0;
      let counted = evaluation.violatedIds[0] ?? rules;
      for (const id of evaluation.violatedIds) {
        const seen = p.priorViolations[id] ?? 0;
        if (seen > prior) [prior, counted] = [seen, id];
      }
      const n = prior + 1;
      const ladder = prior >= p.blockAfter ? "block" : prior >= p.stepUpAfter ? "step_up" : "warn";
      const action = ladder === "warn" ? "forward_warn" : ladder;
      // The rungs ahead, by violation number (no parentheses: a refusal puts this in some).
      const blockFrom = `from violation ${p.blockAfter + 1} it is blocked`;
      // When the block lifts: the counts give no times, so the window bounds it.
      const lasts = p.blockAfter === 0
        ? "; this ladder blocks every violation"
        : ` for up to ${p.window ?? "one window"} after the latest violation, each try counting ` +
          "as one";
      const ahead = ladder === "block"
        ? `, so it is blocked${lasts}; ${WHO_LIFTS}`
        : ladder === "step_up"
        ? `, so it needs approval; ${blockFrom}`
        : p.stepUpAfter < p.blockAfter
        ? `; from violation ${p.stepUpAfter + 1} it needs approval, ${blockFrom}`
        : `; ${blockFrom}`;
      return {
        ...base,
        action,
        ladder,
        violationNumber: n,
        explanation: `progressive mode: violation ${n} of rule ${
          JSON.stringify(counted)
        } in the window${ahead}`,
      };
    }
  }
}
