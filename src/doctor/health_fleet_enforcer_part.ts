/**
 * The `fleet` and `enforcer` parts of `thoth health --json`: what the
 * environment asks of the tenant's services, and that this build uses
 * neither (no registration or check-in; every call decided by the local
 * policy). Only `enforcerPart` with `probe` makes a network call.
 *
 * @example
 * ```ts
 * fleetPart(env, new Set()).registration; // "not_implemented"
 * (await enforcerPart(context, env, false)).reachability; // "not_probed"
 * ```
 */
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import type { ThothEnv } from "../identity/validate_thoth_env.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { ENFORCER_IN_USE } from "./enforcer_in_use.ts";
import type { HealthReport } from "./health_report_schema.ts";

/**
 * Fleet registration as this build has it: none. What the environment asks
 * for (fleet id, interval, the derived registration URL) is reported, and
 * `registration` says plainly that none of it is acted on.
 */
export function fleetPart(
  env: ThothEnv | null,
  invalid: ReadonlySet<string>,
): HealthReport["fleet"] {
  return {
    last_checkin_at: null,
    registration: "not_implemented",
    fleet_id: env?.fleetId ?? null,
    // An invalid interval is null, not the default.
    checkin_interval_sec: invalid.has("THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC")
      ? null
      : env?.checkinIntervalSec ?? null,
    registration_url: env === null || env.tenantId === null || env.apexDomain === null
      ? null
      : deriveTenantUrls(env.tenantId, env.apexDomain).registration,
  };
}

/** Every call is decided by the local policy in this build: the tenant's enforcer is never used. */
const NOT_IN_USE = { in_use: ENFORCER_IN_USE, decisions: "local_policy" } as const;

/**
 * The tenant's enforcer: its derived URL, and with `probe` whether it
 * answers; never used for decisions by this build.
 */
export async function enforcerPart(
  context: DoctorContext,
  env: ThothEnv | null,
  probe: boolean,
  /** The variables the environment gives invalid values: none when it is valid. */
  invalid: ReadonlySet<string> = new Set(),
): Promise<HealthReport["enforcer"]> {
  const set = (value: string | null | undefined, variable: string) =>
    (value !== null && value !== undefined) || invalid.has(variable);
  if (
    invalid.size > 0 && set(env?.tenantId, "THOTH_TENANT_ID") &&
    set(env?.apexDomain, "THOTH_APEX_DOMAIN")
  ) {
    // As doctor's enforcer check: a tenant and its domain are set, so there is an enforcer,
    // but with the environment invalid thoth run starts nothing: nothing is looked up or probed.
    const url = env === null || env.tenantId === null || env.apexDomain === null
      ? null
      : deriveTenantUrls(env.tenantId, env.apexDomain).enforcer;
    return {
      url,
      reachability: "not_probed",
      detail: `not checked: the environment is invalid (${[...invalid].join(", ")})`,
      ...NOT_IN_USE,
    };
  }
  if (env === null || env.tenantId === null || env.apexDomain === null) {
    return { url: null, reachability: "not_configured", detail: null, ...NOT_IN_USE };
  }
  const urls = deriveTenantUrls(env.tenantId, env.apexDomain);
  if (!probe) {
    return { url: urls.enforcer, reachability: "not_probed", detail: null, ...NOT_IN_USE };
  }
  try {
    await context.host.resolveHost(urls.enforcerHost);
  } catch (error) {
    const detail = error instanceof Error
      ? error.message.split("\n")[0] ?? error.name
      : String(error);
    return { url: urls.enforcer, reachability: "unresolvable", detail, ...NOT_IN_USE };
  }
  const result = await context.host.probeUrl(urls.enforcer);
  return {
    url: urls.enforcer,
    // A server error or throttling (5xx, 429) is an answer, but not a healthy one: doctor warns.
    reachability: !result.reachable
      ? "unreachable"
      : result.trouble === "unhealthy"
      ? "unhealthy"
      : "reachable",
    detail: result.detail,
    ...NOT_IN_USE,
  };
}
