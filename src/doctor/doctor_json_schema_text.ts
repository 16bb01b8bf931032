/**
 * The text of `schemas/doctor.schema.json`: the JSON Schema (draft 2020-12)
 * that zod derives from {@linkcode DoctorReportSchema}, with an `$id` that
 * ends with the document's `schemaVersion`
 * (`urn:thoth:schema:doctor-report:1`), two-space indented, with a final
 * newline.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("schemas/doctor.schema.json", doctorJsonSchemaText());
 * ```
 */
import { z } from "zod";
import { DoctorReportSchema } from "./doctor_report_schema.ts";
import { DOCTOR_SCHEMA_VERSION, doctorSchemaId } from "./doctor_schema_version.ts";

/** The schema file's exact text. */
export function doctorJsonSchemaText(): string {
  const schema = z.toJSONSchema(DoctorReportSchema, { target: "draft-2020-12" });
  const withId = { $id: doctorSchemaId(DOCTOR_SCHEMA_VERSION), ...schema };
  return JSON.stringify(withId, null, 2) + "\n";
}
