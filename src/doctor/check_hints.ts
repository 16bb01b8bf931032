/**
 * Every hint of a doctor check, first to last: its `hint`, then its
 * `moreHints` (a check that found several things to do, such as the audit
 * check with a lock held and spool files waiting, gives one hint each). The
 * text report shows one line each; `doctor --json` lists them as `hints`.
 * Pure.
 *
 * @example
 * ```ts
 * checkHints({ id: "audit", status: "warn", message: "…", hint: "a", moreHints: ["b"] });
 * // ["a", "b"]
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";

/** The hints of `check`, `hint` first; empty when it has none. */
export function checkHints(check: DoctorCheck): string[] {
  return [...(check.hint === null ? [] : [check.hint]), ...(check.moreHints ?? [])];
}
