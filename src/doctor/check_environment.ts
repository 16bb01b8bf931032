/**
 * Doctor check `environment`: every thoth variable obeys its rule, a tenant
 * comes with a user, and deprecated variables are called out.
 *
 * @example
 * ```ts
 * checkEnvironment({ THOTH_TENANT_ID: "Acme" }).status; // "fail"
 * ```
 */
import { AppError } from "../errors.ts";
import { requireRunIdentity } from "../identity/require_run_identity.ts";
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
import type { DoctorCheck } from "./doctor_check.ts";

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
      message: result.problems.map((p) => p.message).join("; "),
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
      message: error.message,
      hint: error.hints[0] ?? null,
    };
  }
  if (result.warnings.length > 0) {
    return {
      id: "environment",
      status: "warn",
      message: result.warnings.join("; "),
      hint: "unset THOTH_ENFORCER_URL (and drop --enforcer-url from client configs)",
    };
  }
  const { tenantId, userId, environment } = result.env;
  const message = tenantId === null
    ? `valid; no tenant set (local policy only), environment "${environment}"`
    : `valid; tenant "${tenantId}", user "${userId}", environment "${environment}"`;
  return { id: "environment", status: "pass", message, hint: null };
}
