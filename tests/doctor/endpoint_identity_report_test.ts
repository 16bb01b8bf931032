/**
 * `thoth doctor`'s endpoint_identity check and `thoth health --json`'s
 * `endpoint` resolve the id as `thoth run` does: a managed device id that is
 * a key is never shown (only its fingerprint, in the problem), an invalid one
 * is reported as invalid rather than trimmed or passed over for the next
 * variable, and the id health reports is one `thoth run` would record.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkEndpointIdentity } from "../../src/doctor/check_endpoint_identity.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";

Deno.test("doctor and health never show a managed device id that is a key", () =>
  withTempDir(async (home) => {
    const context = testContext(home, { env: { THOTH_INTUNE_DEVICE_ID: KEY } });
    const check = await checkEndpointIdentity(context);
    assert.equal(check.status, "fail");
    assert.ok(!JSON.stringify(check).includes(KEY.slice(-20)), JSON.stringify(check));
    assert.ok(check.message.includes(secretFingerprint(KEY)), check.message);
    assert.match(check.message, /THOTH_INTUNE_DEVICE_ID \(value hidden/);

    const report = await buildHealthReport(context, { probe: false });
    HealthReportSchema.parse(report);
    assert.ok(!JSON.stringify(report).includes(KEY.slice(-20)));
    assert.deepEqual(
      [report.endpoint.id, report.endpoint.source, report.endpoint.origin],
      [null, null, "THOTH_INTUNE_DEVICE_ID"],
    );
    assert.ok(report.endpoint.problem?.includes(secretFingerprint(KEY)), report.endpoint.problem!);
  }));

Deno.test("an invalid managed device id is reported invalid, never trimmed or skipped", () =>
  withTempDir(async (home) => {
    for (const value of ["  dev-1  ", "bad id"]) {
      const context = testContext(home, {
        env: { THOTH_INTUNE_DEVICE_ID: value, JAMF_COMPUTER_ID: "1042" },
      });
      const check = await checkEndpointIdentity(context);
      assert.equal(check.status, "fail", value);
      assert.match(check.message, /THOTH_INTUNE_DEVICE_ID ".*" is not a valid id/);
      assert.match(check.hint ?? "", /THOTH_INTUNE_DEVICE_ID/);
      const report = await buildHealthReport(context, { probe: false });
      assert.equal(report.endpoint.id, null, value);
      assert.equal(report.endpoint.origin, "THOTH_INTUNE_DEVICE_ID");
      assert.match(report.endpoint.problem ?? "", /is not valid/);
      assert.ok(report.environment.invalid_variables.includes("THOTH_INTUNE_DEVICE_ID"));
    }
    // Valid, it is what health reports.
    const fine = await buildHealthReport(
      testContext(home, { env: { THOTH_INTUNE_DEVICE_ID: "dev-1", JAMF_COMPUTER_ID: "1042" } }),
      { probe: false },
    );
    assert.deepEqual(fine.endpoint, {
      id: "dev-1",
      source: "managed_device_id",
      origin: "THOTH_INTUNE_DEVICE_ID",
      problem: null,
    });
  }));
