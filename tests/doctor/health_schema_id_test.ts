/**
 * The JSON Schema of `thoth health --json` names the report's version: its
 * `$id` ends with the `schema_version` the schema requires and the report
 * carries, in the generated text and in the committed `schemas/` file.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { healthJsonSchemaText } from "../../src/doctor/health_json_schema_text.ts";
import { testContext, withTempDir } from "./_helpers.ts";

interface SchemaHead {
  $id: string;
  properties: { schema_version: { const: number } };
}

Deno.test("the health schema's $id ends with the report's schema_version", () =>
  withTempDir(async (home) => {
    const report = await buildHealthReport(testContext(home), { probe: false });
    const generated = JSON.parse(healthJsonSchemaText()) as SchemaHead;
    const committed = JSON.parse(
      await Deno.readTextFile(new URL("../../schemas/health.schema.json", import.meta.url)),
    ) as SchemaHead;
    for (const schema of [generated, committed]) {
      assert.equal(schema.properties.schema_version.const, report.schema_version);
      assert.equal(schema.$id, `urn:thoth:schema:health-report:${report.schema_version}`);
    }
  }));
