/**
 * This build neither registers with the fleet nor asks the tenant's enforcer:
 * `health --json` says so (`fleet.registration`, `enforcer.in_use`), and so
 * does every `doctor` run with a tenant or a fleet id, whatever the probe found.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { checkEnvironment } from "../../src/doctor/check_environment.ts";
import { checkEnforcer } from "../../src/doctor/check_enforcer.ts";
import { runDoctor } from "../../src/doctor/run_doctor.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const TENANT = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@acme.example.com",
  THOTH_APEX_DOMAIN: "example.com",
};

Deno.test("health --json says the endpoint does not register or check in, with what was asked", () =>
  withTempDir(async (home) => {
    const context = testContext(home, {
      env: { ...TENANT, THOTH_FLEET_ID: "fleet-eu", THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: "300" },
    });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    assert.deepEqual(report.fleet, {
      last_checkin_at: null,
      registration: "not_implemented",
      fleet_id: "fleet-eu",
      checkin_interval_sec: 300,
      registration_url: "https://grid.acme.example.com/v1/endpoints/register",
    });
  }));

Deno.test("health --json without a tenant: no registration URL, the default interval", () =>
  withTempDir(async (home) => {
    const report = HealthReportSchema.parse(
      await buildHealthReport(testContext(home), { probe: false }),
    );
    assert.deepEqual(report.fleet, {
      last_checkin_at: null,
      registration: "not_implemented",
      fleet_id: null,
      checkin_interval_sec: 60,
      registration_url: null,
    });
    assert.equal(report.enforcer.in_use, false);
    assert.equal(report.enforcer.decisions, "local_policy");
  }));

Deno.test("health --json says a reachable enforcer is not in use: decisions are the local policy's", () =>
  withTempDir(async (home) => {
    const context = testContext(home, {
      env: TENANT,
      host: {
        resolveHost: () => Promise.resolve(["127.0.0.1"]),
        probeUrl: () => Promise.resolve({ reachable: true, detail: "HTTP 404" }),
      },
    });
    for (const probe of [false, true]) {
      const report = HealthReportSchema.parse(await buildHealthReport(context, { probe }));
      assert.deepEqual(report.enforcer, {
        url: "https://enforce.acme.example.com",
        reachability: probe ? "reachable" : "not_probed",
        detail: probe ? "HTTP 404" : null,
        in_use: false,
        decisions: "local_policy",
      });
    }
  }));

Deno.test("health --json does not call the enforcer of a tenant with an invalid environment not configured", () =>
  withTempDir(async (home) => {
    let looked = 0;
    const host = {
      resolveHost: () => (looked++, Promise.resolve(["127.0.0.1"])),
      probeUrl: () => (looked++, Promise.resolve({ reachable: true, detail: "HTTP 404" })),
    };
    const invalid = [
      { env: { ...TENANT, THOTH_APEX_DOMAIN: "localhost" }, url: null, names: "THOTH_APEX_DOMAIN" },
      { env: { ...TENANT, THOTH_TENANT_ID: "Acme Inc" }, url: null, names: "THOTH_TENANT_ID" },
      // The enforcer's URL can be derived, but thoth run starts nothing: as doctor, not checked.
      {
        env: { ...TENANT, THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: "soon" },
        url: "https://enforce.acme.example.com",
        names: "THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC",
      },
    ];
    for (const { env, url, names } of invalid) {
      for (const probe of [false, true]) {
        const context = testContext(home, { env, host });
        const report = HealthReportSchema.parse(await buildHealthReport(context, { probe }));
        assert.equal(report.environment.valid, false, JSON.stringify(env));
        assert.equal(report.enforcer.url, url);
        assert.equal(report.enforcer.reachability, "not_probed", JSON.stringify(env));
        assert.match(
          report.enforcer.detail ?? "",
          new RegExp(`^not checked: the environment is invalid \\(.*${names}.*\\)$`),
        );
        assert.equal(
          (await checkEnforcer(context)).message,
          "not checked: the environment is invalid",
        );
      }
    }
    assert.equal(looked, 0, "nothing looked up or probed");
    // No tenant at all: nothing to configure, whatever else is invalid.
    const none = HealthReportSchema.parse(
      await buildHealthReport(
        testContext(home, { env: { THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: "soon" }, host }),
        {
          probe: true,
        },
      ),
    );
    assert.equal(none.enforcer.reachability, "not_configured");
  }));

Deno.test("the health schema describes check-ins and the enforcer as this build has them", () => {
  const fleet = HealthReportSchema.shape.fleet.shape;
  assert.doesNotMatch(fleet.last_checkin_at.description ?? "", /null until one/);
  assert.match(fleet.registration.description ?? "", /never/);
  assert.match(HealthReportSchema.shape.enforcer.shape.in_use.description ?? "", /local policy/);
});

Deno.test("doctor warns that this build does not register, for a tenant or a fleet id alone", () => {
  for (
    const [env, named] of [
      [TENANT, /tenant "acme" is set/],
      [{ THOTH_FLEET_ID: "fleet-eu" }, /THOTH_FLEET_ID "fleet-eu" is set/],
      [{ ...TENANT, THOTH_FLEET_ID: "fleet-eu" }, /tenant "acme" and THOTH_FLEET_ID "fleet-eu"/],
      // Beside the deprecated variable's own warning.
      [{ ...TENANT, THOTH_ENFORCER_URL: "https://e.example.com" }, /tenant "acme" is set/],
    ] as const
  ) {
    const check = checkEnvironment(env, "linux");
    assert.equal(check.status, "warn", JSON.stringify(env));
    assert.match(check.message, /this build does not register with the fleet or check in/);
    assert.match(check.message, named);
    assert.match(check.hint ?? "", /THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC have no effect/);
  }
  const none = checkEnvironment({}, "linux");
  assert.equal(none.status, "pass");
  assert.doesNotMatch(none.message, /register/);
});

Deno.test("doctor says the tenant's enforcer is not used whether or not it answers", () =>
  withTempDir(async (home) => {
    const used = /every call with the local policy: the tenant's enforcer is not used/;
    const hosts = {
      "no apex domain": {},
      unresolvable: { resolveHost: () => Promise.reject(new Error("no A or AAAA records")) },
      unreachable: {
        resolveHost: () => Promise.resolve(["127.0.0.1"]),
        probeUrl: () => Promise.resolve({ reachable: false, detail: "connection refused" }),
      },
      reachable: {
        resolveHost: () => Promise.resolve(["127.0.0.1"]),
        probeUrl: () => Promise.resolve({ reachable: true, detail: "HTTP 404" }),
      },
    };
    for (const [name, host] of Object.entries(hosts)) {
      const env = name === "no apex domain"
        ? { THOTH_TENANT_ID: "acme", THOTH_USER_ID: "ana@acme.example.com" }
        : TENANT;
      const check = await checkEnforcer(testContext(home, { env, host }));
      assert.match(check.message, used, name);
    }
    const checks = await runDoctor(testContext(home, { env: TENANT }));
    assert.match(checks.find((c) => c.id === "enforcer")!.message, used);
    assert.match(checks.find((c) => c.id === "environment")!.message, /does not register/);
  }));
