/**
 * The `progressive` part of `thoth health --json`: the progressive mode's
 * violation counters, read without changing them, as doctor's
 * `progressive_state` check judges them.
 *
 * @example
 * ```ts
 * (await progressivePart(context, null)).status; // "absent" before any session
 * ```
 */
import { checkedTime } from "../identity/checked_time.ts";
import { joinPath } from "../platform/join_path.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { HealthReport } from "./health_report_schema.ts";
import { readProgressiveReport } from "./check_progressive_state.ts";

/** The progressive counters as doctor's `progressive_state` check judges them. */
export async function progressivePart(
  context: DoctorContext,
  notChecked: string | null,
): Promise<HealthReport["progressive"]> {
  const path = joinPath(context.thothHome, "state", "progressive.json");
  const unknown = (problem: string, hint: string): HealthReport["progressive"] => ({
    path,
    status: "unknown",
    entries: null,
    distrust_until: null,
    moved_aside: null,
    problem,
    warning: null,
    hint,
  });
  if (notChecked !== null) return unknown(notChecked, 'fix the profile first (see "profile")');
  let report;
  try {
    report = await readProgressiveReport(context);
  } catch (error) {
    return unknown(
      `the progressive counters could not be checked: ${
        error instanceof Error ? error.message : String(error)
      }`,
      'run "thoth doctor" to see the progressive_state check',
    );
  }
  const { inspection, check, distrustUntil } = report;
  const status = check.status === "fail"
    ? "unreadable"
    : check.status === "warn"
    ? "counts_lost"
    : inspection.kind === "readable"
    ? "ok"
    : "absent";
  return {
    path: inspection.path,
    status,
    entries: inspection.entries,
    distrust_until: distrustUntil === null
      ? null
      : checkedTime(distrustUntil, "ms").date?.toISOString() ?? null,
    moved_aside: inspection.movedAside?.path ?? null,
    problem: check.status === "fail" ? check.message : null,
    warning: check.status === "warn" ? check.message : null,
    hint: check.status === "pass" ? null : check.hint,
  };
}
