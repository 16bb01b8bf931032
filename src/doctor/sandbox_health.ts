/**
 * The health report's `sandbox`: the `sandbox` check's facts as data (see
 * `check_sandbox.ts`), judged as doctor judges them: `ok` is false when
 * doctor fails the check, `warning` holds what it warns about.
 *
 * @example
 * ```ts
 * (await sandboxPart(context)).missing; // ["run"] when thoth runs without --allow-run
 * ```
 */
import { inspectSandbox, sandboxCheckOf, type SandboxFacts } from "./check_sandbox.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { HealthReport } from "./health_report_schema.ts";
import { PERMISSION_KINDS } from "../release/permission_flags.ts";

/** The `sandbox` part of the report. Never throws. */
export async function sandboxPart(context: DoctorContext): Promise<HealthReport["sandbox"]> {
  let facts: SandboxFacts | null;
  try {
    facts = await inspectSandbox(context);
  } catch (error) {
    return notChecked(
      `the sandbox could not be checked: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (facts === null) return notChecked("not checked: this report cannot inspect its runtime");
  const check = sandboxCheckOf(facts);
  const { grants, start } = facts;
  return {
    compiled: facts.compiled,
    granted: [
      ...grants.granted,
      ...PERMISSION_KINDS.flatMap((kind) => (grants.scoped[kind] ?? []).map((v) => `${kind}:${v}`)),
    ],
    missing: [...grants.missing],
    broader: [...grants.broader],
    all_permissions: grants.everything,
    started: start.outcome === "started" ? true : start.outcome === "failed" ? false : null,
    ok: check.status !== "fail",
    problem: check.status === "fail" ? check.message : null,
    warning: check.status === "warn" ? check.message : null,
    hint: check.status === "pass" ? null : check.hint,
  };
}

function notChecked(warning: string): HealthReport["sandbox"] {
  return {
    compiled: null,
    granted: [],
    missing: [],
    broader: [],
    all_permissions: false,
    started: null,
    ok: true,
    problem: null,
    warning,
    hint: 'run "thoth doctor" to see the sandbox check',
  };
}
