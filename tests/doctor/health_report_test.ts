import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { denoDoctorContext } from "../../src/doctor/deno_doctor_context.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { healthJsonSchemaText } from "../../src/doctor/health_json_schema_text.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { FIXED_NOW, makeJwt, testContext, withTempDir } from "./_helpers.ts";
import { threadCpuAsync } from "../_thread_cpu.ts";

Deno.test("schemas/health.schema.json is the one generated from HealthReportSchema", async () => {
  const committed = await Deno.readTextFile(
    new URL("../../schemas/health.schema.json", import.meta.url),
  );
  assert.equal(
    committed,
    healthJsonSchemaText(),
    'out of date: run "deno run -P=test scripts/gen_health_schema.ts"',
  );
});

Deno.test("the health JSON Schema requires every top-level field and forbids others", () => {
  const schema = JSON.parse(healthJsonSchemaText());
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.deepEqual(schema.required, Object.keys(HealthReportSchema.shape));
  assert.equal(schema.additionalProperties, false);
});

Deno.test("buildHealthReport() produces a report that matches the schema", () =>
  withTempDir(async (home) => {
    await bootstrapProfile(home, Deno.build.os);
    const policy = '{ "rules": [] }\n';
    await Deno.writeTextFile(`${home}/policy.jsonc`, policy);
    const token = makeJwt({ exp: FIXED_NOW.getTime() / 1000 + 60 });
    const context = testContext(home, {
      // Every command is found: none is reported as not startable.
      host: { isExecutable: () => Promise.resolve(true) },
      env: {
        THOTH_TENANT_ID: "acme",
        THOTH_USER_ID: "ana@acme.example.com",
        THOTH_APEX_DOMAIN: "example.com",
        THOTH_FLEET_ID: "fleet-eu",
        THOTH_JAMF_COMPUTER_ID: "1042",
        THOTH_RUNTIME_BEARER_TOKEN: token,
      },
      plugins: {
        discoverClients: () =>
          Promise.resolve([{
            client: "claude_desktop",
            configPath: "/c.json",
            servers: [
              { name: "gdrive", governed: true, command: "thoth", upstreamCommand: "npx" },
              { name: "slack", governed: false, command: "npx", upstreamCommand: null },
            ],
          }]),
      },
    });
    const report = await buildHealthReport(context, { probe: false });
    HealthReportSchema.parse(report);
    assert.deepEqual(report.endpoint, {
      id: "1042",
      source: "managed_device_id",
      origin: "THOTH_JAMF_COMPUTER_ID",
      problem: null,
    });
    assert.deepEqual(report.tenant, {
      id: "acme",
      apex_domain: "example.com",
      environment: "prod",
      fleet_id: "fleet-eu",
      control_plane_url: "https://acme.example.com",
    });
    assert.equal(report.user.id, "ana@acme.example.com");
    assert.equal(report.credentials.source, "THOTH_RUNTIME_BEARER_TOKEN");
    assert.equal(report.credentials.expired, false);
    assert.deepEqual(report.clients, [
      {
        client: "claude_desktop",
        config_path: "/c.json",
        scope: null,
        governed: ["gdrive"],
        ungoverned: ["slack"],
        disabled: [],
        remote: [],
        not_applicable: [],
        not_understood: [],
        not_startable: [],
        refused: [],
        warnings: [],
        problem: null,
        hint: null,
      },
    ]);
    assert.equal(report.policy.sha256, createHash("sha256").update(policy).digest("hex"));
    assert.deepEqual(report.enforcer, {
      url: "https://enforce.acme.example.com",
      reachability: "not_probed",
      detail: null,
      in_use: false,
      decisions: "local_policy",
    });
    assert.equal(report.fleet.last_checkin_at, null);
    assert.ok(!JSON.stringify(report).includes(token));
  }));

Deno.test("buildHealthReport() touches the network only with probe", () =>
  withTempDir(async (home) => {
    const calls: string[] = [];
    const context = testContext(home, {
      env: { THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "example.com" },
      host: {
        resolveHost: (host) => {
          calls.push(`resolve ${host}`);
          return Promise.resolve(["127.0.0.1"]);
        },
        probeUrl: (url) => {
          calls.push(`probe ${url}`);
          return Promise.resolve({ reachable: true, detail: "HTTP 200" });
        },
      },
    });
    await buildHealthReport(context, { probe: false });
    assert.deepEqual(calls, []);
    const probed = await buildHealthReport(context, { probe: true });
    assert.deepEqual(calls, [
      "resolve enforce.acme.example.com",
      "probe https://enforce.acme.example.com",
    ]);
    assert.equal(probed.enforcer.reachability, "reachable");
  }));

