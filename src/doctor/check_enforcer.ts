/**
 * Doctor check `enforcer`: with a tenant set, the enforcer URL can be derived
 * (`THOTH_APEX_DOMAIN` is set), its host resolves and it answers as a healthy
 * server does. The probe sends no credentials, so a 401, 403 or 404 (an API
 * that wants credentials, or has nothing at its root) passes, as does any
 * 2xx and a redirect that stays on the enforcer's origin; a server error or
 * throttling (5xx, 429) is a warning naming the status; a redirect off the
 * origin means the enforcer is not reached (what answers is something else,
 * named). The network is reached through the injected resolver and probe
 * (`probe_url.ts` rates the answer). With a tenant, every outcome also says
 * that this build does not use the enforcer: every call is decided by the
 * local policy. While that is so ({@linkcode ENFORCER_IN_USE} is false), an
 * enforcer that cannot be derived, resolved or reached (a redirect off its
 * origin included) is a `warn`, never a `fail`: it changes no call thoth
 * decides, so it does not fail `thoth doctor` either.
 *
 * @example
 * ```ts
 * (await checkEnforcer(context)).message;
 * // '"enforce.acme.example.com" resolves (203.0.113.7) and answers: HTTP 404; this build still decides …'
 * ```
 */
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
import type { CheckStatus, DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { ENFORCER_IN_USE } from "./enforcer_in_use.ts";
import { HostLookupError } from "./resolve_host.ts";

/** Said of the tenant's enforcer whatever the probe found: this build never asks it. */
const NOT_USED =
  "this build still decides every call with the local policy: the tenant's enforcer is not used";

/**
 * How an enforcer that cannot be derived, resolved or reached is rated: a
 * failure only once calls depend on it; in this build, a warning.
 */
const UNAVAILABLE: CheckStatus = ENFORCER_IN_USE ? "fail" : "warn";

/** Resolves and probes the tenant's enforcer. */
export async function checkEnforcer(context: DoctorContext): Promise<DoctorCheck> {
  const validated = validateThothEnv(context.env, context.os);
  if (!validated.ok) {
    return {
      id: "enforcer",
      status: "warn",
      message: "not checked: the environment is invalid",
      hint: 'fix the "environment" check first',
    };
  }
  const { tenantId, apexDomain } = validated.env;
  if (tenantId === null) {
    return {
      id: "enforcer",
      status: "pass",
      message: "no tenant set: decisions are made by the local policy engine",
      hint: null,
    };
  }
  if (apexDomain === null) {
    return {
      id: "enforcer",
      status: UNAVAILABLE,
      message:
        `cannot derive the enforcer URL for tenant "${tenantId}": THOTH_APEX_DOMAIN is not set; ` +
        NOT_USED,
      hint: 'export THOTH_APEX_DOMAIN="<your tenant domain>" (thoth has no built-in default)',
    };
  }
  const urls = deriveTenantUrls(tenantId, apexDomain);
  let addresses: readonly string[];
  try {
    addresses = await context.host.resolveHost(urls.enforcerHost);
  } catch (error) {
    return {
      id: "enforcer",
      status: UNAVAILABLE,
      message: `cannot resolve "${urls.enforcerHost}": ${describe(error)}; ${NOT_USED}`,
      hint: "check THOTH_TENANT_ID and THOTH_APEX_DOMAIN, and this machine's DNS",
    };
  }
  const probe = await context.host.probeUrl(urls.enforcer);
  const shown = addresses.slice(0, 2).join(", ");
  if (probe.trouble === "elsewhere") {
    // What answered sends the probe away: it is not the enforcer, so the enforcer is not reached.
    return {
      id: "enforcer",
      status: UNAVAILABLE,
      message: `"${urls.enforcerHost}" resolves (${shown}) but what answers there is not the ` +
        `enforcer: ${probe.detail}; ${NOT_USED}`,
      hint: "a captive portal, a parked domain or a proxy may answer for the enforcer: check " +
        `THOTH_TENANT_ID and THOTH_APEX_DOMAIN, and the network between this machine and ${urls.enforcer}`,
    };
  }
  if (!probe.reachable) {
    return {
      id: "enforcer",
      status: UNAVAILABLE,
      message: `"${urls.enforcerHost}" resolves (${shown}) but does not answer: ${probe.detail}; ` +
        NOT_USED,
      hint: `check the network, proxy and firewall between this machine and ${urls.enforcer}`,
    };
  }
  if (probe.trouble === "unhealthy") {
    return {
      id: "enforcer",
      status: "warn",
      message: `"${urls.enforcerHost}" resolves (${shown}) and answers, but not as a healthy ` +
        `server does: ${probe.detail}; ${NOT_USED}`,
      hint: `try again later; if it lasts, tell whoever runs your tenant's enforcer ` +
        `(${urls.enforcer}) what doctor found`,
    };
  }
  return {
    id: "enforcer",
    status: "pass",
    message: `"${urls.enforcerHost}" resolves (${shown}) and answers: ${probe.detail}; ` +
      NOT_USED,
    hint: null,
  };
}

function describe(error: unknown): string {
  // "the DNS lookup timed out after 3 s": the resolver's own words stay in its cause.
  if (error instanceof HostLookupError) return error.reason;
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    return "this thoth is not permitted to use the network";
  }
  return error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
}
