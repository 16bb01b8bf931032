/**
 * The notices `thoth run` prints for the fleet settings this build does not
 * act on. A tenant (`THOTH_TENANT_ID` or `--tenant-id`) asks for the remote
 * enforcer and for registration with the fleet: this build decides every
 * call with the local policy and neither registers nor checks in.
 * `THOTH_FLEET_ID` and `THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC` without a tenant
 * are checked against their rules, and have no effect: one line says so.
 * Pure: the caller passes the variables and prints the lines.
 *
 * @example
 * ```ts
 * fleetNotices("acme", {});
 * // ['notice: tenant "acme" is set, but this build decides every call with the local …']
 * fleetNotices(null, { THOTH_FLEET_ID: "lab" });
 * // ["notice: THOTH_FLEET_ID is set, but has no effect in this build: …"]
 * ```
 */

/** The fleet variables that mean something only with a tenant, in the order they are named. */
const FLEET_VARIABLES = ["THOTH_FLEET_ID", "THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC"] as const;

/**
 * The notices (without the `thoth: ` prefix) for `tenantId` (the tenant in
 * effect, null for none) and the fleet variables set (not empty) in `env`;
 * at most one line each for the tenant and for the variables.
 */
export function fleetNotices(
  tenantId: string | null,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (tenantId !== null) {
    return [
      `notice: tenant "${tenantId}" is set, but this build decides every call with the ` +
      "local policy; the tenant's remote enforcer is not used yet, and it does not register " +
      "with the fleet or check in",
    ];
  }
  const set = FLEET_VARIABLES.filter((name) => (env[name] ?? "") !== "");
  if (set.length === 0) return [];
  const names = set.join(" and ");
  return [
    `notice: ${names} ${set.length > 1 ? "are" : "is"} set, but ${
      set.length > 1 ? "have" : "has"
    } no effect in this build: without THOTH_TENANT_ID there is no fleet, and this build does ` +
    "not register with the fleet or check in",
  ];
}
