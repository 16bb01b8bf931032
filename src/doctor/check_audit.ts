/**
 * Doctor check `audit`: the audit plugin's verdict on the evidence log.
 * Damage or tampering fails (a state file whose MAC does not verify too:
 * see `audit_log_words.ts`), and so does a log the writer could not write
 * (a file or folder of it that is not what it must be, or a disk with no
 * free space, see `audit_write_access.ts`) or whose private keys it could
 * not use; a log this build cannot verify is a warning. No log yet (no segment, no state
 * file and no key made with one: a profile no session has run from) passes
 * with that said: it starts with the first governed session. Spool files that
 * sessions which ended left behind (records that gate a call, not yet in
 * the chained log) are a warning too: the next session to start takes them
 * in (once the log can be written: the hint to start one is given only
 * then). So are the lost tallies' troubles (see `lost_tally_notice.ts`): a
 * file where their folder must be, tallies refused and set aside, tallies
 * whose MAC cannot be checked. The message states the log's size (a stat
 * of each segment, never its contents); a log over
 * {@linkcode AUDIT_LOG_WARN_BYTES} is a warning, with how to keep evidence.
 *
 * @example
 * ```ts
 * checkAudit(await context.plugins.auditHealth(pluginContext)).status;
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import type { AuditHealth } from "./doctor_plugins.ts";
import type { RefusedSpoolFiles } from "../audit/spool_refused_files.ts";
import { displayText } from "../approval/display_text.ts";
import type { AuditLockHeld } from "./audit_lock_held.ts";
import type { LostTallyHealth } from "../audit/lost_tally_health.ts";
import { lostTallyNotice } from "./lost_tally_notice.ts";
import { formatBytes, groupDigits } from "../size_text.ts";

/**
 * The audit health with why the audit writer could not write the log (see
 * `audit_write_access.ts`), which this build's audit plug-in adds: null when
 * it could, absent when the plug-in does not tell. Spool files then wait
 * until the log can be written: no session takes them in before.
 */
export interface AuditHealthWithAccess extends AuditHealth {
  readonly writeProblem?: string | null;
  /**
   * The spool files sessions refused and set aside (see
   * `spool_refused_files.ts`): null when there are none, absent when the
   * plug-in does not tell.
   */
  readonly spoolRefused?: RefusedSpoolFiles | null;
  /**
   * Another process holds the audit log's lock past a session start's wait
   * (see `audit_lock_held.ts`): null when not, absent when not looked at.
   */
  readonly lockHeld?: AuditLockHeld | null;
  /**
   * The lost tallies (see `lost_tally_health.ts`): their folder's problem,
   * the refused ones, those whose MAC cannot be checked; null when not
   * looked at, absent when the plug-in does not tell.
   */
  readonly lostTallies?: LostTallyHealth | null;
}

/** The log size over which the audit check warns: 2 GiB. */
export const AUDIT_LOG_WARN_BYTES = 2 * 1024 ** 3;

/** Options for {@linkcode checkAudit}. */
export interface CheckAuditOptions {
  /** The log size over which it warns; {@linkcode AUDIT_LOG_WARN_BYTES} by default. */
  readonly warnBytes?: number;
}

/** Turns the audit health into a check. */
export function checkAudit(
  health: AuditHealthWithAccess,
  options: CheckAuditOptions = {},
): DoctorCheck {
  // No log yet is how a new profile is: nothing for the person to do.
  const logStatus = health.status === "ok" || health.status === "missing"
    ? "pass"
    : health.status === "degraded"
    ? "fail"
    : "warn";
  const spool = spoolNotice(health);
  const refused = refusedNotice(health);
  const unwritable = health.writeProblem !== undefined && health.writeProblem !== null;
  const tallies = lostTallyNotice(health.lostTallies, unwritable);
  const size = sizeNotice(health, options.warnBytes ?? AUDIT_LOG_WARN_BYTES);
  const held = health.lockHeld ?? null;
  const status = logStatus === "pass" &&
      (held !== null || spool !== null || refused !== null || tallies !== null ||
        (size !== null && size.hint !== null))
    ? "warn"
    : logStatus;
  // The log's own hint comes first, then every notice's, one each (none hidden behind
  // another); an ok log's own (the full check) when no notice has one.
  const own = health.status === "degraded"
    ? health.hint ?? 'run "thoth audit verify" to see every finding'
    : health.status === "ok"
    ? undefined
    : health.hint;
  const noticeHints = [
    held?.hint,
    spool?.hint,
    refused?.hint,
    ...(tallies?.hints ?? []),
    size?.hint,
  ]
    .filter((hint): hint is string => hint !== undefined && hint !== null);
  // One hint said twice (a full disk, by the log's probe and by the lost tallies) is given once.
  const hints = [...new Set([...(own === undefined ? [] : [own]), ...noticeHints])];
  if (hints.length === 0 && health.hint !== undefined) hints.push(health.hint);
  const message = [
    health.message,
    held?.message,
    size?.message,
    spool?.message,
    refused?.message,
    tallies?.message,
  ].filter((part) => part !== undefined).join("; ");
  const [hint = null, ...moreHints] = hints;
  return { id: "audit", status, message, hint, ...(moreHints.length === 0 ? {} : { moreHints }) };
}

