/**
 * `thoth doctor` and `thoth health` name where the credential came from as it
 * is: the profile's default API key file is not THOTH_API_KEY_FILE when that
 * variable is unset, and "also set but not used" lists only variables that
 * are set. The real CLI, in a profile of its own.
 */
import assert from "node:assert/strict";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { runThoth } from "./_thoth_process.ts";

async function withKeyFile(fn: (dir: string, env: Record<string, string>) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "thoth-key-source-" });
  try {
    await Deno.mkdir(`${dir}/.thoth`, { mode: 0o700 });
    await Deno.writeTextFile(`${dir}/.thoth/proxy_api_key.json`, '{"api_key":"aten_key_1"}', {
      mode: 0o600,
    });
    await fn(dir, { HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, THOTH_HOME: `${dir}/.thoth` });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function credentialsLine(out: string): string {
  return out.split("\n").find((line) => / credentials /.test(line)) ?? "";
}

Deno.test("thoth doctor and health name the default key file, not an unset THOTH_API_KEY_FILE", () =>
  withKeyFile(async (dir, env) => {
    const doctor = await runThoth(["doctor"], { env, cwd: dir });
    assert.match(
      credentialsLine(doctor.out),
      /^✓ credentials +API key from the default API key file ".*\/\.thoth\/proxy_api_key\.json" \(fingerprint [0-9a-f]{8}\)$/,
    );
    assert.doesNotMatch(doctor.out, /THOTH_API_KEY_FILE/);
    const health = await runThoth(["health", "--json"], { env, cwd: dir });
    const report = HealthReportSchema.parse(JSON.parse(health.out));
    assert.equal(report.credentials.source, "default_api_key_file");
  }));

Deno.test("thoth doctor lists as also set only variables that are set", () =>
  withKeyFile(async (dir, env) => {
    const both = { ...env, THOTH_API_KEY: "aten_key_2" };
    const doctor = await runThoth(["doctor"], { env: both, cwd: dir });
    const line = credentialsLine(doctor.out);
    assert.match(line, /API key from THOTH_API_KEY \(fingerprint [0-9a-f]{8}\)/);
    assert.match(line, /; also present but not used: the default API key file$/);
    assert.doesNotMatch(line, /THOTH_API_KEY_FILE/);
    // Set, the variable is named as the source.
    const named = { ...env, THOTH_API_KEY_FILE: `${dir}/.thoth/proxy_api_key.json` };
    const health = await runThoth(["health", "--json"], { env: named, cwd: dir });
    assert.equal(
      HealthReportSchema.parse(JSON.parse(health.out)).credentials.source,
      "THOTH_API_KEY_FILE",
    );
    const withKey = await runThoth(["doctor"], {
      env: { ...named, THOTH_API_KEY: "aten_key_2" },
      cwd: dir,
    });
    assert.match(credentialsLine(withKey.out), /; also set but not used: THOTH_API_KEY_FILE$/);
  }));
