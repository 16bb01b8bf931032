import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";
import type { CliIo } from "../../src/cli/cli_io.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { sampleLog } from "../audit/_log_helpers.ts";

async function health(
  home: string,
  args: string[],
  env: Record<string, string> = {},
  plugins?: (io: CliIo) => Partial<DoctorPlugins>,
) {
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(
    healthCommand(io, {
      ...(plugins === undefined ? {} : { plugins: plugins(io) }),
      context: (cliIo, plugins) =>
        testContext(cliIo.thothHome, {
          env: { ...cliIo.env },
          plugins,
          host: {
            resolveHost: () => Promise.resolve(["127.0.0.1"]),
            probeUrl: () => Promise.resolve({ reachable: false, detail: "connection refused" }),
          },
        }),
    }),
  );
  const code = await runProgram("thoth", program, ["health", ...args], io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join("") };
}

const TENANT = {
  THOTH_TENANT_ID: "acme",
  THOTH_APEX_DOMAIN: "example.com",
  THOTH_API_KEY: "aten_key_9",
};

Deno.test("thoth health --json prints a report valid against the schema", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await health(home, ["--json"], TENANT);
    assert.equal(code, 0);
    const report = HealthReportSchema.parse(JSON.parse(stdout));
    assert.equal(report.tenant.id, "acme");
    assert.equal(report.endpoint.source, "os_machine_id");
    assert.equal(report.credentials.source, "THOTH_API_KEY");
    assert.equal(report.enforcer.reachability, "not_probed");
    assert.ok(!stdout.includes("aten_key_9"));
  }));

Deno.test("thoth health --json --probe reports the enforcer's reachability", () =>
  withTempDir(async (home) => {
    const { stdout } = await health(home, ["--json", "--probe"], TENANT);
    const report = HealthReportSchema.parse(JSON.parse(stdout));
    assert.equal(report.enforcer.reachability, "unreachable");
    assert.equal(report.enforcer.detail, "connection refused");
  }));

Deno.test("thoth health prints a short human summary without --json", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await health(home, [], TENANT);
    assert.equal(code, 0);
    assert.match(stdout, /^endpoint +mid-[0-9a-f]{32} \(from \/etc\/machine-id\)$/m);
    assert.match(stdout, /^credentials +THOTH_API_KEY \(fingerprint [0-9a-f]{8}\)$/m);
    assert.match(
      stdout,
      /^enforcer +https:\/\/enforce\.acme\.example\.com \(not_probed\); not used: every call is decided by the local policy$/m,
    );
  }));

/** This build's audit health, nothing else of the host. */
const auditOnly = (io: CliIo) => ({ auditHealth: thothDoctorPlugins(io).auditHealth! });

