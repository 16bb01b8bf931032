/**
 * Doctor check `audit`: the audit plugin's verdict on the evidence log.
 * Damage or tampering fails; no log yet, or a log this build cannot verify,
 * is a warning. Spool files that sessions which ended left behind (records
 * that gate a call, not yet in the chained log) are a warning too: the next
 * session to start takes them in.
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
  const logStatus = health.status === "ok"
    ? "pass"
    : health.status === "degraded"
    ? "fail"
    : "warn";
  const spool = spoolNotice(health);
  const status = logStatus === "pass" && spool !== null ? "warn" : logStatus;
  // The log's own hint comes first; the spool's, when the log has none to give.
  const hint = health.status === "degraded"
    ? health.hint ?? 'run "thoth audit verify" to see every finding'
    : (health.status === "ok" ? undefined : health.hint) ?? spool?.hint ?? health.hint ?? null;
  return {
    id: "audit",
    status,
    message: spool === null ? health.message : `${health.message}; ${spool.message}`,
    hint,
  };
}

/**
 * What the audit check says of the spool, or null when nothing: spool files
 * older than the orphan age (left by sessions that ended) wait to be taken
 * in, or the spool folder was not looked at. Younger files belong to
 * running sessions: nothing is said of them.
 *
 * @example
 * ```ts
 * spoolNotice({ ...health, spool: { files: 1, due: 1, oldestMs: 90_000, orphanAfterMs: 60_000 } })
 *   ?.message; // "1 spool file(s) holding decisions of sessions that ended … (oldest 90s); …"
 * ```
 */
export function spoolNotice(health: AuditHealth): { message: string; hint: string } | null {
  const problem = health.spoolProblem;
  if (problem !== undefined && problem !== null) {
    return {
      message: `${problem}: spool files waiting to be taken into the log were not counted`,
      hint: "thoth makes the spool folder itself: find out what put a link in its place",
    };
  }
  const spool = health.spool;
  if (spool === undefined || spool === null || spool.due === 0) return null;
  return {
    message: `${spool.due} spool file(s) holding decisions of sessions that ended without ` +
      `writing them wait to be taken in (oldest ${Math.floor(spool.oldestMs / 1000)}s); ` +
      "the next thoth session to start, or a running one within a minute, takes them in",
    hint: "start any governed server (or wait for a running one), then run " +
      '"thoth audit verify": the records are then in the chained log',
  };
}