/**
 * What the audit check says of the log's size, or null when it was not
 * told or the log is not `ok` (a damaged or absent log's message is about
 * that alone): its segments' bytes and count, and from which day; over
 * `warnBytes`, a hint that says how to keep evidence, and that the log
 * cannot be cut.
 *
 * @example
 * ```ts
 * sizeNotice({ ...health, logSize: { bytes: 3 * 1024 ** 3, segments: 48, oldestDay: "2026-03-01" } }, AUDIT_LOG_WARN_BYTES)
 *   ?.message; // "3.0 GiB in 48 segment(s) since 2026-03-01, over 2.0 GiB: …"
 * ```
 */
export function sizeNotice(
  health: AuditHealth,
  warnBytes: number,
): { message: string; hint: string | null } | null {
  const size = health.logSize;
  if (size === undefined || size === null || health.status !== "ok") return null;
  const held = `${formatBytes(size.bytes)} in ${groupDigits(size.segments)} segment(s)` +
    (size.oldestDay === null ? "" : ` since ${size.oldestDay}`);
  if (size.bytes <= warnBytes) return { message: held, hint: null };
  return {
    message: `${held}, over ${formatBytes(warnBytes)}: thoth removes no segment, and the log ` +
      "grows by about 1.1 KB per governed tools/call",
    hint: "keep the periods you need as signed evidence bundles " +
      '("thoth audit export --since TIME --until TIME --output DIR", checked with ' +
      '"thoth audit verify --bundle DIR"); thoth has no command that shrinks the log, and ' +
      'segments removed by hand free space but "thoth audit verify" then reports their ' +
      "records as deleted (tampering)",
  };
}

/**
 * What the audit check says of the spool, or null when nothing: spool files
 * older than the orphan age (left by sessions that ended) wait to be taken
 * in, or the spool folder was not looked at. Younger files belong to
 * running sessions: nothing is said of them. While the log cannot be
 * written (`writeProblem`), no session takes them in: no hint then.
 *
 * @example
 * ```ts
 * spoolNotice({ ...health, spool: { files: 1, due: 1, oldestMs: 90_000, orphanAfterMs: 60_000 } })
 *   ?.message; // "1 spool file(s) holding decisions of sessions that ended … (oldest 90s); …"
 * ```
 */
export function spoolNotice(
  health: AuditHealthWithAccess,
): { message: string; hint: string | null } | null {
  const problem = health.spoolProblem;
  if (problem !== undefined && problem !== null) {
    return {
      message: `${problem}: spool files waiting to be taken into the log were not counted`,
      hint: "thoth makes the spool folder itself: find out what put a link in its place",
    };
  }
  const spool = health.spool;
  if (spool === undefined || spool === null || spool.due === 0) return null;
  const unwritable = health.writeProblem !== undefined && health.writeProblem !== null;
  if (unwritable) {
    // No session can take them in: the hint is the log's own (what makes it writable).
    return {
      message: `${spool.due} spool file(s) holding decisions of sessions that ended without ` +
        `writing them wait to be taken in (oldest ${Math.floor(spool.oldestMs / 1000)}s); ` +
        "no session takes them in until the audit log can be written",
      hint: null,
    };
  }
  return {
    message: `${spool.due} spool file(s) holding decisions of sessions that ended without ` +
      `writing them wait to be taken in (oldest ${Math.floor(spool.oldestMs / 1000)}s); ` +
      "the next thoth session to start, or a running one within a minute, takes them in",
    hint: "start any governed server (or wait for a running one), then run " +
      '"thoth audit verify": the records are then in the chained log',
  };
}

/**
 * What the audit check says of the spool files sessions refused and set
 * aside (`audit/spool/*.refused*`), or null when there are none: a warning,
 * never a failure (the log itself is as its status says), which names how
 * many and the oldest, says how to look at them and how to clear it.
 *
 * @example
 * ```ts
 * refusedNotice({ ...health, spoolRefused: { files: 1, oldest: "s-1-1.jsonl.refused", oldestMs: 90_000 } })
 *   ?.message; // "1 spool file(s) refused and set aside, never taken into the log (oldest \"s-1-1.jsonl.refused\", 90s old); …"
 * ```
 */
export function refusedNotice(
  health: AuditHealthWithAccess,
): { message: string; hint: string } | null {
  const refused = health.spoolRefused;
  if (refused === undefined || refused === null) return null;
  return {
    message: `${refused.files} spool file(s) refused and set aside, never taken into the log ` +
      `(oldest ${JSON.stringify(displayText(refused.oldest, 120))}, ` +
      `${Math.floor(refused.oldestMs / 1000)}s old): they may hold records of a killed ` +
      "session that thoth could not vouch for, or lines someone else wrote",
    hint: 'run "thoth audit verify" (it names the spool_refused record of each, and why) and ' +
      "look at the files in THOTH_HOME/audit/spool; once looked at, move them out of the spool " +
      "folder to a place you keep evidence in: this warning then goes",
  };
}
