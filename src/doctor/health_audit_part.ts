/**
 * The `audit` part of `thoth health --json`: the audit plug-in's health in
 * doctor's words (see {@linkcode auditPart}), and the health of a log the
 * plug-in could not check (see {@linkcode auditCheckFailed}).
 *
 * @example
 * ```ts
 * const audit = auditPart(await plugins.auditHealth(pluginContext).catch(auditCheckFailed));
 * audit.status; // "ok"
 * ```
 */
import type { AuditHealth } from "./doctor_plugins.ts";
import type { HealthReport } from "./health_report_schema.ts";
import {
  AUDIT_LOG_WARN_BYTES,
  type AuditHealthWithAccess,
  checkAudit,
  refusedNotice,
  sizeNotice,
  spoolNotice,
} from "./check_audit.ts";
import { lostTallyNotice } from "./lost_tally_notice.ts";
import { checkHints } from "./check_hints.ts";
import { displayText } from "../approval/display_text.ts";

/**
 * The audit log as the plug-in reports it, in doctor's words (spool files
 * that wait, see `spoolNotice`; the log's size, see `sizeNotice`); `status`
 * is the log's alone. The size is a stat of each segment: null when the
 * plug-in could not tell it.
 */
export function auditPart(audit: AuditHealth): HealthReport["audit"] {
  const check = checkAudit(audit);
  const quiet = ((audit as AuditHealthWithAccess).lockHeld ?? null) === null &&
    spoolNotice(audit) === null && refusedNotice(audit) === null &&
    lostTallyNotice((audit as AuditHealthWithAccess).lostTallies) === null &&
    (sizeNotice(audit, AUDIT_LOG_WARN_BYTES)?.hint ?? null) === null;
  const waiting = audit.spool;
  const refused = (audit as AuditHealthWithAccess).spoolRefused;
  const tallies = (audit as AuditHealthWithAccess).lostTallies;
  const size = audit.logSize ?? null;
  return {
    status: audit.status,
    last_sequence: audit.lastSequence,
    last_checkpoint_at: audit.lastCheckpointAt,
    verified: audit.verified,
    message: check.message,
    // Every hint the check gives (a lock held and spool files waiting, say), none hidden.
    hint: quiet ? audit.hint ?? null : checkHints(check).join("; ") || null,
    spool_waiting: waiting === undefined || waiting === null ? null : {
      files: waiting.files,
      due: waiting.due,
      oldest_age_sec: Math.floor(waiting.oldestMs / 1000),
    },
    spool_refused: refused === undefined || refused === null ? null : {
      files: refused.files,
      oldest: refused.oldest,
      oldest_age_sec: Math.floor(refused.oldestMs / 1000),
    },
    lost_tallies: tallies === undefined || tallies === null ? null : {
      folder_problem: tallies.folderProblem?.problem ?? null,
      folder_fix: tallies.folderProblem?.fix ?? null,
      refused: tallies.refused === null ? null : {
        files: tallies.refused.files,
        oldest: tallies.refused.oldest,
        oldest_age_sec: Math.floor(tallies.refused.oldestMs / 1000),
      },
      unchecked: tallies.unchecked,
      waiting: tallies.waiting,
      unvouched: tallies.unvouched,
      refused_folder_problem: tallies.refusedFolderProblem?.problem ?? null,
      refused_folder_fix: tallies.refusedFolderProblem?.fix ?? null,
      unreadable: tallies.unreadable ?? 0,
      waiting_records: tallies.waitingRecords ?? 0,
      // File content: made safe to show, as doctor shows them.
      waiting_reasons: (tallies.waitingReasons ?? []).map((reason) => displayText(reason, 500)),
      disk_full: (tallies.fullDisk ?? null) !== null,
    },
    size_bytes: size?.bytes ?? null,
    segments: size?.segments ?? null,
    oldest_segment_day: size?.oldestDay ?? null,
  };
}

/** An audit plug-in that failed (a folder it cannot read, say) leaves the log unchecked: degraded. */
export function auditCheckFailed(error: unknown): AuditHealth {
  const reason = error instanceof Error
    ? error.message.split("\n")[0] ?? error.name
    : String(error);
  return {
    status: "degraded",
    lastSequence: null,
    lastCheckpointAt: null,
    verified: null,
    message: `the audit log could not be checked: ${reason}`,
    hint: error instanceof Deno.errors.PermissionDenied
      ? 'give your user back read access to THOTH_HOME/audit (chmod -R u+rwX on it), then run "thoth audit verify"'
      : 'run "thoth audit verify" to check the log itself',
  };
}
