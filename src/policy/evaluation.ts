/**
 * What the policy says about one call, before the enforcement mode applies:
 * the decision, every contribution that led to it, the detector findings
 * (kind, type, argument path: never values) and the risk score.
 *
 * @example
 * ```ts
 * const e: Evaluation = {
 *   decision: "block",
 *   ruleIds: ["fs-outside-data"],
 *   violatedIds: ["fs-outside-data"],
 *   reasons: ['rule "fs-outside-data": write outside /data'],
 *   findings: [],
 *   riskScore: 20,
 *   intentViolation: false,
 *   matches: [{ id: "fs-outside-data", source: "rule", decision: "block", reason: "write outside /data" }],
 *   notes: [],
 *   scanCapped: false,
 * };
 * ```
 */
import type { Finding } from "./detectors/finding.ts";
import type { Decision } from "./verdict.ts";

/** Where a contribution came from. */
export type MatchSource = "thoth" | "intent" | "rule" | "detector" | "risk" | "default";

/** One thing that weighed on the decision. */
export interface Match {
  /** A rule id, or one of thoth's dotted ids: `thoth.own_files`, `intent.out_of_scope`, `detector.phi`, `detector.pii`, `detector.secret`, `detector.scan_capped`, `risk.threshold`, `policy.default`. */
  id: string;
  source: MatchSource;
  decision: Decision;
  /** Human text; never an argument value. */
  reason: string;
}

/** The policy's answer for one call. */
export interface Evaluation {
  /** The most restrictive decision among `matches`. */
  decision: Decision;
  /** Ids of the matches that carry `decision` (what a BLOCK text names). */
  ruleIds: string[];
  /**
   * Ids of every match whose own decision is `step_up` or `block`, most
   * restrictive first, once each: every rule (or intent, detector, risk or
   * default) this call violates, whether or not it decided the call. The
   * progressive ladder counts each of them.
   */
  violatedIds: string[];
  /** Their reasons, then `notes`. */
  reasons: string[];
  findings: Finding[];
  /** 0-100: detector weights (once per type) plus tool-risk points. */
  riskScore: number;
  /** True when a session intent was set and the tool is outside it. */
  intentViolation: boolean;
  /** Every contribution, most restrictive first, for `thoth policy explain` and audit. */
  matches: Match[];
  /** Facts worth recording that did not decide anything (unlisted tool, …). */
  notes: string[];
  /** True when the argument scan hit its size or depth limit. */
  scanCapped: boolean;
}
