/**
 * The options a `SessionAudit` starts with: the log (or why it
 * did not open, and the tries to open it again), where the spool lives, the
 * session's facts its records carry, and the clocks and waits tests shorten.
 * The hand-offs take the parts they need (see `DecisionRecordsOptions` and
 * its siblings).
 *
 * @example
 * ```ts
 * const options: SessionAuditOptions = {
 *   log, thothHome, session, server: "fs", mode: "block", policyHash, intent: null,
 *   safeFields: [], note: (line) => console.error(line),
 * };
 * new SessionAudit(options);
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import type { AuditLogReopen } from "./audit_log_reopen.ts";

/** Options of a `SessionAudit`. */
export interface SessionAuditOptions {
  /** The open log, or undefined when it could not be opened (`openError` says why). */
  log: AuditLog | undefined;
  openError?: string | undefined;
  /**
   * The remedies of the error `openError` comes from (an `AppError`'s
   * hints, such as a held lock's), printed instead of the generic hint.
   */
  openHints?: readonly string[] | undefined;
  /**
   * With no `log`: the tries to open it again (its start failed for a cause
   * that passes, see `audit_log_reopen.ts`). The session then spools and
   * refuses as when the log fails in its middle, until a try opens it.
   */
  reopen?: AuditLogReopen | undefined;
  /** The profile the spool lives in. */
  thothHome: string;
  session: string;
  server: string;
  mode: string;
  policyHash: string;
  intent: string | null;
  /** Argument fields the policy names safe to log in clear (never applied to results). */
  safeFields: readonly string[];
  /**
   * `thoth audit` as a person runs it for this profile, for the line each
   * blocked call gets on stderr (see `block_note.ts`); `thoth audit` if unset.
   */
  auditCommand?: string;
  /** `always`: each gating record is fsynced before its call is released. */
  sync?: "default" | "always";
  note: (message: string) => void;
  /** The wall clock in milliseconds (for the age of orphaned spools). */
  now?: () => number;
  /**
   * How often a running session looks for other sessions' orphaned spool
   * files (`SWEEP_MS` in `take_orphan_spools.ts`).
   */
  sweepMs?: number;
  /**
   * How long the session's end waits for a sweep still reading the log back,
   * and for another session that holds records of its spool
   * (`END_WAIT_MS`, see `claimed_elsewhere.ts`).
   */
  endWaitMs?: number;
}
