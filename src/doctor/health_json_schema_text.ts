/**
 * The text of `schemas/health.schema.json`: the JSON Schema (draft 2020-12)
 * that zod derives from {@linkcode HealthReportSchema}, with an `$id` that
 * ends with the report's `schema_version` (`urn:thoth:schema:health-report:2`),
 * two-space indented, with a final newline.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("schemas/health.schema.json", healthJsonSchemaText());
 * ```
 */
import { z } from "zod";
import { HealthReportSchema } from "./health_report_schema.ts";
import { HEALTH_SCHEMA_VERSION, healthSchemaId } from "./health_schema_version.ts";

/** The schema file's exact text. */
export function healthJsonSchemaText(): string {
  const schema = z.toJSONSchema(HealthReportSchema, { target: "draft-2020-12" });
  const withId = { $id: healthSchemaId(HEALTH_SCHEMA_VERSION), ...schema };
  return JSON.stringify(withId, null, 2) + "\n";
}
