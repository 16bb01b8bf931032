import assert from "node:assert/strict";
import { deriveTenantUrls } from "../../src/identity/tenant_urls.ts";
import { isAppError } from "../../src/errors.ts";

const vectors = [
  {
    tenant: "acme",
    apex: "example.com",
    want: {
      controlPlane: "https://acme.example.com",
      govapiHost: "acme.example.com",
      enforcer: "https://enforce.acme.example.com",
      enforcerHost: "enforce.acme.example.com",
      fleet: "https://grid.acme.example.com",
      registration: "https://grid.acme.example.com/v1/endpoints/register",
    },
  },
  {
    tenant: "st-marys-2",
    apex: "thoth.health.example.org",
    want: {
      controlPlane: "https://st-marys-2.thoth.health.example.org",
      govapiHost: "st-marys-2.thoth.health.example.org",
      enforcer: "https://enforce.st-marys-2.thoth.health.example.org",
      enforcerHost: "enforce.st-marys-2.thoth.health.example.org",
      fleet: "https://grid.st-marys-2.thoth.health.example.org",
      registration: "https://grid.st-marys-2.thoth.health.example.org/v1/endpoints/register",
    },
  },
];

for (const { tenant, apex, want } of vectors) {
  Deno.test(`deriveTenantUrls() derives the routing contract for ${tenant}.${apex}`, () => {
    assert.deepEqual(deriveTenantUrls(tenant, apex), want);
  });
}

Deno.test("deriveTenantUrls() refuses a tenant that is not a DNS label", () => {
  for (const tenant of ["Acme", "acme.evil.com", "a/b", ""]) {
    assert.throws(
      () => deriveTenantUrls(tenant, "example.com"),
      (e) => isAppError(e, "identity.invalid_env"),
    );
  }
});

Deno.test("deriveTenantUrls() refuses an apex that is not a domain name", () => {
  for (const apex of ["example", "evil.com/x", "example.com:8443", "EXAMPLE_1.com"]) {
    assert.throws(
      () => deriveTenantUrls("acme", apex),
      (e) => isAppError(e, "identity.invalid_env"),
    );
  }
});
