/**
 * The four enforcement modes, as DESIGN.md states them: `observe` forwards
 * everything and records what would have happened; `step_up` turns every
 * violation into an approval request; `block` enforces every verdict as the
 * policy wrote it (fail closed); `progressive` escalates warn → step-up →
 * block as violations repeat.
 *
 * @example
 * ```ts
 * ENFORCEMENT_MODES.includes("observe"); // true
 * const mode: EnforcementMode = "block";
 * ```
 */

/** One of `observe`, `step_up`, `progressive`, `block`. */
export type EnforcementMode = "observe" | "step_up" | "progressive" | "block";

/** Every mode, in rollout order. */
export const ENFORCEMENT_MODES: readonly EnforcementMode[] = [
  "observe",
  "progressive",
  "step_up",
  "block",
];
