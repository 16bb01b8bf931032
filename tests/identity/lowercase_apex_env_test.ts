/**
 * `THOTH_APEX_DOMAIN` and `THOTH_ENV` in capitals are taken in lowercase (a
 * DNS name is case-insensitive; `PROD` is `prod`) rather than refused, which
 * took every governed server down; the lowercased value is the one used:
 * the settings, the derived URLs, the session record. Other invalid forms
 * are still refused.
 */
import assert from "node:assert/strict";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { readThothEnv, setThothVariables } from "../../src/identity/quick_thoth_env.ts";
import { deriveTenantUrls } from "../../src/identity/tenant_urls.ts";
import { sessionIdentity } from "../../src/cli/prepare_session.ts";

const ENV = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@example.com",
  THOTH_APEX_DOMAIN: "Example.COM",
  THOTH_ENV: "PROD",
};

Deno.test("capitals in THOTH_APEX_DOMAIN and THOTH_ENV are taken in lowercase everywhere", async () => {
  const full = validateThothEnv(ENV, "linux");
  assert.ok(full.ok, JSON.stringify(full));
  assert.equal(full.env.apexDomain, "example.com");
  assert.equal(full.env.environment, "prod");
  const quick = await readThothEnv(ENV, "linux");
  assert.equal(quick.env.apexDomain, "example.com");
  assert.equal(quick.env.environment, "prod");
  assert.deepEqual(setThothVariables(ENV).THOTH_ENV, "prod");
  const urls = deriveTenantUrls("acme", "Example.COM");
  assert.equal(urls.enforcer, "https://enforce.acme.example.com");
  assert.equal(urls.govapiHost, "acme.example.com");
  const record = sessionIdentity(ENV, undefined, null, {});
  assert.equal(record.environment, "prod");
});

Deno.test("other invalid apex domains and environments are still refused, shown as given", () => {
  for (
    const [variable, value] of [
      ["THOTH_APEX_DOMAIN", "Exa_mple.COM"],
      ["THOTH_APEX_DOMAIN", "HTTPS://EXAMPLE.COM"],
      ["THOTH_ENV", "PRO D"],
      ["THOTH_ENV", "2PROD"],
    ]
  ) {
    const result = validateThothEnv({ [variable!]: value }, "linux");
    assert.equal(result.ok, false, value);
    if (result.ok) continue;
    assert.ok(result.problems[0]!.message.startsWith(`${variable} ${JSON.stringify(value)}`));
  }
});
