/**
 * `thoth health --json` finds what `thoth doctor` fails, without starting
 * anything: a server whose thoth command or upstream command is not found
 * where its client looks, a tenant with no credential, an expired one. And
 * doctor's remedies fit the problem: a policy with several syntax errors, an
 * absolute upstream command that is gone.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkCredentials } from "../../src/doctor/check_credentials.ts";
import { checkPolicy } from "../../src/doctor/check_policy.ts";
import { checkUpstreamPath } from "../../src/doctor/check_upstream_path.ts";
import type { ClientConfigReport } from "../../src/doctor/doctor_plugins.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { fakeIo, FIXED_NOW, makeJwt, testContext, withTempDir } from "./_helpers.ts";

/** A host where only `files` are executable. */
const only = (files: readonly string[]) => ({
  isExecutable: (path: string) => Promise.resolve(files.includes(path)),
});

const config = (servers: ClientConfigReport["servers"]): ClientConfigReport[] => [{
  client: "claude-desktop",
  configPath: "/c.json",
  servers,
}];

Deno.test("health: a bare thoth command not on the client's PATH is governed but not startable, as doctor says", () =>
  withTempDir(async (home) => {
    const reports = config([
      { name: "gdrive", governed: true, command: "thoth", upstreamCommand: "/usr/bin/npx" },
    ]);
    const context = testContext(home, {
      host: only(["/usr/bin/npx"]),
      plugins: { discoverClients: () => Promise.resolve(reports) },
    });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    const [client] = report.clients ?? [];
    assert.deepEqual(client?.governed, ["gdrive"]);
    assert.deepEqual(client?.ungoverned, []);
    assert.equal(client?.not_startable.length, 1);
    assert.equal(client?.not_startable[0]?.name, "gdrive");
    assert.equal(client?.not_startable[0]?.command, "thoth");
    assert.match(
      client?.not_startable[0]?.problem ?? "",
      /^"thoth" is not found on the desktop client's PATH \(\/usr\/local\/sbin:.*\): the client cannot start this governed server; write this thoth's path into its entry \(adding the options your other servers were wrapped with, such as --tenant-id\) with: thoth wrap-config --client claude-desktop \/c\.json$/,
    );
    // Doctor, on the same lookup, fails the same command.
    const doctor = await checkUpstreamPath(context, reports);
    assert.equal(doctor.status, "fail");
    assert.match(
      doctor.message,
      /not found on the desktop client's PATH .*"thoth" for server "gdrive"/,
    );
  }));

Deno.test("health and doctor: an absolute upstream command that is gone cannot start; the remedy fits", () =>
  withTempDir(async (home) => {
    const reports = config([
      {
        name: "tool",
        governed: true,
        command: "/opt/thoth/thoth",
        upstreamCommand: "/opt/gone/mytool",
      },
    ]);
    const context = testContext(home, {
      host: only(["/opt/thoth/thoth"]),
      plugins: { discoverClients: () => Promise.resolve(reports) },
    });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    const [client] = report.clients ?? [];
    assert.deepEqual(client?.governed, ["tool"]);
    assert.deepEqual(client?.not_startable, [{
      name: "tool",
      command: "/opt/gone/mytool",
      problem: '"/opt/gone/mytool" does not exist or is not an executable file: thoth run ' +
        "cannot start this server's command",
    }]);

    const doctor = await checkUpstreamPath(context, reports);
    assert.equal(doctor.status, "fail");
    assert.match(doctor.message, /no executable file at: "\/opt\/gone\/mytool" for server "tool"/);
    assert.doesNotMatch(doctor.message, /not found on the desktop client's PATH/);
    assert.match(doctor.hint ?? "", /reinstall the program at "\/opt\/gone\/mytool"/);
    assert.match(doctor.hint ?? "", /command -v mytool\)/);
    assert.doesNotMatch(doctor.hint ?? "", /command -v \/opt/);
  }));

Deno.test("health: every command found, nothing is not startable", () =>
  withTempDir(async (home) => {
    const reports = config([
      { name: "fs", governed: false, command: "npx", upstreamCommand: null },
    ]);
    const context = testContext(home, {
      host: only(["/usr/bin/npx"]),
      plugins: { discoverClients: () => Promise.resolve(reports) },
    });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    assert.deepEqual(report.clients?.[0]?.not_startable, []);
    assert.deepEqual(report.clients?.[0]?.ungoverned, ["fs"]);
  }));

