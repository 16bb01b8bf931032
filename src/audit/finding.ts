/**
 * What `verify` can find, how serious each kind is, and the exit code a set
 * of findings maps to (0 clean, 1 tampered or records lost, 2 warnings only).
 * Pure data.
 *
 * @example
 * ```ts
 * const f: Finding = { kind: "deleted", severity: severityOf("deleted"), seq: 10, message: "record 10 is missing" };
 * exitCodeFor([f]); // 1
 * ```
 */

/** Every kind of finding. */
export type FindingKind =
  | "modified"
  | "deleted"
  | "inserted"
  | "reordered"
  | "bad_signature"
  | "unknown_key"
  | "fork"
  | "truncated"
  /**
   * The log holds fewer records than its writer counted (its state file, or
   * a state_rebuilt record that kept what the state file said), or the
   * whole log is gone while the keys made with it remain.
   */
  | "records_lost"
  /** Bundle records that no validly signed checkpoint covers. */
  | "uncovered"
  /** A device's log with records and no valid checkpoint at all (a warning). */
  | "unanchored"
  /** An anchor a bundle holds no records at the size of (a warning). */
  | "anchor_unchecked"
  /**
   * The anchor given with a bundle is byte for byte one of the bundle's own
   * checkpoint notes: taken from the bundle, it proves nothing beyond it (a
   * fact; see `anchor_copy_finding.ts`).
   */
  | "anchor_in_bundle"
  /**
   * The anchor given with a bundle is signed only by a key the bundle does
   * not list: nothing was checked against it. No proof of a change, but no
   * verification either (exit 1, status `anchor_key_unknown`).
   */
  | "anchor_key_unknown"
  | "torn_tail"
  /**
   * The writer's state file was missing or unreadable beside an existing
   * log: nothing shows how many records the log held before (a warning).
   */
  | "state_lost"
  /**
   * The writer's state file named as the last record it counted one the
   * log does not hold, or kept a Merkle frontier that is not the log's,
   * while an intact signed checkpoint covers the records concerned (and,
   * for a state kept in a state_rebuilt record, that record too): the state
   * file was forged, not the log. Tampering all the same (exit 1). The
   * state's own frontier never proves a record: where no checkpoint covers
   * it, the finding is `modified` ("replaced, or the state file was forged").
   */
  | "state_forged"
  /**
   * The writer's state file carries a MAC that does not verify under this
   * device's audit key, or a writer found one that did not (its
   * `state_rebuilt` record says so): someone other than thoth wrote thoth's
   * state, and records cut from the log's end since the last signed
   * checkpoint would read the same. Tampering (exit 1; see
   * `state_mac_check.ts`, `lost_records.ts`).
   */
  | "state_mac_failed"
  /**
   * The writer's state file carries no MAC, though the newest signed
   * checkpoint the records reproduce says its writer keeps one on every
   * state it writes: someone wrote the state file, so its count vouches for
   * nothing (a warning; see `state_mac_signal.ts`, `state_mac_check.ts`).
   */
  | "state_mac_removed"
  /**
   * The writer's state file (or one a `state_rebuilt` record kept) carries
   * the MAC of the log's state at an earlier count: a thoth of an earlier
   * release, which keeps no MAC on its state and leaves the field as it
   * was, wrote the log after this release. Its count vouches for nothing
   * (a warning; see `earlier_state_mac.ts`, `state_mac_check.ts`).
   */
  | "state_mac_stale"
  /**
   * The writer's state file counts records but is no state a writer can
   * read: someone edited it (a warning; the next writer rebuilds it).
   */
  | "state_damaged"
  /** There is no audit log, and nothing shows there ever was one (a warning). */
  | "no_log"
  | "step_up_without_approval"
  | "session_without_end"
  /** A decision id, or an approval of one, recorded more than once (a warning). */
  | "recorded_twice"
  | "recovered_torn_tail"
  | "state_rebuilt"
  /**
   * Records a writer took in past the count of a state file that vouched
   * for the log (or past the last signed checkpoint, when none did): a
   * thoth killed before counting them wrote them, or someone else added
   * them (a warning; tampering when its record says no intent vouched for
   * them and they hold decision or approval records; see the
   * `tail_taken_in` record and `tail_taken_in_finding.ts`).
   */
  | "tail_taken_in"
  /**
   * Records past the count of a state file whose MAC verifies, that no
   * writer's intent (`audit/.pending`, see `pending_batch.ts`) vouches for:
   * a writer killed between writing records and counting them leaves an
   * intent that does. A warning; tampering when they hold decision or
   * approval records, unless the log ends inside a batch of more than 64
   * records that the intent names (see `past_the_count.ts`).
   */
  | "past_the_count"
  /**
   * Records past the writer's count that writers were writing while
   * `verify` read the log without their lock (it could not take it), so
   * nothing judged them (a warning; see `being_written.ts`).
   */
  | "being_written"
  /**
   * Outcome or approval records of a decision the log does not hold, read
   * from seq 0 (a warning; see `undecided_records.ts`).
   */
  | "decision_missing"
  /**
   * Spool files beside the log whose records no session has taken into it
   * yet: a running session's, or a killed one's that the next session takes
   * in (a fact; see `waiting_spools.ts`).
   */
  | "spool_waiting"
  | "key_rotation"
  /** A listed key that no trusted path reaches: it vouches for nothing (a fact). */
  | "untrusted_key"
  /**
   * A bundle without a signed export statement (written by an older thoth):
   * nothing proves the period it was exported for or where it starts (a warning).
   */
  | "period_unproven"
  /**
   * Records that name a session no `session_start` record of the log starts,
   * in a log (or bundle) whose records start at seq 0 (a warning).
   */
  | "session_never_started"
  /** A record dated earlier than the one before it, past the tolerance (a warning). */
  | "clock_went_back"
  /**
   * A name the log gives its segments or checkpoint notes on something that
   * is not a regular file (a link, a FIFO, a folder): never opened. A warning;
   * tampering when it stands where records the log does not hold belong.
   */
  | "not_regular_file"
  /**
   * A spool file a session refused to take into the log (a line without a
   * valid MAC, a record a spool never holds, over the spool's bounds,
   * unreadable): set aside, none of its records chained (a warning).
   */
  | "spool_refused"
  /**
   * Records of a session that the log never took because it could not be
   * written then, which the session counted (a `records_dropped` record, or
   * a `session_end` with `recordsDropped`): missing, not removed (a
   * warning; see `records_dropped_finding.ts`).
   */
  | "records_dropped"
  /**
   * Decisions and approvals a session lost (neither its spool nor the log
   * took them) that no `decisions_lost` record in the log tells of: the
   * session's lost tally counts them (a warning; see `lost_tally_findings.ts`).
   */
  | "decisions_untold"
  /**
   * Something other than a folder stands where the lost tallies' folder
   * (`lost`) must be (a symbolic link among them, never followed): no
   * session keeps a tally; or verify could not list that folder, so what a
   * killed session left there is unknown (a warning; see
   * `lost_tally_folder.ts`).
   */
  | "lost_tally_unusable"
  /**
   * A lost tally whose MAC cannot be checked (no readable audit key) and
   * whose losses the log already tells of: left until a session with the
   * key removes it (a fact; see `lost_tally_findings.ts`).
   */
  | "lost_tally_unchecked";

