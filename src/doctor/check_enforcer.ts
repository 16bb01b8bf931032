/**
 * Doctor check `enforcer`: with a tenant set, the enforcer URL can be derived
 * (`THOTH_APEX_DOMAIN` is set), its host resolves and it answers. The network
 * is reached through the injected resolver and probe.
 *
 * @example
 * ```ts
 * (await checkEnforcer(context)).message;
 * // '"enforce.acme.example.com" resolves (203.0.113.7) and answers: HTTP 404; this build still decides …'
 * ```
 */
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

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
      status: "fail",
      message:
        `cannot derive the enforcer URL for tenant "${tenantId}": THOTH_APEX_DOMAIN is not set`,
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
      status: "fail",
      message: `cannot resolve "${urls.enforcerHost}": ${describe(error)}`,
      hint: "check THOTH_TENANT_ID and THOTH_APEX_DOMAIN, and this machine's DNS",
    };
  }
  const probe = await context.host.probeUrl(urls.enforcer);
  const shown = addresses.slice(0, 2).join(", ");
  if (!probe.reachable) {
    return {
      id: "enforcer",
      status: "fail",
      message: `"${urls.enforcerHost}" resolves (${shown}) but does not answer: ${probe.detail}`,
      hint: `check the network, proxy and firewall between this machine and ${urls.enforcer}`,
    };
  }
  return {
    id: "enforcer",
    status: "pass",
    message: `"${urls.enforcerHost}" resolves (${shown}) and answers: ${probe.detail}; ` +
      "this build still decides every call with the local policy",
    hint: null,
  };
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    return "this thoth is not permitted to use the network";
  }
  return error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
}
