/**
 * One invalid variable does not hide the valid ones: `thoth health` still
 * reports the tenant and user that obey their rules, shows the invalid one
 * as null (never its default) and names it, and its text says that
 * `thoth run` refuses every server; `thoth doctor` says the same.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { healthCommand } from "../../src/cli/health.ts";
import { runProgram } from "../../src/cli/program.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkEnvironment } from "../../src/doctor/check_environment.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { fakeIo, testContext, withTempDir } from "./_helpers.ts";

const IDENTITY = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@example.com",
  THOTH_APEX_DOMAIN: "example.com",
};

async function report(home: string, env: Record<string, string>) {
  const context = testContext(home, { env });
  return HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
}

Deno.test("health --json keeps a valid tenant and user beside an invalid THOTH_ENV, shown as null", () =>
  withTempDir(async (home) => {
    const r = await report(home, { ...IDENTITY, THOTH_ENV: "Pro d" });
    assert.equal(r.tenant.id, "acme");
    assert.equal(r.tenant.apex_domain, "example.com");
    assert.equal(r.user.id, "ana@example.com");
    // Not the default "prod": THOTH_ENV is set, and invalid.
    assert.equal(r.tenant.environment, null);
    assert.equal(r.environment.valid, false);
    assert.deepEqual(r.environment.invalid_variables, ["THOTH_ENV"]);
    assert.match(r.environment.problems[0] ?? "", /^THOTH_ENV "Pro d" is not valid: it must be /);
    assert.equal(r.enforcer.url, "https://enforce.acme.example.com");
  }));

Deno.test("health --json keeps the identity beside an invalid check-in interval, shown as null", () =>
  withTempDir(async (home) => {
    const r = await report(home, { ...IDENTITY, THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: "0" });
    assert.equal(r.tenant.id, "acme");
    assert.equal(r.user.id, "ana@example.com");
    assert.equal(r.tenant.environment, "prod");
    assert.equal(r.fleet.checkin_interval_sec, null);
    assert.deepEqual(r.environment.invalid_variables, ["THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC"]);
  }));

Deno.test("health --json: an invalid tenant is null and named, the valid user still reported", () =>
  withTempDir(async (home) => {
    const r = await report(home, { THOTH_TENANT_ID: "Acme", THOTH_USER_ID: "ana@example.com" });
    assert.equal(r.tenant.id, null);
    assert.equal(r.user.id, "ana@example.com");
    assert.deepEqual(r.environment.invalid_variables, ["THOTH_TENANT_ID"]);
  }));

Deno.test("the health schema says an invalid THOTH_ENV is null, not the default", () => {
  const tenant = HealthReportSchema.shape.tenant.shape;
  assert.equal(tenant.environment.safeParse(null).success, true);
  assert.match(tenant.environment.description ?? "", /null when THOTH_ENV is set but invalid/);
  assert.match(tenant.id.description ?? "", /invalid/);
});

async function healthText(home: string, env: Record<string, string>) {
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(healthCommand(io, {
    context: (cliIo, plugins) => testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins }),
  }));
  const code = await runProgram("thoth", program, ["health"], io);
  return { code, out: io.stdout.join("") };
}

Deno.test("thoth health names the invalid variable and says thoth run refuses every server", () =>
  withTempDir(async (home) => {
    const { code, out } = await healthText(home, { ...IDENTITY, THOTH_ENV: "Pro d" });
    assert.equal(code, 0);
    assert.match(out, /^tenant +acme, env unknown: THOTH_ENV is invalid/m);
    assert.match(out, /^user +ana@example\.com$/m);
    assert.match(
      out,
      /^environment +INVALID: THOTH_ENV "Pro d" is not valid: it must be [^\n]*; thoth run refuses every server until this is fixed/m,
    );
    assert.doesNotMatch(out, /none \(local policy only\)|not set/);
  }));

Deno.test("thoth health says an invalid tenant is invalid, not that there is none", () =>
  withTempDir(async (home) => {
    const { out } = await healthText(home, { THOTH_TENANT_ID: "Acme" });
    assert.match(out, /^tenant +unknown: THOTH_TENANT_ID is invalid/m);
    assert.doesNotMatch(out, /none \(local policy only\)/);
  }));

Deno.test("doctor's environment check says the same: the variable, its rule, and every server refused", () => {
  const check = checkEnvironment({ ...IDENTITY, THOTH_ENV: "Pro d" }, "linux");
  assert.equal(check.status, "fail");
  assert.match(check.message, /^THOTH_ENV "Pro d" is not valid: it must be /);
  assert.match(check.message, /thoth run refuses every server until this is fixed/);
  assert.match(check.hint ?? "", /THOTH_ENV/);
});
