/**
 * The `schemaVersion` of `thoth doctor --json`, written in one place: the
 * zod schema's literal (`doctor_report_schema.ts`), the document that
 * `doctor_report_document.ts` makes and the JSON Schema's `$id`
 * (`doctor_json_schema_text.ts`, which ends with it) all take it from here.
 * Bumped on any change that removes or retypes a field. Its own module, with
 * no imports, so the document's builder takes it without loading zod.
 *
 * @example
 * ```ts
 * doctorSchemaId(DOCTOR_SCHEMA_VERSION); // "urn:thoth:schema:doctor-report:1"
 * ```
 */

/** The document's schema version. */
export const DOCTOR_SCHEMA_VERSION = 1;

/** The JSON Schema's `$id` for schema version `version`. */
export function doctorSchemaId(version: number): string {
  return `urn:thoth:schema:doctor-report:${version}`;
}
