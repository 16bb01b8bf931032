/**
 * A summary of a compiled policy for `thoth policy check`: counts, intents,
 * detector levels, and what each enforcement mode does with a violation.
 * Plain data, ready for `--json` or for printing line by line.
 *
 * @example
 * ```ts
 * const s = summarizePolicy(compilePolicy(parsePolicy(text, "policy.jsonc")));
 * s.rules.length; s.modes.block;
 * ```
 */
import type { CompiledPolicy, DetectorLevel } from "./compiled_policy.ts";
import type { EnforcementMode } from "./enforcement_mode.ts";
import type { Decision } from "./verdict.ts";

/** What `thoth policy check` reports. */
export interface PolicySummary {
  default: Decision;
  /** `reason` is "matched (no reason given)" when `reasonGiven` is false. */
  rules: { id: string; decision: Decision; reason: string; reasonGiven: boolean }[];
  disabledRules: string[];
  intents: { name: string; tools: string[]; onViolation: "step_up" | "block" }[];
  detectors: { phi: DetectorLevel; pii: DetectorLevel; secrets: DetectorLevel };
  risk: { stepUpAt: number | null; blockAt: number | null };
  progressive: { window: string; stepUpAfter: number; blockAfter: number };
  safeToLog: string[];
  /** One sentence per mode: what happens to a violation. */
  modes: Record<EnforcementMode, string>;
}

/** Summarizes `policy`. */
export function summarizePolicy(policy: CompiledPolicy): PolicySummary {
  const p = policy.progressive;
  return {
    default: policy.default,
    rules: policy.rules.map((r) => ({
      id: r.id,
      decision: r.decision,
      reason: r.reason,
      reasonGiven: r.reasonGiven,
    })),
    disabledRules: (policy.source.rules ?? []).filter((r) => r.enabled === false).map((r) => r.id),
    intents: [...policy.intents.values()].map((i) => ({
      name: i.name,
      tools: (policy.source.intents?.[i.name]?.tools ?? []).slice(),
      onViolation: i.onViolation,
    })),
    detectors: {
      phi: policy.detectors.phi,
      pii: policy.detectors.pii,
      secrets: policy.detectors.secret,
    },
    risk: { stepUpAt: policy.risk.stepUpAt ?? null, blockAt: policy.risk.blockAt ?? null },
    progressive: { window: p.window, stepUpAfter: p.stepUpAfter, blockAfter: p.blockAfter },
    safeToLog: [...policy.safeToLog],
    modes: {
      observe: "every call is forwarded; what the policy would have done is recorded",
      progressive: describeLadder(p.window, p.stepUpAfter, p.blockAfter),
      step_up: "every BLOCK or STEP_UP verdict asks a person; denied without an answer",
      block: "BLOCK verdicts are rejected, and so is every call outside the session intent " +
        "(whatever the intent's onViolation: it is never sent for approval); other STEP_UP " +
        "verdicts ask a person and are denied without an answer; nothing that violates the " +
        "policy is forwarded unapproved",
    },
  };
}

/**
 * The progressive ladder in words, naming only the rungs a violation can
 * reach: no warning when `stepUpAfter` is 0, no approval when `blockAfter`
 * equals it.
 *
 * @example
 * ```ts
 * describeLadder("1h", 1, 3);
 * // "violations of a rule within 1h: the first is forwarded with a warning,
 * //  the next 2 need approval, later ones are blocked; a call that violates
 * //  several rules is placed by the most-violated of them"
 * describeLadder("1h", 0, 0); // "every violation of a rule is blocked"
 * ```
 */
function describeLadder(window: string, stepUpAfter: number, blockAfter: number): string {
  if (blockAfter === 0) return "every violation of a rule is blocked";
  const steps: string[] = [];
  if (stepUpAfter > 0) {
    steps.push(
      stepUpAfter === 1
        ? "the first is forwarded with a warning"
        : `the first ${stepUpAfter} are forwarded with a warning`,
    );
  }
  const asked = blockAfter - stepUpAfter;
  if (asked > 0) {
    const which = stepUpAfter === 0 ? "first" : "next";
    steps.push(asked === 1 ? `the ${which} needs approval` : `the ${which} ${asked} need approval`);
  }
  steps.push("later ones are blocked");
  return `violations of a rule within ${window}: ${steps.join(", ")}; a call that violates ` +
    "several rules is placed by the most-violated of them";
}
