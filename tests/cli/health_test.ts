import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";

async function health(home: string, args: string[], env: Record<string, string> = {}) {
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(
    healthCommand(io, {
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
    assert.match(stdout, /^enforcer +https:\/\/enforce\.acme\.example\.com \(not_probed\)$/m);
  }));
