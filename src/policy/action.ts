/**
 * What the relay must do with one call once the enforcement mode has met the
 * policy's evaluation: pure data, produced by `applyMode`.
 *
 * @example
 * ```ts
 * const a: Action = {
 *   action: "forward_warn", wouldHave: "block", mode: "progressive", violation: true,
 *   ladder: "warn", violationNumber: 1, explanation: "…",
 * };
 * ```
 */
import type { EnforcementMode } from "./enforcement_mode.ts";
import type { Decision } from "./verdict.ts";

/** `forward`, `forward_warn` (forward and tell the user on stderr), `step_up`, `block`. */
export type ActionKind = "forward" | "forward_warn" | "step_up" | "block";

/** The mode's answer for one evaluated call. */
export interface Action {
  action: ActionKind;
  /** The policy's own decision, whatever the mode did with it. */
  wouldHave: Decision;
  mode: EnforcementMode;
  /** True when the policy's decision was not `allow`. */
  violation: boolean;
  /** Progressive mode only: the rung this violation reached. */
  ladder: "warn" | "step_up" | "block" | undefined;
  /** Progressive mode only: this violation's number within the window (1 = first). */
  violationNumber: number | undefined;
  /** One human sentence; no argument values. */
  explanation: string;
}
