/**
 * The audit log's size, as `thoth health --json` reports it (`audit.size_bytes`,
 * `audit.segments`, `audit.oldest_segment_day`) and `thoth doctor`'s audit
 * check states it: the sum of the segment files' sizes from a stat of each,
 * not the spool or the checkpoints; a warning over the threshold, with how
 * to keep evidence; null when the segments cannot be looked at.
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import type { AuditHealth } from "../../src/doctor/doctor_plugins.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { fakeIo, testContext } from "./_helpers.ts";

const posix = Deno.build.os !== "windows";

function auditHealth(home: string): Promise<AuditHealth> {
  return thothDoctorPlugins(fakeIo(home)).auditHealth!({ env: {}, thothHome: home, os: "linux" });
}

async function healthReport(home: string) {
  const auditHealth = thothDoctorPlugins(fakeIo(home)).auditHealth!;
  return HealthReportSchema.parse(
    await buildHealthReport(testContext(home, { plugins: { auditHealth } }), { probe: false }),
  );
}

/** The sum of the segment files' sizes and their count, as `ls -l` would add them up. */
async function segmentsOnDisk(home: string): Promise<{ bytes: number; count: number }> {
  const names = await listSegments(`${home}/audit`);
  let bytes = 0;
  for (const name of names) bytes += (await Deno.stat(`${home}/audit/${name}`)).size;
  return { bytes, count: names.length };
}

/** A log of several segments over several UTC days (a record every 3 hours, segments of 2 KB). */
function severalSegments(): Promise<string> {
  return sampleLog(3, 8, {
    maxSegmentBytes: 2048,
    now: (() => {
      let t = Date.parse("2026-03-01T10:00:00.000Z");
      return () => new Date(t += 3 * 3600 * 1000);
    })(),
  });
}

Deno.test("health --json reports the audit log's size: the sum of its segments, their count, the first day", async () => {
  const home = await severalSegments();
  // Neither the spool nor the checkpoints are the log: not counted.
  await Deno.mkdir(DecisionSpool.dir(home), { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(`${DecisionSpool.dir(home)}/s-x-1.jsonl`, "x".repeat(5000));
  const disk = await segmentsOnDisk(home);
  assert.ok(disk.count > 3, `${disk.count} segments`);

  const report = await healthReport(home);
  assert.equal(report.audit.status, "ok");
  assert.equal(report.audit.size_bytes, disk.bytes);
  assert.equal(report.audit.segments, disk.count);
  assert.equal(report.audit.oldest_segment_day, "2026-03-01");
  assert.match(
    report.audit.message ?? "",
    new RegExp(
      `; ${(disk.bytes / 1024).toFixed(1)} KiB in ${disk.count} segment\\(s\\) since 2026-03-01$`,
    ),
  );
});

Deno.test("doctor's audit check states the log's size and passes under the threshold", async () => {
  const home = await sampleLog(2, 4);
  const disk = await segmentsOnDisk(home);
  const check = checkAudit(await auditHealth(home));
  assert.equal(check.status, "pass");
  assert.match(
    check.message,
    /^\d+ record\(s\); last checkpoint covers \d+; the audit state's MAC verifies; the log's end matches its state and its last \d+ record\(s\) chain \(not a full verify\); \d+\.\d KiB in 1 segment\(s\) since 2026-03-01$/,
  );
  assert.ok(check.message.includes(`${(disk.bytes / 1024).toFixed(1)} KiB`));
});

Deno.test("doctor's audit check warns over the threshold, with how to keep evidence and that the log cannot be cut", async () => {
  const home = await severalSegments();
  const disk = await segmentsOnDisk(home);
  const health = await auditHealth(home);
  const check = checkAudit(health, { warnBytes: disk.bytes - 1 });
  assert.equal(check.status, "warn");
  assert.match(
    check.message,
    new RegExp(
      `; ${(disk.bytes / 1024).toFixed(1)} KiB in ${disk.count} segment\\(s\\) since ` +
        "2026-03-01, over \\S+ \\S+: thoth removes no segment, and the log grows by about 1\\.1 KB " +
        "per governed tools/call$",
    ),
  );
  assert.match(check.hint ?? "", /thoth audit export --since TIME --until TIME --output DIR/);
  assert.match(check.hint ?? "", /"thoth audit verify" then reports their records as deleted/);
  // At the threshold itself: no warning.
  assert.equal(checkAudit(health, { warnBytes: disk.bytes }).status, "pass");
});

Deno.test("a log that is not there yet is 0 bytes in 0 segments; the message says only that", async () => {
  const home = await tempFolder("thoth-size-");
  const report = await healthReport(home);
  assert.equal(report.audit.status, "missing");
  assert.equal(report.audit.size_bytes, 0);
  assert.equal(report.audit.segments, 0);
  assert.equal(report.audit.oldest_segment_day, null);
  assert.equal(report.audit.message, "no audit log yet: it starts with the first governed session");
});

Deno.test({
  name: "the size is null when the audit folder is a symbolic link (not followed)",
  ignore: !posix,
  fn: async () => {
    const home = await sampleLog(1, 2);
    const elsewhere = await tempFolder("thoth-size-elsewhere-");
    await Deno.rename(`${home}/audit`, `${elsewhere}/audit`);
    await Deno.symlink(`${elsewhere}/audit`, `${home}/audit`);
    const health = await auditHealth(home);
    assert.equal(health.logSize, null);
    const report = await healthReport(home);
    assert.equal(report.audit.size_bytes, null);
    assert.equal(report.audit.segments, null);
    assert.equal(report.audit.oldest_segment_day, null);
  },
});