Deno.test("buildHealthReport() reports an unresolvable enforcer when probing", () =>
  withTempDir(async (home) => {
    const context = testContext(home, {
      env: { THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "example.com" },
    });
    const report = await buildHealthReport(context, { probe: true });
    assert.equal(report.enforcer.reachability, "unresolvable");
  }));

Deno.test("buildHealthReport() still reports on an invalid environment, with nulls", () =>
  withTempDir(async (home) => {
    const context = testContext(home, {
      env: { THOTH_TENANT_ID: "Bad Tenant", THOTH_API_KEY: "a b" },
    });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    assert.equal(report.environment.valid, false);
    assert.equal(report.environment.problems.length, 2);
    assert.equal(report.tenant.id, null);
    assert.equal(report.credentials.present, false);
    assert.equal(report.clients, null);
    assert.equal(report.enforcer.reachability, "not_configured");
    assert.equal(report.audit.status, "missing");
  }));

Deno.test("buildHealthReport() without --probe uses no network and little CPU with the real host", () =>
  withTempDir(async (home) => {
    await bootstrapProfile(home, Deno.build.os);
    const real = denoDoctorContext({
      env: { THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "example.com" },
      thothHome: home,
    });
    const network: string[] = [];
    const noNetwork = (target: string) => {
      network.push(target);
      return Promise.reject(new Error("network used without --probe"));
    };
    const context = {
      ...real,
      host: { ...real.host, resolveHost: noNetwork, probeUrl: noNetwork },
    };
    await buildHealthReport(context, { probe: false }); // warm up module-level caches
    // What makes a report slow is counted, not timed (a machine busy with other tests stretches
    // the time): no look-up or probe of the enforcer without --probe, each up to 3 s, and the
    // CPU this thread spends (milliseconds; file reads run on other threads).
    const { value: report, cpuMs } = await threadCpuAsync(() =>
      buildHealthReport(context, { probe: false })
    );
    assert.deepEqual(network, [], "no network without --probe");
    assert.ok(cpuMs < 3_000, `took ${cpuMs.toFixed(0)} ms of CPU`);
    assert.notEqual(report.endpoint.id, null);
  }));

Deno.test("HealthReportSchema rejects a report with a missing or malformed field", () => {
  const minimal = {
    schema_version: 2,
    generated_at: "2026-06-01T12:00:00.000Z",
    thoth: { version: "0.1.0", target: "t", commit: "source" },
    sandbox: {
      compiled: false,
      granted: ["read"],
      missing: [],
      broader: [],
      all_permissions: false,
      started: true,
      ok: true,
      problem: null,
      warning: null,
      hint: null,
    },
    endpoint: { id: null, source: null, origin: null, problem: null },
    tenant: { id: null, apex_domain: null, environment: "prod", fleet_id: null },
    user: { id: null },
    profile: { path: "/h/.thoth", ok: true, problem: null, hint: null },
    environment: { valid: true, problems: [], invalid_variables: [], warnings: [] },
    credentials: {
      present: false,
      kind: null,
      source: null,
      fingerprint: null,
      expires_at: null,
      expired: null,
      problem: null,
    },
    clients: null,
    client_places: null,
    policy: { path: "/p", present: false, sha256: null, valid: true, problem: null },
    intent_map: {
      path: "/m",
      present: false,
      servers: null,
      valid: true,
      problem: null,
      warning: null,
      hint: null,
    },
    audit: {
      status: "unknown",
      last_sequence: null,
      last_checkpoint_at: null,
      verified: null,
      message: null,
      hint: null,
      spool_waiting: null,
      size_bytes: null,
      segments: null,
      oldest_segment_day: null,
    },
    progressive: {
      path: "/h/.thoth/state/progressive.json",
      status: "absent",
      entries: null,
      distrust_until: null,
      moved_aside: null,
      problem: null,
      warning: null,
      hint: null,
    },
    fleet: {
      last_checkin_at: null,
      registration: "not_implemented",
      fleet_id: null,
      checkin_interval_sec: 60,
      registration_url: null,
    },
    enforcer: {
      url: null,
      reachability: "not_probed",
      detail: null,
      in_use: false,
      decisions: "local_policy",
    },
  };
  assert.equal(HealthReportSchema.safeParse(minimal).success, true);
  const { user: _user, ...missing } = minimal;
  assert.equal(HealthReportSchema.safeParse(missing).success, false);
  assert.equal(
    HealthReportSchema.safeParse({
      ...minimal,
      credentials: { ...minimal.credentials, fingerprint: "XYZ" },
    }).success,
    false,
  );
});

