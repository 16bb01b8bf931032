/**
 * The warning for the deprecated `THOTH_ENFORCER_URL` (and `--enforcer-url`)
 * does not suggest that a derived enforcer takes its place: this build
 * decides every call with the local policy, and the warning says so.
 */
import assert from "node:assert/strict";
import { checkEnvironment } from "../../src/doctor/check_environment.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";

const SAYS_LOCAL =
  /the enforcer URL is derived from THOTH_TENANT_ID and THOTH_APEX_DOMAIN, and is not used by this build: every call is decided by the local policy$/;

Deno.test("the THOTH_ENFORCER_URL warning says the derived enforcer is not used either", () => {
  const env = { THOTH_ENFORCER_URL: "https://enforcer.example.com" };
  const result = validateThothEnv(env, "linux");
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0] ?? "", /^THOTH_ENFORCER_URL is deprecated and ignored: /);
  assert.match(result.warnings[0] ?? "", SAYS_LOCAL);
  const check = checkEnvironment(env, "linux");
  assert.equal(check.status, "warn");
  assert.match(check.message, /every call is decided by the local policy/);
});
