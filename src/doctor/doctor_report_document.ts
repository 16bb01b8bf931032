/**
 * The document `thoth doctor --json` prints for a run's checks: its
 * `schemaVersion`, `ok` (no check failed) and every check with the same
 * fields (`id`, `status`, `message`, `hint`, `hints`, `details`), `hints`
 * every hint (`hint` first, see `check_hints.ts`) and `details` an empty
 * list where a check has none. Pure; `doctor_report_schema.ts` is its
 * contract.
 *
 * @example
 * ```ts
 * const document = doctorReportDocument(await runDoctor(context));
 * document.checks[0]; // { id: "runtime", status: "pass", message: "…", hint: null, hints: [], details: [] }
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorReport } from "./doctor_report_schema.ts";
import { DOCTOR_SCHEMA_VERSION } from "./doctor_schema_version.ts";
import { checkHints } from "./check_hints.ts";

/** `checks` as the `--json` document. */
export function doctorReportDocument(checks: readonly DoctorCheck[]): DoctorReport {
  return {
    schemaVersion: DOCTOR_SCHEMA_VERSION,
    ok: !checks.some((check) => check.status === "fail"),
    checks: checks.map((check) => ({
      id: check.id,
      status: check.status,
      message: check.message,
      hint: check.hint,
      hints: checkHints(check),
      details: [...(check.details ?? [])],
    })),
  };
}
