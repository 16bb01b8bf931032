/**
 * Doctor check `audit`: the audit plugin's verdict on the evidence log.
 * Damage or tampering fails; no log yet, or a log this build cannot verify,
 * is a warning.
 *
 * @example
 * ```ts
 * checkAudit(await context.plugins.auditHealth(pluginContext)).status;
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import type { AuditHealth } from "./doctor_plugins.ts";

/** Turns the audit health into a check. */
export function checkAudit(health: AuditHealth): DoctorCheck {
  const status = health.status === "ok" ? "pass" : health.status === "degraded" ? "fail" : "warn";
  const hint = health.hint ??
    (health.status === "degraded" ? 'run "thoth audit verify" to see every finding' : null);
  return { id: "audit", status, message: health.message, hint };
}
