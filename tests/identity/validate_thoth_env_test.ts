import assert from "node:assert/strict";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { parseThothEnv } from "../../src/identity/thoth_env.ts";
import { isAppError } from "../../src/errors.ts";
import { ENV_CASES as cases } from "./_env_cases.ts";

for (const { variable, valid, invalid } of cases) {
  Deno.test(`validateThothEnv() accepts valid ${variable} values`, () => {
    for (const value of valid) {
      const result = validateThothEnv({ [variable]: value }, "linux");
      assert.equal(result.ok, true, `${variable}=${JSON.stringify(value)} should be valid`);
    }
  });
  Deno.test(`validateThothEnv() rejects invalid ${variable} values naming the variable and rule`, () => {
    for (const value of invalid) {
      const result = validateThothEnv({ [variable]: value }, "linux");
      assert.equal(result.ok, false, `${variable}=${JSON.stringify(value)} should be invalid`);
      if (result.ok) continue;
      const [problem] = result.problems;
      assert.equal(problem?.variable, variable);
      assert.match(problem?.message ?? "", new RegExp(`^${variable} .* is not valid: it must be `));
    }
  });
}

Deno.test("validateThothEnv() never shows a secret value in a problem", () => {
  const secret = "super secret value";
  for (const variable of ["THOTH_RUNTIME_BEARER_TOKEN", "THOTH_AUTH_TOKEN", "THOTH_API_KEY"]) {
    const result = validateThothEnv({ [variable]: secret });
    assert.equal(result.ok, false);
    if (result.ok) continue;
    const text = JSON.stringify(result.problems);
    assert.ok(!text.includes("super"), text);
    assert.match(
      result.problems[0]?.shownValue ?? "",
      /^\(value hidden, fingerprint [0-9a-f]{8}\)$/,
    );
  }
});

Deno.test("validateThothEnv() shows a non-secret value quoted", () => {
  const result = validateThothEnv({ THOTH_TENANT_ID: "Acme Corp" });
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.problems[0]?.shownValue, '"Acme Corp"');
});

Deno.test("validateThothEnv() applies the defaults and treats empty as unset", () => {
  const result = validateThothEnv({ THOTH_ENV: "", THOTH_TENANT_ID: "" });
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.equal(result.env.environment, "prod");
  assert.equal(result.env.checkinIntervalSec, 60);
  assert.equal(result.env.tenantId, null);
  assert.equal(result.env.apiKeyFile, null);
});

Deno.test("validateThothEnv() parses the check-in interval as a number", () => {
  const result = validateThothEnv({ THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: "300" });
  assert.equal(result.ok && result.env.checkinIntervalSec, 300);
});

Deno.test("validateThothEnv() wraps secrets so they print as fingerprints", () => {
  const result = validateThothEnv({ THOTH_API_KEY: "k-123" });
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.equal(result.env.apiKey?.reveal(), "k-123");
  assert.ok(!JSON.stringify(result.env).includes("k-123"));
  assert.ok(!Deno.inspect(result.env).includes("k-123"));
});

Deno.test("validateThothEnv() accepts THOTH_ENFORCER_URL, ignores it and warns once", () => {
  const result = validateThothEnv({ THOTH_ENFORCER_URL: "https://enforcer.example.com" });
  assert.equal(result.ok, true);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0] ?? "", /THOTH_ENFORCER_URL is deprecated and ignored/);
  assert.equal(validateThothEnv({}).warnings.length, 0);
});

Deno.test("validateThothEnv() reports every bad variable", () => {
  const result = validateThothEnv({ THOTH_TENANT_ID: "A", THOTH_ENV: "2P" });
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.deepEqual(result.problems.map((p) => p.variable), ["THOTH_TENANT_ID", "THOTH_ENV"]);
  }
});

Deno.test("parseThothEnv() throws identity.invalid_env naming the variable, value and rule", () => {
  assert.throws(
    () => parseThothEnv({ THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: "0" }),
    (error) => {
      assert.ok(isAppError(error, "identity.invalid_env"));
      assert.equal(
        error.message,
        'THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC "0" is not valid: it must be a positive whole number of seconds, at most 86400',
      );
      assert.ok(error.hints.length > 0);
      return true;
    },
  );
});

