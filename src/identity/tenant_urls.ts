/**
 * The tenant's service URLs, derived from the tenant id and the apex domain
 * as the endpoint routing contract says; users never set them one by one.
 *
 * thoth has no built-in apex domain: with `THOTH_APEX_DOMAIN` unset there is
 * nothing to derive, and callers report it missing. Guessing a vendor domain
 * would send bearer tokens to a host the admin never chose.
 *
 * @example
 * ```ts
 * const urls = deriveTenantUrls("acme", "example.com");
 * urls.enforcer; // "https://enforce.acme.example.com"
 * urls.registration; // "https://grid.acme.example.com/v1/endpoints/register"
 * ```
 */
import { AppError } from "../errors.ts";
import { DNS_LABEL, DNS_LABEL_RULE, DNS_NAME_RULE, isDnsName } from "./_env_rules.ts";
import { flaggedAsKey } from "./id_flagged_as_key.ts";
import { hidden, KEY_IN_IDENTIFIER_RULE, showEnvValue } from "./shown_env_value.ts";

/** Where a tenant's services live. */
export interface TenantUrls {
  /** Control-plane API: `https://<tenant>.<apex>` */
  readonly controlPlane: string;
  /** The control-plane host, `<tenant>.<apex>` (the "govapi host" in session file names). */
  readonly govapiHost: string;
  /** Policy checks: `https://enforce.<tenant>.<apex>` */
  readonly enforcer: string;
  /** The enforcer host, `enforce.<tenant>.<apex>` */
  readonly enforcerHost: string;
  /** Registration and check-ins: `https://grid.<tenant>.<apex>` */
  readonly fleet: string;
  /** `https://grid.<tenant>.<apex>/v1/endpoints/register` */
  readonly registration: string;
}

/**
 * Derives the tenant's URLs (from the apex domain in lowercase); throws
 * `identity.invalid_env` on a bad tenant or apex. A tenant id that is a key
 * pasted in its place (see `id_flagged_as_key.ts`) derives nothing: no host
 * named after a key is looked up in DNS or shown.
 */
export function deriveTenantUrls(tenantId: string, givenApex: string): TenantUrls {
  // A DNS name is case-insensitive: `Example.com` is `example.com`, as the environment takes it.
  const apexDomain = givenApex.toLowerCase();
  if (flaggedAsKey(tenantId)) {
    throw new AppError(
      "identity.invalid_env",
      `THOTH_TENANT_ID ${hidden(tenantId)} is not valid: it must be ${KEY_IN_IDENTIFIER_RULE}`,
    );
  }
  if (!DNS_LABEL.test(tenantId)) {
    throw new AppError(
      "identity.invalid_env",
      `THOTH_TENANT_ID ${
        showEnvValue("THOTH_TENANT_ID", tenantId)
      } is not valid: it must be ${DNS_LABEL_RULE}`,
    );
  }
  if (!isDnsName(apexDomain)) {
    throw new AppError(
      "identity.invalid_env",
      `THOTH_APEX_DOMAIN ${
        showEnvValue("THOTH_APEX_DOMAIN", givenApex)
      } is not valid: it must be ${DNS_NAME_RULE}`,
    );
  }
  const govapiHost = `${tenantId}.${apexDomain}`;
  const enforcerHost = `enforce.${govapiHost}`;
  const fleet = `https://grid.${govapiHost}`;
  return {
    controlPlane: `https://${govapiHost}`,
    govapiHost,
    enforcer: `https://${enforcerHost}`,
    enforcerHost,
    fleet,
    registration: `${fleet}/v1/endpoints/register`,
  };
}
