/**
 * The audit log's lock held by another process (a real one, as a thoth
 * stopped with Ctrl-Z holds it) for all of doctor's one-second wait: `thoth
 * doctor`'s audit check warns, naming the lock file and how to find its holder, and
 * `thoth health` says the same in `audit.message` and `audit.hint`, its
 * `audit.status` still the log's own. Once it is let go, the check passes.
 * Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { holdLock } from "../_hold_lock.ts";
import { fakeIo, testContext } from "./_helpers.ts";

Deno.test("doctor and health warn of an audit lock another process holds, naming it", async () => {
  const home = await sampleLog(1, 2);
  const lock = auditPaths(home).lock;
  const plugins = thothDoctorPlugins(fakeIo(home));
  const context = { env: {}, thothHome: home, os: "linux" };
  const holder = await holdLock(lock, 60_000);
  try {
    const check = checkAudit(await plugins.auditHealth!(context));
    assert.equal(check.status, "warn", check.message);
    assert.ok(check.message.includes(`the audit log's lock "${lock}" was held by another`));
    assert.match(
      check.message,
      /for all of the 1 s this check waits for it: a session that starts while it is held waits 10 s/,
    );
    assert.ok((check.hint ?? "").includes(`fuser -v "${lock}"`), check.hint ?? "");
    assert.match(check.hint ?? "", /stopped with Ctrl-Z.*kill -CONT PID/);
    const report = HealthReportSchema.parse(
      await buildHealthReport(
        testContext(home, { plugins: { auditHealth: plugins.auditHealth! } }),
        { probe: false },
      ),
    );
    assert.equal(report.audit.status, "ok");
    assert.ok((report.audit.message ?? "").includes(`lock "${lock}" was held`));
    assert.match(report.audit.hint ?? "", /fuser -v/);
  } finally {
    await holder.release();
  }
  assert.equal(checkAudit(await plugins.auditHealth!(context)).status, "pass");
});
