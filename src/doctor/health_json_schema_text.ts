/**
 * The text of `schemas/health.schema.json`: the JSON Schema (draft 2020-12)
 * that zod derives from {@linkcode HealthReportSchema}, with a stable `$id`,
 * two-space indented, with a final newline.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("schemas/health.schema.json", healthJsonSchemaText());
 * ```
 */
import { z } from "zod";
import { HealthReportSchema } from "./health_report_schema.ts";

/** The schema file's exact text. */
export function healthJsonSchemaText(): string {
  const schema = z.toJSONSchema(HealthReportSchema, { target: "draft-2020-12" });
  const withId = { $id: "urn:thoth:schema:health-report:1", ...schema };
  return JSON.stringify(withId, null, 2) + "\n";
}
