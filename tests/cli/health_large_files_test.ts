/**
 * `thoth health` and `thoth doctor` on files far larger than any real one: a
 * policy, an audit state file and a client config of 600 MB each, sparse (no
 * disk used). The real CLI, in a profile and HOME of its own. Such a file is
 * never read whole: it is reported as too large, with its size, the limit and
 * what to do, and `health --json` still prints a valid report and exits 0.
 */
import assert from "node:assert/strict";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { runThoth } from "./_thoth_process.ts";

const SIZE = 600 * 1024 * 1024;

async function inHome(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-large-files-" });
  try {
    await Deno.mkdir(`${dir}/.thoth`, { mode: 0o700 });
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function envFor(dir: string): Record<string, string> {
  return { HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, THOTH_HOME: `${dir}/.thoth` };
}

/** A sparse file of `SIZE` bytes at `path`. */
async function sparse(path: string): Promise<void> {
  await Deno.writeFile(path, new Uint8Array());
  await Deno.truncate(path, SIZE);
}

Deno.test({
  name: "thoth health --json and doctor report a 600 MB policy as too large, never read whole",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inHome(async (dir) => {
      const policy = `${dir}/.thoth/policy.jsonc`;
      await sparse(policy);
      const run = await runThoth(["health", "--json"], { env: envFor(dir), cwd: dir });
      assert.equal(run.code, 0, run.err + run.out);
      const report = HealthReportSchema.parse(JSON.parse(run.out));
      assert.equal(report.policy.present, true);
      assert.equal(report.policy.valid, false);
      assert.equal(report.policy.sha256, null);
      assert.match(report.policy.problem ?? "", new RegExp(`is ${SIZE} bytes, over the 12 MiB`));
      assert.match(report.policy.problem ?? "", /move it aside/);

      const doctor = await runThoth(["doctor"], { env: envFor(dir), cwd: dir });
      const lines = doctor.out.split("\n");
      const at = lines.findIndex((line) => /^. policy /.test(line));
      assert.match(lines[at] ?? "", new RegExp(`^✗ policy +policy ".*" is ${SIZE} bytes, over`));
      assert.match(lines[at + 1] ?? "", /hint: .*move it aside/);
      assert.doesNotMatch(lines[at + 1] ?? "", /permissions/);
    }),
});

Deno.test({
  name: "thoth health --json reports a 600 MB audit state file as too large, never read whole",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inHome(async (dir) => {
      await Deno.mkdir(`${dir}/.thoth/audit`, { mode: 0o700 });
      await sparse(`${dir}/.thoth/audit/.state.json`);
      const run = await runThoth(["health", "--json"], { env: envFor(dir), cwd: dir });
      assert.equal(run.code, 0, run.err + run.out);
      const report = HealthReportSchema.parse(JSON.parse(run.out));
      assert.equal(report.audit.status, "degraded");
      assert.match(report.audit.message ?? "", new RegExp(`is ${SIZE} bytes, over the 1 MiB`));
      assert.match(report.audit.message ?? "", /remove it: the next governed session rebuilds it/);
      // The hint says the same, not to look at permissions.
      assert.match(report.audit.hint ?? "", /^remove it \(rm /);
    }),
});

Deno.test({
  name:
    "thoth health --json and doctor report a 600 MB client config as too large, not as not UTF-8",
  ignore: Deno.build.os === "windows",
  fn: () =>
    inHome(async (dir) => {
      await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
      const config = `${dir}/.config/Claude/claude_desktop_config.json`;
      await sparse(config);
      const run = await runThoth(["health", "--json"], { env: envFor(dir), cwd: dir });
      assert.equal(run.code, 0, run.err + run.out);
      const report = HealthReportSchema.parse(JSON.parse(run.out));
      const client = report.clients?.find((c) => c.config_path === config);
      assert.match(client?.problem ?? "", new RegExp(`is ${SIZE} bytes, over the 64 MiB`));
      assert.doesNotMatch(client?.problem ?? "", /UTF-8/);
      assert.match(client?.hint ?? "", /move it aside/);

      const doctor = await runThoth(["doctor"], { env: envFor(dir), cwd: dir });
      assert.match(doctor.out, new RegExp(`client_configs .*is ${SIZE} bytes, over the 64 MiB`));
    }),
});
