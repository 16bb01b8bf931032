/**
 * `thoth doctor --json` is a versioned contract for scripts: the document
 * carries its `schemaVersion`, every check has the same fields (`id`,
 * `status`, `message`, `hint`, `details`; `details` a list, empty when there
 * is nothing more to list), and the real CLI's output validates against the
 * committed `schemas/doctor.schema.json`, which is the one generated from
 * the zod schema. Temp HOME and THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { doctorJsonSchemaText } from "../../src/doctor/doctor_json_schema_text.ts";
import { DOCTOR_CHECK_IDS } from "../../src/doctor/doctor_check.ts";

const SCHEMA_FILE = new URL("../../schemas/doctor.schema.json", import.meta.url);

Deno.test("schemas/doctor.schema.json is the one generated from DoctorReportSchema", async () => {
  assert.equal(
    await Deno.readTextFile(SCHEMA_FILE),
    doctorJsonSchemaText(),
    'out of date: run "deno run -P=test scripts/gen_doctor_schema.ts"',
  );
});

Deno.test("thoth doctor --json has a schemaVersion, every field on every check, and validates", async () => {
  const dir = await tempFolder("thoth-doctor-json-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
  await Deno.mkdir(env.HOME);
  // THOTH_ENV invalid: one check fails, so "ok" is false and the exit code 1.
  const run = await runThoth(["doctor", "--json"], {
    env: { ...env, THOTH_ENV: "Prod!" },
    cwd: dir,
  });
  assert.equal(run.code, 1, run.err);
  const document = JSON.parse(run.out);
  const schema = JSON.parse(await Deno.readTextFile(SCHEMA_FILE));
  const valid = z.fromJSONSchema(schema).safeParse(document);
  assert.ok(valid.success, `${valid.error?.message}\n${run.out}`);
  assert.equal(document.schemaVersion, schema.properties.schemaVersion.const);
  assert.equal(schema.$id, `urn:thoth:schema:doctor-report:${document.schemaVersion}`);
  assert.deepEqual(Object.keys(document), ["schemaVersion", "ok", "checks"]);
  assert.equal(document.ok, false);
  assert.deepEqual(
    document.checks.map((check: { id: string }) => check.id),
    [...DOCTOR_CHECK_IDS],
  );
  for (const check of document.checks) {
    assert.deepEqual(Object.keys(check), ["id", "status", "message", "hint", "hints", "details"]);
    assert.ok(Array.isArray(check.details), check.id);
    // Every hint, the first being "hint"; none when "hint" is null.
    assert.equal(check.hints[0] ?? null, check.hint, check.id);
  }
  const byId = (id: string) => document.checks.find((check: { id: string }) => check.id === id);
  // The places client_configs looked in, as before; an empty list where a check has none.
  assert.ok(byId("client_configs").details.length > 0, JSON.stringify(byId("client_configs")));
  assert.deepEqual(byId("runtime").details, []);
  assert.equal(byId("environment").status, "fail");
});
