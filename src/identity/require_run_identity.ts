/**
 * The identity rule for a governed run: with a tenant, `THOTH_USER_ID` is
 * required, because every audit record must name the person. Without a
 * tenant (the local policy engine only) nothing is required. Pure; for
 * `thoth run` and `thoth doctor`.
 *
 * @example
 * ```ts
 * requireRunIdentity(env); // throws identity.missing_user when a tenant has no user
 * ```
 */
import { AppError } from "../errors.ts";
import type { ThothEnv } from "./validate_thoth_env.ts";
import { showEnvValue } from "./shown_env_value.ts";

/** Throws `identity.missing_user` when a tenant is set without a user. */
export function requireRunIdentity(env: ThothEnv): void {
  if (env.tenantId !== null && env.userId === null) {
    throw new AppError(
      "identity.missing_user",
      `THOTH_USER_ID is not set, and governed runs for tenant ${
        showEnvValue("THOTH_TENANT_ID", env.tenantId)
      } need it`,
      { hints: ['export THOTH_USER_ID="you@company.com", or add it to the server\'s "env" block'] },
    );
  }
}