Deno.test("buildHealthReport() lists thoth entries not understood apart, and still as ungoverned", () =>
  withTempDir(async (home) => {
    const note = 'thoth entry not understood: no "--" before the upstream command';
    const context = testContext(home, {
      // Every command is found: none is reported as not startable.
      host: { isExecutable: () => Promise.resolve(true) },
      plugins: {
        discoverClients: () =>
          Promise.resolve([{
            client: "cursor",
            configPath: "/m.json",
            servers: [
              { name: "gdrive", governed: true, command: "thoth", upstreamCommand: "npx" },
              { name: "slack", governed: false, command: "npx", upstreamCommand: null },
              {
                name: "odd",
                governed: false,
                command: "thoth",
                upstreamCommand: null,
                notUnderstood: note,
              },
            ],
          }]),
      },
    });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    assert.deepEqual(report.clients, [{
      client: "cursor",
      config_path: "/m.json",
      scope: null,
      governed: ["gdrive"],
      ungoverned: ["slack", "odd"],
      disabled: [],
      remote: [],
      not_applicable: [],
      not_understood: [{ name: "odd", note }],
      not_startable: [],
      refused: [],
      warnings: [],
      problem: null,
      hint: null,
    }]);
    const schema = JSON.parse(healthJsonSchemaText());
    const client = schema.properties.clients.anyOf[0].items;
    assert.ok(client.required.includes("not_understood"));
  }));

Deno.test("buildHealthReport() says whether the policy can be used, and why the audit is not ok", () =>
  withTempDir(async (home) => {
    const context = (valid: boolean) =>
      testContext(home, {
        plugins: {
          validatePolicy: (_text, path) =>
            valid
              ? { ok: true, message: "valid" }
              : { ok: false, message: `${path}: line 1 column 2: unknown key` },
          auditHealth: () =>
            Promise.resolve({
              status: "degraded",
              lastSequence: null,
              lastCheckpointAt: null,
              verified: false,
              message: "the log ends at seq 34, the state file counts 41",
              hint: 'run "thoth audit verify" to see what was lost or changed',
            }),
        },
      });
    const absent = await buildHealthReport(context(false), { probe: false });
    assert.deepEqual(
      [absent.policy.present, absent.policy.valid, absent.policy.problem],
      [false, true, null],
      "no file: the built-in default applies",
    );
    await Deno.writeTextFile(`${home}/policy.jsonc`, '{"version": 2}');
    const broken = await buildHealthReport(context(false), { probe: false });
    assert.equal(broken.policy.valid, false);
    assert.match(broken.policy.problem ?? "", /policy\.jsonc: line 1 column 2: unknown key/);
    assert.equal(broken.audit.status, "degraded");
    assert.match(broken.audit.message ?? "", /state file counts 41/);
    assert.match(broken.audit.hint ?? "", /thoth audit verify/);
    const fine = await buildHealthReport(context(true), { probe: false });
    assert.deepEqual([fine.policy.valid, fine.policy.problem], [true, null]);
    // A byte that is not UTF-8 (in a comment too) is refused, as thoth run refuses it.
    await Deno.writeFile(
      `${home}/policy.jsonc`,
      new Uint8Array([...new TextEncoder().encode('{"version": 1} // caf'), 0xe9, 10]),
    );
    const latin = await buildHealthReport(context(true), { probe: false });
    assert.equal(latin.policy.valid, false);
    assert.match(latin.policy.problem ?? "", /line 1 column 22: the byte 0xE9 is not UTF-8/);
    assert.match(latin.policy.sha256 ?? "", /^[0-9a-f]{64}$/);
    assert.equal(HealthReportSchema.safeParse(broken).success, true);
  }));