Deno.test("parseThothEnv() returns the settings and the warnings", () => {
  const { env, warnings } = parseThothEnv({ THOTH_TENANT_ID: "acme", THOTH_ENFORCER_URL: "x" });
  assert.equal(env.tenantId, "acme");
  assert.equal(warnings.length, 1);
});

Deno.test("validateThothEnv() judges path variables as absolute for the OS it is given", () => {
  for (const variable of ["THOTH_HOME", "THOTH_API_KEY_FILE", "THOTH_AUTH_TOKEN_FILE"]) {
    for (const value of ["C:\\Users\\ana\\.thoth", "C:/Users/ana/.thoth", "\\\\srv\\share\\t"]) {
      assert.equal(validateThothEnv({ [variable]: value }, "windows").ok, true, value);
      const linux = validateThothEnv({ [variable]: value }, "linux");
      assert.equal(linux.ok, false, `${value} is not absolute on Linux`);
      if (!linux.ok) assert.match(linux.problems[0]?.rule ?? "", /starting with \//);
    }
    for (const value of ["/home/ana/.thoth", "~\\.thoth", ".thoth"]) {
      const windows = validateThothEnv({ [variable]: value }, "windows");
      assert.equal(windows.ok, false, `${value} is not a full path on Windows`);
      if (!windows.ok) assert.match(windows.problems[0]?.rule ?? "", /C:\\Users\\you\\\.thoth/);
    }
    assert.equal(validateThothEnv({ [variable]: "/home/ana/.thoth" }, "darwin").ok, true);
  }
});

Deno.test("validateThothEnv() hides a key or token put in a path or domain variable", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.SIGNATURESECRET";
  const cases: [string, string][] = [
    ["THOTH_API_KEY_FILE", "aten_thoth_agent_prod_SUPERSECRET"],
    ["THOTH_AUTH_TOKEN_FILE", jwt],
    ["THOTH_HOME", "sk-proj-SUPERSECRETSUPERSECRET"],
    ["THOTH_APEX_DOMAIN", "ghp_SUPERSECRET0123456789abcdefghijklmn"],
    ["THOTH_TENANT_ID", "AKIASUPERSECRET12345"],
  ];
  for (const [variable, value] of cases) {
    const result = validateThothEnv({ [variable]: value }, "linux");
    assert.equal(result.ok, false, variable);
    if (result.ok) continue;
    const text = JSON.stringify(result.problems);
    assert.ok(!text.includes("SUPERSECRET") && !text.includes("SIGNATURE"), text);
    assert.match(
      result.problems[0]?.message ?? "",
      new RegExp(
        `^${variable} \\(value hidden: it looks like a key or token, fingerprint [0-9a-f]{8}\\) is not valid: it must be `,
      ),
    );
  }
});

Deno.test("validateThothEnv() removes a user and password from a URL before showing it", () => {
  for (
    const [value, shown] of [
      ["https://admin:hunter2@example.com", '"https://example.com" (user and password removed)'],
      ["admin:hunter2@example.com", '"example.com" (user and password removed)'],
    ]
  ) {
    const result = validateThothEnv({ THOTH_APEX_DOMAIN: value }, "linux");
    assert.equal(result.ok, false);
    if (result.ok) continue;
    assert.equal(result.problems[0]?.shownValue, shown);
    assert.ok(!JSON.stringify(result.problems).includes("hunter2"));
  }
  // Names and paths that are not secrets are still shown, so a person can see the typo.
  const relative = validateThothEnv({ THOTH_HOME: "~/.thoth" }, "linux");
  assert.ok(!relative.ok && relative.problems[0]?.shownValue === '"~/.thoth"');
  const tenant = validateThothEnv({ THOTH_TENANT_ID: "Acme-Health-Clinic-West" }, "linux");
  assert.ok(!tenant.ok && tenant.problems[0]?.shownValue === '"Acme-Health-Clinic-West"');
});
