/**
 * Doctor check `environment`: every thoth variable obeys its rule, a tenant
 * comes with a user, and deprecated variables are called out, and so are
 * THOTH_* variables thoth does not read (a warning, by name only). A tenant or
 * `THOTH_FLEET_ID` is a warning too: this build does not register with the
 * fleet or check in, whatever they say.
 *
 * @example
 * ```ts
 * checkEnvironment({ THOTH_TENANT_ID: "Acme" }).status; // "fail"
 * ```
 */
import { AppError } from "../errors.ts";
import { requireRunIdentity } from "../identity/require_run_identity.ts";
import { ENFORCER_URL_DEPRECATION, validateThothEnv } from "../identity/validate_thoth_env.ts";
import { unknownThothVariables } from "../identity/quick_thoth_env.ts";
import type { DoctorCheck } from "./doctor_check.ts";

/**
 * What an environment that breaks a rule (a variable, or the identity they
 * make up) costs: `thoth run` starts no server with it. Said by this check
 * and by `thoth health`'s environment row.
 */
export const RUN_REFUSES = "thoth run refuses every server until this is fixed";

/** Validates the environment snapshot; `os` decides what an absolute path is. */
export function checkEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  os: string = Deno.build.os,
): DoctorCheck {
  const result = validateThothEnv(env, os);
  if (!result.ok) {
    const variables = result.problems.map((p) => p.variable).join(", ");
    return {
      id: "environment",
      status: "fail",
      message: `${result.problems.map((p) => p.message).join("; ")}; ${RUN_REFUSES}`,
      hint: `fix or unset ${variables} in your shell or in the MCP client's "env" block`,
    };
  }
  try {
    requireRunIdentity(result.env);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      id: "environment",
      status: "fail",
      message: `${error.message}; ${RUN_REFUSES}`,
      hint: error.hints[0] ?? null,
    };
  }
  const { tenantId, userId, environment, fleetId } = result.env;
  const fleet = fleetNotice(tenantId, fleetId);
  if (result.warnings.length > 0) {
    return {
      id: "environment",
      status: "warn",
      message: [...result.warnings, ...(fleet === null ? [] : [fleet.message])].join("; "),
      hint: [
        ...(result.warnings.includes(ENFORCER_URL_DEPRECATION)
          ? ["unset THOTH_ENFORCER_URL (and drop --enforcer-url from client configs)"]
          : []),
        ...(unknownThothVariables(env).length > 0
          ? [
            "remove the unknown THOTH_* variables named (or use what each note says instead) " +
            'from your shell or the MCP client\'s "env" block',
          ]
          : []),
        ...(fleet === null ? [] : [fleet.hint]),
      ].join("; "),
    };
  }
  const message = tenantId === null
    ? `valid; no tenant set (local policy only), environment "${environment}"`
    : `valid; tenant "${tenantId}", user "${userId}", environment "${environment}"`;
  if (fleet !== null) {
    return {
      id: "environment",
      status: "warn",
      message: `${message}; ${fleet.message}`,
      hint: fleet.hint,
    };
  }
  return { id: "environment", status: "pass", message, hint: null };
}

/** What a tenant or a fleet id asks for, and this build does not do. */
const NO_FLEET_REGISTRATION = "this build does not register with the fleet or check in";

/**
 * The notice for a tenant or `THOTH_FLEET_ID`: either reads as a request to
 * register the endpoint with the fleet, which this build never does; null
 * when neither is set.
 */
function fleetNotice(
  tenantId: string | null,
  fleetId: string | null,
): { message: string; hint: string } | null {
  if (tenantId === null && fleetId === null) return null;
  const set = [
    ...(tenantId === null ? [] : [`tenant "${tenantId}"`]),
    ...(fleetId === null ? [] : [`THOTH_FLEET_ID "${fleetId}"`]),
  ].join(" and ");
  return {
    message: `${NO_FLEET_REGISTRATION}, though ${set} ${
      tenantId !== null && fleetId !== null ? "are" : "is"
    } set`,
    hint: "nothing to fix on this machine: the fleet does not learn of this endpoint from " +
      "thoth (THOTH_FLEET_ID and THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC have no effect in this " +
      'build); "thoth health --json" reports it as fleet.registration "not_implemented"',
  };
}