Deno.test("buildHealthReport() holds a tenant without a user invalid, as thoth run does", () =>
  withTempDir(async (home) => {
    const env = { THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "example.com" };
    const report = HealthReportSchema.parse(
      await buildHealthReport(testContext(home, { env }), { probe: false }),
    );
    assert.equal(report.environment.valid, false);
    assert.deepEqual(report.environment.problems, [
      'THOTH_USER_ID is not set, and governed runs for tenant "acme" need it',
    ]);
    assert.equal(report.tenant.id, "acme", "the rest is still reported");
  }));

Deno.test("buildHealthReport() reports an expiry past the year 9999 as a credential problem", () =>
  withTempDir(async (home) => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ THOTH_AUTH_TOKEN_FILE: `${home}/s.json` }, /it looks like milliseconds/],
      [{ THOTH_RUNTIME_BEARER_TOKEN: makeJwt({ exp: 253402300800 }) }, /after the year 9999/],
      [{ THOTH_RUNTIME_BEARER_TOKEN: makeJwt({ exp: 1e300 }) }, /after the year 9999/],
    ];
    await Deno.writeTextFile(
      `${home}/s.json`,
      '{"access_token":"opaque","expires_at":1893456000000}',
    );
    for (const [env, why] of cases) {
      const report = HealthReportSchema.parse(
        await buildHealthReport(testContext(home, { env }), { probe: false }),
      );
      assert.equal(report.credentials.expires_at, null);
      assert.equal(report.credentials.present, false);
      assert.match(report.credentials.problem ?? "", why);
    }
  }));

Deno.test("buildHealthReport() reports an audit check that fails as degraded, with why and a hint", () =>
  withTempDir(async (home) => {
    const context = testContext(home, {
      plugins: {
        auditHealth: () =>
          Promise.reject(
            new Deno.errors.PermissionDenied(
              `Permission denied (os error 13): readdir '${home}/audit/checkpoints'`,
            ),
          ),
      },
    });
    const report = HealthReportSchema.parse(await buildHealthReport(context, { probe: false }));
    assert.equal(report.audit.status, "degraded");
    assert.match(
      report.audit.message ?? "",
      /could not be checked: Permission denied .*checkpoints/,
    );
    assert.match(report.audit.hint ?? "", /read access to THOTH_HOME\/audit/);
  }));

Deno.test("buildHealthReport() never shows a key or a URL password given in a path or domain variable", () =>
  withTempDir(async (home) => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.SIGSECRET";
    const env = {
      THOTH_API_KEY_FILE: "aten_thoth_agent_prod_SUPERSECRET",
      THOTH_AUTH_TOKEN_FILE: jwt,
      THOTH_APEX_DOMAIN: "https://admin:hunter2@example.com",
    };
    const report = await buildHealthReport(testContext(home, { env }), { probe: false });
    const text = JSON.stringify(report);
    assert.equal(report.environment.problems.length, 3);
    for (const secret of ["SUPERSECRET", "SIGSECRET", "hunter2"]) {
      assert.ok(!text.includes(secret), `${secret} in ${text}`);
    }
  }));

Deno.test("buildHealthReport() reports the profile as doctor's profile check sees it", () =>
  withTempDir(async (dir) => {
    const file = `${dir}/not-a-folder`;
    await Deno.writeTextFile(file, "");
    const broken = HealthReportSchema.parse(
      await buildHealthReport(testContext(file), { probe: false }),
    );
    assert.deepEqual(broken.profile, {
      path: file,
      ok: false,
      problem: `the profile "${file}" is not a folder: it is a file`,
      hint: "set THOTH_HOME to a folder (or to a path that does not exist yet: thoth creates " +
        `it), or move "${file}" aside`,
    });
    // What lives in the profile is not reported as read, nor the policy as present.
    assert.equal(broken.policy.present, false);
    assert.match(broken.policy.problem ?? "", /^not checked: the profile is not a folder/);
    assert.match(broken.credentials.problem ?? "", /^not checked: the profile is not a folder/);
    assert.match(broken.audit.message ?? "", /^not checked: the profile is not a folder/);
    const home = `${dir}/home`;
    await bootstrapProfile(home, Deno.build.os);
    const fine = await buildHealthReport(testContext(home), { probe: false });
    assert.deepEqual(fine.profile, { path: home, ok: true, problem: null, hint: null });
  }));
