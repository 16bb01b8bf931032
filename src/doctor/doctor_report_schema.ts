/**
 * The `thoth doctor --json` contract for scripts, as one zod schema.
 * `schemas/doctor.schema.json` is generated from it by
 * `scripts/gen_doctor_schema.ts`; a test keeps the two equal.
 *
 * Stability: fields are only added; a change that removes or retypes a field
 * bumps `schemaVersion`. Every check has every field: `hint` is null when
 * there is nothing to do (`hints` lists it with any more, empty then),
 * `details` an empty list when there is nothing more to list.
 *
 * @example
 * ```ts
 * const report = DoctorReportSchema.parse(JSON.parse(stdout));
 * report.checks.filter((check) => check.status !== "pass");
 * ```
 */
import { z } from "zod";
import { CHECK_STATUSES, DOCTOR_CHECK_IDS } from "./doctor_check.ts";
import { DOCTOR_SCHEMA_VERSION } from "./doctor_schema_version.ts";

/** One check of the document. */
export const DoctorCheckSchema = z.object({
  id: z.enum(DOCTOR_CHECK_IDS).describe(
    "What was checked; the checks come in this order (see thoth doctor --help)",
  ),
  status: z.enum(CHECK_STATUSES).describe(
    'How it went: "fail" makes thoth doctor exit 1, "warn" does not',
  ),
  message: z.string().describe("What was found, naming the values involved; never a secret"),
  hint: z.string().nullable().describe(
    "What to do about it (a command to paste where there is one); null when nothing",
  ),
  hints: z.array(z.string()).describe(
    "Every hint, one item each, hint first: a check that found several things to do gives " +
      "one hint for each (the audit check: a lock held and spool files waiting, say); empty " +
      "when hint is null",
  ),
  details: z.array(z.string()).describe(
    "Lines too many for the message (client_configs: every place it looked in), one item " +
      "each; empty when there are none",
  ),
});

/** The schema of `thoth doctor --json` output. */
export const DoctorReportSchema = z.object({
  schemaVersion: z.literal(DOCTOR_SCHEMA_VERSION).describe(
    "Bumped on any change that removes or retypes a field",
  ),
  ok: z.boolean().describe("False when any check failed (thoth doctor then exits 1)"),
  checks: z.array(DoctorCheckSchema).describe("Every check, in the order thoth doctor runs them"),
});

/** One check as `thoth doctor --json` prints it. */
export type DoctorCheckJson = z.infer<typeof DoctorCheckSchema>;

/** What `thoth doctor --json` prints. */
export type DoctorReport = z.infer<typeof DoctorReportSchema>;
