/**
 * Spool files a session refused and set aside (`audit/spool/*.refused*`):
 * `thoth doctor`'s audit check warns of them (a warning, not a failure),
 * naming how many and the oldest, with how to look at them and how to clear
 * the warning; `thoth health` reports them under `audit.spool_refused`,
 * beside `audit.spool_waiting`, without changing `audit.status`. They are
 * listed, never read: a file that cannot be read is counted all the same.
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { fakeIo, testContext } from "./_helpers.ts";

function plugins(home: string) {
  return thothDoctorPlugins(fakeIo(home));
}

function auditHealth(home: string) {
  return plugins(home).auditHealth!({ env: {}, thothHome: home, os: "linux" });
}

/** A refused spool file named `name`, `ageMs` old by its mtime, that no one may read. */
async function refused(home: string, name: string, ageMs: number): Promise<void> {
  const dir = DecisionSpool.dir(home);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, '{"type":"decision"}\n', { mode: 0o000 });
  const at = new Date(Date.now() - ageMs);
  await Deno.utime(path, at, at);
}

Deno.test("doctor warns of refused spool files, naming how many and the oldest, and how to clear it", async () => {
  const home = await sampleLog(1, 2);
  await refused(home, "s-old-1.jsonl.refused", 3 * 3_600_000);
  await refused(home, "s-new-2.jsonl.refused-2", 60_000);
  const health = await auditHealth(home);
  assert.equal(health.status, "ok");
  assert.equal(health.spool, null, "a refused file is not one waiting to be taken in");
  const check = checkAudit(health);
  assert.equal(check.status, "warn");
  assert.match(
    check.message,
    /; 2 spool file\(s\) refused and set aside, never taken into the log \(oldest "s-old-1\.jsonl\.refused", 10\d{3}s old\)/,
  );
  assert.match(check.hint ?? "", /thoth audit verify/);
  assert.match(check.hint ?? "", /move them out of the spool folder/);
  // Moved out of the spool folder: the warning goes.
  for (const entry of Deno.readDirSync(DecisionSpool.dir(home))) {
    Deno.removeSync(`${DecisionSpool.dir(home)}/${entry.name}`);
  }
  assert.equal(checkAudit(await auditHealth(home)).status, "pass");
});

Deno.test("health says in its message that refused spool files are kept, status ok", async () => {
  const home = await sampleLog(1, 2);
  await refused(home, "s-old-1.jsonl.refused", 120_000);
  const report = HealthReportSchema.parse(
    await buildHealthReport(
      testContext(home, { plugins: { auditHealth: plugins(home).auditHealth! } }),
      { probe: false },
    ),
  );
  assert.equal(report.audit.status, "ok");
  assert.equal(report.audit.spool_waiting, null);
  assert.match(report.audit.message ?? "", /1 spool file\(s\) refused and set aside/);
  assert.match(report.audit.hint ?? "", /thoth audit verify/);
});

Deno.test("health reports refused spool files under audit.spool_refused, beside spool_waiting", async () => {
  const home = await sampleLog(1, 2);
  await refused(home, "s-old-1.jsonl.refused", 120_000);
  const report = HealthReportSchema.parse(
    await buildHealthReport(
      testContext(home, { plugins: { auditHealth: plugins(home).auditHealth! } }),
      { probe: false },
    ),
  );
  assert.equal(report.audit.spool_refused?.files, 1);
  assert.equal(report.audit.spool_refused?.oldest, "s-old-1.jsonl.refused");
  assert.ok((report.audit.spool_refused?.oldest_age_sec ?? 0) >= 120);
  // None: null.
  const clean = await sampleLog(1, 2);
  const none = HealthReportSchema.parse(
    await buildHealthReport(
      testContext(clean, { plugins: { auditHealth: plugins(clean).auditHealth! } }),
      { probe: false },
    ),
  );
  assert.equal(none.audit.spool_refused, null);
});
