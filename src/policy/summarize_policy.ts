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
  rules: { id: string; decision: Decision; reason: string }[];
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
    rules: policy.rules.map((r) => ({ id: r.id, decision: r.decision, reason: r.reason })),
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
      progressive: `violations of a rule within ${p.window} warn (forwarded), need approval ` +
        `after ${p.stepUpAfter} earlier, and are blocked after ${p.blockAfter} earlier`,
      step_up: "every BLOCK or STEP_UP verdict asks a person; denied without an answer",
      block: "BLOCK verdicts are rejected; STEP_UP verdicts ask a person and are denied " +
        "without an answer; nothing that violates the policy is forwarded unapproved",
    },
  };
}
