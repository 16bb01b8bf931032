/**
 * Spool files that sessions which ended left behind (records that gate a
 * call, not yet in the chained log): `thoth doctor`'s audit check warns of
 * those older than the orphan age, says nothing of a running session's
 * fresh one, and `thoth health` reports them under `audit.spool_waiting`
 * without changing `audit.status`. A spool folder that is a symbolic link
 * is not followed.
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { fakeIo, testContext } from "./_helpers.ts";

const posix = Deno.build.os !== "windows";

function plugins(home: string) {
  return thothDoctorPlugins(fakeIo(home));
}

function auditHealth(home: string) {
  return plugins(home).auditHealth!({ env: {}, thothHome: home, os: "linux" });
}

/** A spool file of a session named `session`, `ageMs` old by its mtime. */
async function spoolFile(home: string, session: string, ageMs: number): Promise<string> {
  const dir = DecisionSpool.dir(home);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = `${dir}/${session}-1.jsonl`;
  await Deno.writeTextFile(
    path,
    `#spool_opened ${Date.now() - ageMs}\n{"type":"decision","session":"${session}"}\n`,
    { mode: 0o600 },
  );
  const at = new Date(Date.now() - ageMs);
  await Deno.utime(path, at, at);
  return path;
}

Deno.test("doctor warns of a spool file older than the orphan age; health reports it, status ok", async () => {
  const home = await sampleLog(1, 2);
  await spoolFile(home, "s-dead", ORPHAN_AFTER_MS + 30_000);
  const health = await auditHealth(home);
  assert.equal(health.status, "ok");
  assert.equal(health.spool?.files, 1);
  assert.equal(health.spool?.due, 1);
  assert.ok((health.spool?.oldestMs ?? 0) >= ORPHAN_AFTER_MS + 30_000);
  const check = checkAudit(health);
  assert.equal(check.status, "warn");
  assert.match(
    check.message,
    /; 1 spool file\(s\) holding decisions of sessions that ended without writing them wait to be taken in \(oldest 9\ds\); the next thoth session to start, or a running one within a minute, takes them in$/,
  );
  assert.match(check.hint ?? "", /thoth audit verify/);

  const report = HealthReportSchema.parse(
    await buildHealthReport(
      testContext(home, { plugins: { auditHealth: plugins(home).auditHealth! } }),
      { probe: false },
    ),
  );
  assert.equal(report.audit.status, "ok");
  assert.equal(report.audit.spool_waiting?.files, 1);
  assert.equal(report.audit.spool_waiting?.due, 1);
  assert.ok((report.audit.spool_waiting?.oldest_age_sec ?? 0) >= 90);
  assert.match(report.audit.message ?? "", /1 spool file\(s\) holding decisions/);
});

Deno.test("a running session's fresh spool file is no warning; an old one only counts in --json", async () => {
  const home = await sampleLog(1, 2);
  // Fresh: milliseconds old, as a running session's file is.
  await spoolFile(home, "s-live", 0);
  let health = await auditHealth(home);
  assert.equal(health.spool, null);
  assert.equal(checkAudit(health).status, "pass");
  // Older than a batch but younger than the orphan age: counted, not due, no warning.
  await spoolFile(home, "s-slow", 20_000);
  health = await auditHealth(home);
  assert.deepEqual({ files: health.spool?.files, due: health.spool?.due }, { files: 1, due: 0 });
  const check = checkAudit(health);
  assert.equal(check.status, "pass");
  assert.doesNotMatch(check.message, /spool/);
  const report = HealthReportSchema.parse(
    await buildHealthReport(
      testContext(home, { plugins: { auditHealth: plugins(home).auditHealth! } }),
      { probe: false },
    ),
  );
  assert.equal(report.audit.spool_waiting?.due, 0);
  assert.equal(report.audit.spool_waiting?.files, 1);
  assert.doesNotMatch(report.audit.message ?? "", /spool/);
});

Deno.test("no spool folder: spool_waiting is null, and the audit check passes as before", async () => {
  const home = await sampleLog(1, 2);
  const health = await auditHealth(home);
  assert.equal(health.spool, null);
  assert.equal(checkAudit(health).status, "pass");
  const report = HealthReportSchema.parse(
    await buildHealthReport(
      testContext(home, { plugins: { auditHealth: plugins(home).auditHealth! } }),
      { probe: false },
    ),
  );
  assert.equal(report.audit.spool_waiting, null);
});

Deno.test({
  name: "a spool folder that is a symbolic link is not followed: its files are not counted",
  ignore: !posix,
  fn: async () => {
    const home = await sampleLog(1, 2);
    const elsewhere = await tempFolder("thoth-spool-elsewhere-");
    const old = `${elsewhere}/s-dead-1.jsonl`;
    await Deno.writeTextFile(old, '{"type":"decision"}\n');
    const at = new Date(Date.now() - 10 * ORPHAN_AFTER_MS);
    await Deno.utime(old, at, at);
    await Deno.symlink(elsewhere, DecisionSpool.dir(home));
    const health = await auditHealth(home);
    assert.equal(health.spool, null);
    assert.match(
      health.spoolProblem ?? "",
      /spool" is a symbolic link, which thoth doctor does not follow$/,
    );
    const check = checkAudit(health);
    assert.equal(check.status, "warn");
    assert.match(
      check.message,
      /is a symbolic link, which thoth doctor does not follow: spool files/,
    );
    assert.doesNotMatch(check.message, /1 spool file/);
  },
});