/**
 * tamper: evidence was changed or lost (exit 1); unverified: a check asked
 * for could not be made, which proves no change but verifies nothing (exit
 * 1); warning: worth a look, or nothing to verify (exit 2); info: a fact the
 * log itself records.
 */
export type Severity = "tamper" | "unverified" | "warning" | "info";

/** One finding, tied to the sequence numbers it concerns. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The first sequence number concerned. */
  seq?: number;
  /** The last sequence number concerned, when it is a range. */
  toSeq?: number;
  /** Where: a segment file or checkpoint source. */
  source?: string;
  message: string;
}

const TAMPER: ReadonlySet<FindingKind> = new Set([
  "modified",
  "deleted",
  "inserted",
  "reordered",
  "bad_signature",
  "unknown_key",
  "fork",
  "truncated",
  "records_lost",
  "uncovered",
  "state_forged",
  "state_mac_failed",
]);
const UNVERIFIED: ReadonlySet<FindingKind> = new Set(["anchor_key_unknown"]);
const WARNING: ReadonlySet<FindingKind> = new Set([
  "unanchored",
  "anchor_unchecked",
  "torn_tail",
  "state_lost",
  "state_mac_removed",
  "state_mac_stale",
  "state_damaged",
  "tail_taken_in",
  "past_the_count",
  "being_written",
  "decision_missing",
  "no_log",
  "step_up_without_approval",
  "session_without_end",
  "recorded_twice",
  "period_unproven",
  "session_never_started",
  "clock_went_back",
  "not_regular_file",
  "spool_refused",
  "records_dropped",
  "decisions_untold",
  "lost_tally_unusable",
]);

/** The severity of a kind. */
export function severityOf(kind: FindingKind): Severity {
  if (TAMPER.has(kind)) return "tamper";
  if (UNVERIFIED.has(kind)) return "unverified";
  if (WARNING.has(kind)) return "warning";
  return "info";
}

/**
 * 1 when anything was tampered with or lost, or a check asked for could not
 * be made; 2 when there are only warnings; else 0.
 */
export function exitCodeFor(findings: readonly Finding[]): 0 | 1 | 2 {
  if (findings.some((f) => f.severity === "tamper" || f.severity === "unverified")) return 1;
  if (findings.some((f) => f.severity === "warning")) return 2;
  return 0;
}
