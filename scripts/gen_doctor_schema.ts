/**
 * Writes `schemas/doctor.schema.json` from the zod schema of
 * `thoth doctor --json`, or with `--check` exits 1 when the committed file is
 * out of date (as `gen_health_schema.ts` does for `thoth health --json`).
 *
 * @example
 * ```sh
 * deno run -P=test scripts/gen_doctor_schema.ts
 * deno run -P=test scripts/gen_doctor_schema.ts --check
 * ```
 */
import { doctorJsonSchemaText } from "../src/doctor/doctor_json_schema_text.ts";

const target = new URL("../schemas/doctor.schema.json", import.meta.url);
const text = doctorJsonSchemaText();

if (Deno.args.includes("--check")) {
  const current = await Deno.readTextFile(target).catch(() => "");
  if (current !== text) {
    Deno.stderr.writeSync(new TextEncoder().encode(
      "gen_doctor_schema: error: schemas/doctor.schema.json is out of date\n" +
        'gen_doctor_schema: hint: run "deno run -P=test scripts/gen_doctor_schema.ts"\n',
    ));
    Deno.exit(1);
  }
} else {
  await Deno.writeTextFile(target, text);
}