const TENANT = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@acme.example.com",
  THOTH_APEX_DOMAIN: "example.com",
};

Deno.test("health: a tenant with no credential has a credentials problem, doctor's words", () =>
  withTempDir(async (home) => {
    const context = testContext(home, { env: TENANT });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    assert.equal(report.credentials.present, false);
    assert.equal(report.credentials.problem, 'no credentials for tenant "acme"');
    const doctor = await checkCredentials(context);
    assert.equal(doctor.status, "fail");
    assert.equal(doctor.message, report.credentials.problem);
    // No tenant: none needed, no problem.
    const local = await buildHealthReport(testContext(home), { probe: false });
    assert.equal(local.credentials.problem, null);
  }));

Deno.test("health: an expired credential has a credentials problem, as doctor fails it", () =>
  withTempDir(async (home) => {
    const exp = FIXED_NOW.getTime() / 1000 - 60;
    const env = { ...TENANT, THOTH_RUNTIME_BEARER_TOKEN: makeJwt({ exp }) };
    const context = testContext(home, { env });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    const at = new Date(exp * 1000).toISOString();
    assert.equal(report.credentials.expired, true);
    assert.equal(
      report.credentials.problem,
      `bearer token from THOTH_RUNTIME_BEARER_TOKEN expired at ${at}`,
    );
    const doctor = await checkCredentials(context);
    assert.equal(doctor.status, "fail");
    assert.match(doctor.message, new RegExp(`expired at ${at}`));
    // Unexpired: no problem.
    const fresh = { ...TENANT, THOTH_RUNTIME_BEARER_TOKEN: makeJwt({ exp: exp + 3600 * 48 }) };
    const ok = await buildHealthReport(testContext(home, { env: fresh }), { probe: false });
    assert.equal(ok.credentials.problem, null);
  }));

Deno.test("doctor: a policy with several syntax errors gets a remedy, not its next error as a hint", () =>
  withTempDir(async (home) => {
    const path = `${home}/policy.jsonc`;
    await Deno.writeTextFile(path, '{ "rules": [ , , ] x }');
    const plugins = thothDoctorPlugins(fakeIo(home));
    const check = await checkPolicy(
      testContext(home, { plugins: { validatePolicy: plugins.validatePolicy! } }),
    );
    assert.equal(check.status, "fail");
    assert.match(check.message, /line 1 column \d+: syntax: /);
    assert.doesNotMatch(check.hint ?? "", /^policy "/);
    assert.match(check.hint ?? "", /thoth policy check /);
    // A validator's own remedy is kept.
    const kept = await checkPolicy(testContext(home, {
      plugins: {
        validatePolicy: () => ({ ok: false, message: "unknown mode", hint: 'use "block"' }),
      },
    }));
    assert.equal(kept.hint, 'use "block"');
  }));

Deno.test("doctor upstream_path: a governed entry's missing thoth gets wrap-config as the fix, as client_configs gives", () =>
  withTempDir(async (home) => {
    const reports = config([
      {
        name: "gdrive",
        governed: true,
        command: "/usr/local/bin/thoth",
        upstreamCommand: "/usr/bin/npx",
      },
      { name: "tool", governed: false, command: "/opt/gone/mytool", upstreamCommand: null },
    ]);
    const context = testContext(home, {
      host: only(["/usr/bin/npx"]),
      plugins: { discoverClients: () => Promise.resolve(reports) },
    });
    const doctor = await checkUpstreamPath(context, reports);
    assert.equal(doctor.status, "fail");
    assert.match(
      doctor.message,
      /no executable file at: "\/usr\/local\/bin\/thoth" for server "gdrive"/,
    );
    const hint = doctor.hint ?? "";
    assert.match(
      hint,
      /write this thoth's path into the entry of "gdrive" \(adding the options your other servers were wrapped with, such as --tenant-id\) with: thoth wrap-config --client claude-desktop \/c\.json/,
    );
    // Reinstalling a thoth at a path another machine wrote is no fix; the other program's is.
    assert.doesNotMatch(hint, /reinstall the program at "\/usr\/local\/bin\/thoth"/);
    assert.match(hint, /reinstall the program at "\/opt\/gone\/mytool"/);
  }));
