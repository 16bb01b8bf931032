/**
 * `thoth health --json` reports the tenant's control plane,
 * `https://<tenant>.<apex>` (the reference's govapi_url), beside the
 * enforcer and registration URLs derived from the same two variables: null
 * without a valid tenant and apex domain, and in the JSON Schema.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { healthCommand } from "../../src/cli/health.ts";
import { runProgram } from "../../src/cli/program.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { SELF } from "../cli/_source_thoth.ts";
import { fakeIo, testContext, withTempDir } from "./_helpers.ts";

const USER = { THOTH_USER_ID: "ana@example.com" };

const CASES: [string, Record<string, string>, string | null][] = [
  ["no tenant, no apex", {}, null],
  ["an apex without a tenant", { THOTH_APEX_DOMAIN: "example.com" }, null],
  ["a tenant without an apex", { ...USER, THOTH_TENANT_ID: "acme" }, null],
  [
    "a tenant and an apex",
    { ...USER, THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "example.com" },
    "https://acme.example.com",
  ],
  [
    "an apex in capitals (a DNS name is taken in lowercase)",
    { ...USER, THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "Corp.Example.COM" },
    "https://acme.corp.example.com",
  ],
  [
    "an invalid apex beside a valid tenant",
    { ...USER, THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "exa mple.com" },
    null,
  ],
  [
    "an invalid tenant beside a valid apex",
    { ...USER, THOTH_TENANT_ID: "Acme", THOTH_APEX_DOMAIN: "example.com" },
    null,
  ],
  [
    "a valid tenant and apex beside an invalid THOTH_ENV",
    { ...USER, THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "example.com", THOTH_ENV: "Pro d" },
    "https://acme.example.com",
  ],
];

Deno.test("buildHealthReport() derives tenant.control_plane_url from the tenant and apex domain, or null", () =>
  withTempDir(async (home) => {
    for (const [label, env, expected] of CASES) {
      const report = HealthReportSchema.parse(
        await buildHealthReport(testContext(home, { env }), { probe: false }),
      );
      assert.ok("control_plane_url" in report.tenant, `${label}: the field is always present`);
      assert.equal(report.tenant.control_plane_url, expected, label);
      // The same host the enforcer and registration URLs are derived under.
      if (expected === null) {
        assert.equal(report.enforcer.url, null, label);
      } else {
        const host = new URL(expected).host;
        assert.equal(report.enforcer.url, `https://enforce.${host}`, label);
        assert.equal(
          report.fleet.registration_url,
          `https://grid.${host}/v1/endpoints/register`,
          label,
        );
      }
    }
  }));

Deno.test("thoth health --json prints tenant.control_plane_url", () =>
  withTempDir(async (home) => {
    for (const [label, env, expected] of CASES) {
      const io = fakeIo(home, env);
      const program = new Command("thoth").addCommand(healthCommand(io, {
        context: (cliIo, plugins) =>
          testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins }),
      }));
      assert.equal(await runProgram("thoth", program, ["health", "--json"], io), 0, label);
      const printed = JSON.parse(io.stdout.join(""));
      assert.equal(printed.tenant.control_plane_url, expected, label);
    }
  }));

Deno.test("schemas/health.schema.json has tenant.control_plane_url, a string or null", async () => {
  const schema = JSON.parse(
    await Deno.readTextFile(new URL("../../schemas/health.schema.json", import.meta.url)),
  );
  const field = schema.properties.tenant.properties.control_plane_url;
  assert.deepEqual(field?.type, ["string", "null"]);
  assert.match(field.description, /https:\/\/<tenant>\.<apex>/);
  const tenant = HealthReportSchema.shape.tenant.shape;
  assert.equal(tenant.control_plane_url.safeParse(null).success, true);
  assert.equal(tenant.control_plane_url.safeParse(7).success, false);
});

Deno.test("the real thoth health --json reports the control plane derived from THOTH_APEX_DOMAIN", async () => {
  const dir = await tempFolder("thoth-health-control-plane-");
  const [command, ...rest] = SELF;
  const out = await new Deno.Command(command!, {
    args: [...rest, "health", "--json"],
    env: {
      ...Deno.env.toObject(),
      HOME: dir,
      THOTH_HOME: `${dir}/.thoth`,
      THOTH_TENANT_ID: "acme",
      THOTH_USER_ID: "ana@example.com",
      THOTH_APEX_DOMAIN: "Example.ORG",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, `${text}${new TextDecoder().decode(out.stderr)}`);
  const report = HealthReportSchema.parse(JSON.parse(text));
  assert.equal(report.tenant.control_plane_url, "https://acme.example.org");
  assert.equal(report.enforcer.url, "https://enforce.acme.example.org");
});