Deno.test("thoth health --json checks the audit log's end, not only its state file", async () => {
  const home = await sampleLog(1, 4);
  const state = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`));
  const ok = await health(home, ["--json"], {}, auditOnly);
  const before = HealthReportSchema.parse(JSON.parse(ok.stdout));
  assert.deepEqual(before.audit.status, "ok");
  assert.equal(before.audit.last_sequence, state.size - 1);
  assert.doesNotMatch(ok.stderr, /thoth: audit:/);

  for (const name of await listSegments(`${home}/audit`)) {
    await Deno.remove(`${home}/audit/${name}`);
  }
  const gone = await health(home, ["--json"], {}, auditOnly);
  assert.equal(gone.code, 0);
  const after = HealthReportSchema.parse(JSON.parse(gone.stdout));
  assert.equal(after.audit.status, "degraded");
  assert.equal(after.audit.verified, false);
  assert.equal(after.audit.last_sequence, null);
  assert.match(
    gone.stderr,
    /^thoth: audit: the audit log does not match its state file: the state file counts \d+ records, but the segment it ends in, seg-\S+, is missing \(no segment is left\): records were removed$/m,
  );
  assert.match(
    gone.stderr,
    /^thoth: hint: run "thoth audit verify" to see what was lost or changed$/m,
  );

  const human = await health(home, [], {}, auditOnly);
  assert.match(
    human.stdout,
    /^audit +degraded: the audit log does not match its state file: .* \(run "thoth audit verify" to see what was lost or changed\)$/m,
  );
});

Deno.test("thoth health --json reports an audit folder deleted under its keys as degraded", async () => {
  const home = await sampleLog(1, 2);
  await Deno.remove(`${home}/audit`, { recursive: true });
  const { stdout, stderr } = await health(home, ["--json"], {}, auditOnly);
  const report = HealthReportSchema.parse(JSON.parse(stdout));
  assert.equal(report.audit.status, "degraded");
  assert.match(
    stderr,
    /thoth: audit: the audit log is gone: no segment and no state file, but the signing key made with it is still in keys\//,
  );
});

Deno.test("thoth health --json still says missing for a profile that never had a log", () =>
  withTempDir(async (home) => {
    const { stdout, stderr } = await health(home, ["--json"], {}, auditOnly);
    assert.equal(HealthReportSchema.parse(JSON.parse(stdout)).audit.status, "missing");
    assert.doesNotMatch(stderr, /thoth: audit:/);
  }));

Deno.test("thoth health --help says a report with problems still exits 0, and what non-zero means", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await health(home, ["--help"]);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /Exit status: 0 whenever a report was printed, even when it shows problems/,
    );
    assert.match(stdout, /Non-zero means no report was printed: 2 for a\s+command-line error, 1/);
  }));

Deno.test("thoth health --json reports a checkpoint time out of range in the audit state as degraded", async () => {
  for (const checkpointAt of [9007199254740991, 253402300800000]) {
    const home = await sampleLog(1, 2);
    const path = `${home}/audit/.state.json`;
    const state = JSON.parse(await Deno.readTextFile(path));
    await Deno.writeTextFile(path, JSON.stringify({ ...state, checkpointAt }));
    const { code, stdout, stderr } = await health(home, ["--json"], {}, auditOnly);
    assert.equal(code, 0, stderr);
    const report = HealthReportSchema.parse(JSON.parse(stdout));
    assert.equal(report.audit.status, "degraded");
    assert.equal(report.audit.last_checkpoint_at, null);
    assert.match(
      report.audit.message ?? "",
      new RegExp(`is damaged: its checkpointAt ${checkpointAt} is after the year 9999`),
    );
    assert.match(report.audit.hint ?? "", /thoth audit verify/);
    assert.match(stderr, /^thoth: audit: the audit state file .* is damaged/m);
  }
});

Deno.test({
  name: "thoth health --json reports an audit folder it cannot read as degraded, with a remedy",
  ignore: Deno.build.os === "windows" || Deno.uid() === 0,
  fn: async () => {
    const home = await sampleLog(1, 2);
    await Deno.chmod(`${home}/audit/checkpoints`, 0o000);
    try {
      const { stdout } = await health(home, ["--json"], {}, auditOnly);
      const report = HealthReportSchema.parse(JSON.parse(stdout));
      assert.equal(report.audit.status, "degraded");
      assert.match(report.audit.message ?? "", /cannot check the audit log in ".*audit"/);
      assert.match(report.audit.hint ?? "", /chmod -R u\+rwX/);
    } finally {
      await Deno.chmod(`${home}/audit/checkpoints`, 0o700);
    }
  },
});

Deno.test("thoth health --json reports a tenant without a user as an invalid environment", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await health(home, ["--json"], {
      THOTH_TENANT_ID: "acme",
      THOTH_APEX_DOMAIN: "example.com",
    });
    assert.equal(code, 0);
    const report = HealthReportSchema.parse(JSON.parse(stdout));
    assert.equal(report.environment.valid, false);
    assert.match(report.environment.problems[0] ?? "", /^THOTH_USER_ID is not set/);
  }));

Deno.test("thoth health --json reports an audit log it cannot list as degraded, not unknown", async () => {
  const home = await sampleLog(1, 2);
  await Deno.remove(`${home}/audit/checkpoints`, { recursive: true });
  await Deno.writeTextFile(`${home}/audit/checkpoints`, "not a folder");
  const { code, stdout, stderr } = await health(home, ["--json"], {}, auditOnly);
  assert.equal(code, 0);
  const report = HealthReportSchema.parse(JSON.parse(stdout));
  assert.equal(report.audit.status, "degraded");
  // The write fault first (every governed call is refused while it lasts), then why the log
  // could not be checked; the hint moves the file aside.
  assert.match(
    report.audit.message ?? "",
    /^the audit log cannot be written: ".*checkpoints" is a regular file, not a folder/,
  );
  assert.match(report.audit.message ?? "", /cannot check the audit log in ".*": Not a directory/);
  assert.match(report.audit.hint ?? "", /mv '.*checkpoints' '.*checkpoints\.moved-aside'/);
  assert.match(stderr, /^thoth: hint: .*mv /m);
});
