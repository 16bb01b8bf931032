/**
 * The real `thoth health --json` and `thoth doctor` as subprocesses, with a
 * FIFO where they read a file of the profile (as a management tool polling
 * them as root would meet one): each is refused and reported, and the
 * command ends. A child still running after 20 s is killed and the test fails.
 */
import assert from "node:assert/strict";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { HAS_FIFO, makeFifo, replaceWithFifo } from "../platform/_fifo.ts";

/** `thoth ARGS` with its own temp HOME as the folder it runs in; killed after 20 s. */
async function thoth(args: string[], env: Record<string, string>) {
  const home = await tempFolder("thoth-fifo-user-");
  return await runThoth(args, { env: { HOME: home, ...env }, cwd: home, timeoutMs: 20_000 });
}

Deno.test({
  name: "thoth health --json reports a policy.jsonc and a key file that are FIFOs, and ends",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await tempFolder("thoth-fifo-home-");
    await makeFifo(`${home}/policy.jsonc`);
    await makeFifo(`${home}/key.json`);
    const run = await thoth(["health", "--json"], {
      THOTH_HOME: home,
      THOTH_API_KEY_FILE: `${home}/key.json`,
    });
    assert.equal(run.code, 0, run.err);
    const report = HealthReportSchema.parse(JSON.parse(run.out));
    assert.equal(report.policy.valid, false);
    assert.equal(report.policy.problem, "cannot read the policy: it is not a regular file");
    assert.match(report.credentials.problem ?? "", /it is not a regular file/);
  },
});

Deno.test({
  name: "thoth health --json and thoth doctor report an audit state file that is a FIFO, and end",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const state = `${home}/audit/.state.json`;
    await replaceWithFifo(state);
    const health = await thoth(["health", "--json"], { THOTH_HOME: home });
    assert.equal(health.code, 0, health.err);
    const report = HealthReportSchema.parse(JSON.parse(health.out));
    assert.equal(report.audit.status, "degraded");
    assert.equal(
      report.audit.message,
      `cannot read the audit state "${state}": it is not a regular file`,
    );
    assert.match(report.audit.hint ?? "", /^remove it \(rm '.+'\): the next governed session/);

    const doctor = await thoth(["doctor"], { THOTH_HOME: home });
    assert.equal(doctor.code, 1, doctor.err);
    assert.match(doctor.out, /^✗ audit +.*it is not a regular file/m);
  },
});

Deno.test({
  name: "thoth doctor reports a policy.jsonc that is a FIFO, and ends",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await tempFolder("thoth-fifo-home-");
    await makeFifo(`${home}/policy.jsonc`);
    const doctor = await thoth(["doctor"], { THOTH_HOME: home });
    assert.equal(doctor.code, 1, doctor.err);
    assert.match(doctor.out, /^✗ policy +.*not a regular file/m);
  },
});

Deno.test({
  name: "thoth status --check reports a client config that is a FIFO, and ends",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await tempFolder("thoth-fifo-home-");
    await makeFifo(`${home}/claude_desktop_config.json`);
    const status = await thoth(
      ["status", "--check", "--config", `${home}/claude_desktop_config.json`],
      { THOTH_HOME: home },
    );
    assert.equal(status.code, 1, status.err);
    assert.match(status.err, /cannot read config ".*": it is not a regular file/);
  },
});
