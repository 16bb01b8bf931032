/**
 * The `schema_version` of `thoth health --json`, written in one place: the
 * zod schema's literal (`health_report_schema.ts`), the report that
 * `build_health_report.ts` makes and the JSON Schema's `$id`
 * (`health_json_schema_text.ts`, which ends with it) all take it from here.
 * Bumped on any change that removes or retypes a field. Its own module, with
 * no imports, so the report's builder takes it without loading zod.
 *
 * @example
 * ```ts
 * healthSchemaId(HEALTH_SCHEMA_VERSION); // "urn:thoth:schema:health-report:2"
 * ```
 */

/** The report's schema version. */
export const HEALTH_SCHEMA_VERSION = 2;

/** The JSON Schema's `$id` for schema version `version`. */
export function healthSchemaId(version: number): string {
  return `urn:thoth:schema:health-report:${version}`;
}
