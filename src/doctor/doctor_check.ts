/**
 * One finding of `thoth doctor`, as data: what was checked, how it went, what
 * it found and what to do about it. Checks never print; the CLI formats them.
 *
 * @example
 * ```ts
 * const check: DoctorCheck = {
 *   id: "credentials",
 *   status: "fail",
 *   message: "THOTH_RUNTIME_BEARER_TOKEN expired at 2026-01-01T00:00:00.000Z",
 *   hint: "set THOTH_RUNTIME_BEARER_TOKEN to a new token from your Thoth admin",
 * };
 * ```
 */

/** The statuses a check can have, mildest first. */
export const CHECK_STATUSES = ["pass", "warn", "fail"] as const;

/** How a check went: `warn` does not fail `thoth doctor`, `fail` does. */
export type CheckStatus = typeof CHECK_STATUSES[number];

/** The ids of the checks, in the order `thoth doctor` runs them. */
export const DOCTOR_CHECK_IDS = [
  "runtime",
  "sandbox",
  "endpoint_identity",
  "profile",
  "environment",
  "credentials",
  "policy",
  "intent_map",
  "client_configs",
  "upstream_path",
  "audit",
  "progressive_state",
  "enforcer",
  "approval_channels",
] as const;

/** One check's id (see {@linkcode DOCTOR_CHECK_IDS}). */
export type DoctorCheckId = typeof DOCTOR_CHECK_IDS[number];

/** One check's result. */
export interface DoctorCheck {
  readonly id: DoctorCheckId;
  readonly status: CheckStatus;
  /** What was found, naming the values involved. Never a secret. */
  readonly message: string;
  /** What to do about it (a command to paste where there is one), or null. */
  readonly hint: string | null;
  /**
   * What else to do, when the check found several things (the audit check:
   * a lock held and spool files waiting, say), one hint each, after `hint`
   * (never without it). Absent when there is nothing more (see `check_hints.ts`).
   */
  readonly moreHints?: readonly string[];
  /**
   * A list too long for the message's line (every place `client_configs`
   * looked in): the report shows one line each, under the message and its
   * hint. Absent when there is none (`doctor --json` then says `[]`).
   */
  readonly details?: readonly string[];
}
