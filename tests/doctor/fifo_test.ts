/**
 * A FIFO where `doctor` and `health` read a file of the profile (a read of
 * one blocks until a writer comes, for ever) is refused and reported, as
 * `thoth run` refuses it: each test fails instead of hanging on a regression.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkPolicy } from "../../src/doctor/check_policy.ts";
import { checkCredentials } from "../../src/doctor/check_credentials.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { testContext, withTempDir } from "./_helpers.ts";

Deno.test({
  name: "checkPolicy() fails on a policy.jsonc that is a FIFO instead of hanging",
  ignore: !HAS_FIFO,
  fn: () =>
    withTempDir(async (home) => {
      const path = `${home}/policy.jsonc`;
      await makeFifo(path);
      const check = await settlesAtOnce(() => checkPolicy(testContext(home)), path);
      assert.equal(check.status, "fail");
      assert.equal(check.message, `cannot read policy "${path}": it is not a regular file`);
      assert.equal(
        check.hint,
        `replace it with a policy file, or remove it (rm '${path}') and thoth run writes the ` +
          "default policy there",
      );
    }),
});

Deno.test({
  name: "buildHealthReport() reports a policy.jsonc that is a FIFO as invalid instead of hanging",
  ignore: !HAS_FIFO,
  fn: () =>
    withTempDir(async (home) => {
      const path = `${home}/policy.jsonc`;
      await makeFifo(path);
      const report = await settlesAtOnce(
        () => buildHealthReport(testContext(home), { probe: false }),
        path,
      );
      HealthReportSchema.parse(report);
      assert.deepEqual(report.policy, {
        path,
        present: true,
        sha256: null,
        valid: false,
        problem: "cannot read the policy: it is not a regular file",
        notes: null,
      });
    }),
});

Deno.test({
  name: "the credentials check and health refuse a THOTH_API_KEY_FILE that is a FIFO",
  ignore: !HAS_FIFO,
  fn: () =>
    withTempDir(async (home) => {
      const path = `${home}/key.json`;
      await makeFifo(path);
      const context = testContext(home, { env: { THOTH_API_KEY_FILE: path } });
      const check = await settlesAtOnce(() => checkCredentials(context), path);
      assert.equal(check.status, "fail");
      assert.match(check.message, /it is not a regular file/);
      const report = await settlesAtOnce(() => buildHealthReport(context, { probe: false }), path);
      assert.match(report.credentials.problem ?? "", /it is not a regular file/);
    }),
});
