/**
 * `thoth health --json` and `thoth doctor` show a bad variable's value to say
 * what is wrong with it, never a key or token in it: an AWS-style secret key
 * (with `/`) in a path variable, a token in a URL's query string.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { formatDoctorReport } from "../../src/doctor/format_doctor_report.ts";
import { runDoctor } from "../../src/doctor/run_doctor.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const ENV = {
  THOTH_API_KEY_FILE: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  THOTH_APEX_DOMAIN: "https://ex.com/?access_token=Zm9vYmFyYmF6cXV4",
};
const SECRETS = ["wJalrXUtnFEMI", "bPxRfiCYEXAMPLEKEY", "Zm9vYmFyYmF6cXV4"];

Deno.test("health and doctor never print an AWS-style secret or a token in a query string", () =>
  withTempDir(async (home) => {
    const context = testContext(home, { env: ENV });
    const report = JSON.stringify(await buildHealthReport(context, { probe: false }));
    const doctor = formatDoctorReport(await runDoctor(context));
    for (const text of [report, doctor]) {
      for (const secret of SECRETS) assert.ok(!text.includes(secret), text);
      assert.match(text, /THOTH_API_KEY_FILE \(value hidden: it looks like a key or token/);
      assert.match(text, /THOTH_APEX_DOMAIN \\?"https:\/\/ex\.com\/\\?" \(query string removed\)/);
    }
  }));
