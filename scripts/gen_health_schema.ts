/**
 * Writes `schemas/health.schema.json` from the zod schema of
 * `thoth health --json`, or with `--check` exits 1 when the committed file is
 * out of date.
 *
 * @example
 * ```sh
 * deno run -P=test scripts/gen_health_schema.ts
 * deno run -P=test scripts/gen_health_schema.ts --check
 * ```
 */
import { healthJsonSchemaText } from "../src/doctor/health_json_schema_text.ts";

const target = new URL("../schemas/health.schema.json", import.meta.url);
const text = healthJsonSchemaText();

if (Deno.args.includes("--check")) {
  const current = await Deno.readTextFile(target).catch(() => "");
  if (current !== text) {
    Deno.stderr.writeSync(new TextEncoder().encode(
      "gen_health_schema: error: schemas/health.schema.json is out of date\n" +
        'gen_health_schema: hint: run "deno run -P=test scripts/gen_health_schema.ts"\n',
    ));
    Deno.exit(1);
  }
} else {
  await Deno.writeTextFile(target, text);
}
