/**
 * `thoth doctor` and `thoth health --json`, run as the CLI runs them (this
 * build's audit plug-in, the rest stubbed), state the audit log's size.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import type { CliIo } from "../../src/cli/cli_io.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { fakeIo, testContext } from "../doctor/_helpers.ts";
import { sampleLog } from "../audit/_log_helpers.ts";

const auditOnly = (io: CliIo) => ({ auditHealth: thothDoctorPlugins(io).auditHealth! });

async function run(home: string, command: "doctor" | "health", args: string[]) {
  const io = fakeIo(home);
  const options = {
    plugins: auditOnly(io),
    context: (cliIo: CliIo, plugins: Partial<DoctorPlugins>) =>
      testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins }),
  };
  const program = new Command("thoth").addCommand(
    command === "doctor" ? doctorCommand(io, options) : healthCommand(io, options),
  );
  const code = await runProgram("thoth", program, [command, ...args], io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join("") };
}

Deno.test("thoth health --json reports the audit log's size: the sum of its segments and their count", async () => {
  const home = await sampleLog(3, 8, { maxSegmentBytes: 2048 });
  const names = await listSegments(`${home}/audit`);
  let bytes = 0;
  for (const name of names) bytes += (await Deno.stat(`${home}/audit/${name}`)).size;

  const health = await run(home, "health", ["--json"]);
  assert.equal(health.code, 0, health.stderr);
  const report = HealthReportSchema.parse(JSON.parse(health.stdout));
  assert.equal(report.audit.size_bytes, bytes);
  assert.equal(report.audit.segments, names.length);
  assert.equal(report.audit.oldest_segment_day, "2026-03-01");
});

Deno.test("thoth doctor states the audit log's size on the audit line", async () => {
  const home = await sampleLog(3, 8, { maxSegmentBytes: 2048 });
  const names = await listSegments(`${home}/audit`);
  const doctor = await run(home, "doctor", []);
  assert.match(
    doctor.stdout,
    new RegExp(
      `^✓ audit +[\\d,]+ record\\(s\\); .*; \\d+\\.\\d KiB in ${names.length} segment\\(s\\) ` +
        "since 2026-03-01$",
      "m",
    ),
  );
});
