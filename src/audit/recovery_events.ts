/**
 * The audit events that say what the log lacks or took in late: records a
 * killed session's spool left, or a session let go and took back itself
 * (`spool_recovered`), decisions and approvals
 * lost (`decisions_lost`), records let go (`records_dropped`) and spool files
 * refused (`spool_refused`). Pure data.
 *
 * @example
 * ```ts
 * const dropped: RecordsDroppedEvent = {
 *   type: "records_dropped", session: "s-1", count: 2, types: { outcome: 2 },
 *   from: "2026-01-01T00:00:00.000Z", until: "2026-01-01T00:01:00.000Z",
 * };
 * ```
 */

/**
 * Records taken into the log late from a spool file: this record, then the
 * recovered records themselves, in order. Either a killed session left the
 * file and a later session took it in, or (the file named for `session`
 * itself) the session let go of the records while its log refused them and
 * took them back in itself once the log could be written again: a session
 * that takes back its own files is alive, not killed.
 */
export interface SpoolRecoveredEvent {
  type: "spool_recovered";
  /** The session that took them in (the file's own session, when it took back its own). */
  session: string;
  /** The spool file's name. */
  file: string;
  /** The records taken in from it (they follow this record). */
  count: number;
  /**
   * Records of the file left out: the log held them already (their batch was
   * written before the kill), or another file taken in held them too. Absent
   * when none was (and in records written before this field existed).
   */
  skipped?: number;
  /**
   * When the spool file was opened (its header's time, ISO 8601): its
   * records were decided after it. Absent for a file of an earlier release
   * (no header), and in records written before this field existed.
   */
  openedAt?: string;
}

/**
 * Decisions and approvals of this session that neither its spool nor the
 * log could take while they were made (a full disk, an unwritable spool
 * folder): written once records can be written again (the spool took a
 * record again, or at the session's end), so that the log says which
 * decisions it lacks and when. In observe mode their calls were forwarded,
 * and their `outcome` records name decisions the log does not hold.
 * Absent from logs of earlier releases, whose `verify` reads it as any
 * other record.
 */
export interface DecisionsLostEvent {
  type: "decisions_lost";
  session: string;
  /** How many decision and approval records were lost. */
  count: number;
  /**
   * The decision ids of the first `DECISIONS_LOST_IDS_MAX` (`record.ts`) of them,
   * in order (an approval names the decision it answers).
   */
  decisionIds: string[];
  /** When the first and the last of them were made (ISO 8601). */
  from: string;
  until: string;
  /** Why the first of them could not be written, cut to 500 characters. */
  reason: string;
  /**
   * Set when a later session (`takenBy`) wrote it from the lost tally a
   * killed session left (see `lost_tally.ts`): the tally's file name. `count`
   * is then what the tally counts beyond the session's own `decisions_lost`
   * records; `tallied`, `types`, `decisionIds`, `from`, `until` and `reason`
   * are the tally's (all it counted, the ones told before among them).
   */
  tally?: string;
  /** How many the tally counted in all. */
  tallied?: number;
  /** How many of each record type (`decision`, `approval`) the tally counted. */
  types?: Record<string, number>;
  /**
   * Whether the tally's MAC verified under the device's audit key
   * (`failed`: thoth did not write it; `unchecked`: no key to check it
   * with; `none`: it carried none). Only `verified` is written: an earlier
   * thoth wrote any, and verify counts such a record for nothing.
   */
  tallyMac?: "verified" | "failed" | "unchecked" | "none";
  /** The session that took the tally in. */
  takenBy?: string;
}

/**
 * Records of this session that gate nothing (outcomes, cancellations, tool
 * snapshots, requests, handshakes) which the session held for a log that
 * kept refusing them, and let go of past its bound (10,000 held records):
 * written once the log takes a batch again, so that the log says what it
 * lacks and when. The decisions and approvals held with them are not
 * counted: their spool files keep them, and the session takes them back in
 * itself once the log takes batches again (a later session, if it ends
 * first). Nor are the `spool_recovered` records of a round of that taking
 * back let go again: taking the files back again writes them afresh. A tool
 * snapshot among them is recorded again after this record (the session's
 * current listing of each page it let go of), or at the page's next
 * listing. Absent from logs of earlier releases, whose `verify` reads it as
 * any other record.
 */
export interface RecordsDroppedEvent extends DroppedCount {
  type: "records_dropped";
  session: string;
}

/**
 * Records of a session that the log never took, counted (see
 * {@linkcode RecordsDroppedEvent}, and `SessionEndEvent.recordsDropped`).
 */
export interface DroppedCount {
  /** How many records were let go. */
  count: number;
  /** How many of each record type, by type (`unknown` for a record whose type cannot be read). */
  types: Record<string, number>;
  /**
   * The time range the records let go were made in (ISO 8601): `from` is
   * when the log last took a batch of the session before it refused them
   * (or the session's start, when it never took one), `until` when the
   * last of them was let go.
   */
  from: string;
  until: string;
}

/**
 * A spool file another session left that this one refused to take in: a
 * line whose MAC does not verify or that has none (a file of an earlier
 * release, or one thoth did not write), a record a spool never holds, a line
 * or file over the spool's bounds, or a file that cannot be read. None of its
 * records is in the log; the file is set aside in the spool folder, kept as
 * it was. `thoth audit verify` warns of each. A lost tally a session
 * refused (see `refuse_lost_tally.ts`) is told of the same way: `file`
 * `lost/<name>`, `movedTo` `lost/refused/<name>`, in the audit folder.
 */
export interface SpoolRefusedEvent {
  type: "spool_refused";
  /** The session that refused it. */
  session: string;
  /** The spool file's name. */
  file: string;
  /** The name it was set aside under in the spool folder; absent when it could not be moved. */
  movedTo?: string;
  /** How many of its lines (the header aside) are not taken in: all of them. */
  lines: number;
  /** Its size in bytes. */
  bytes: number;
  /** Why it was refused (the first problem found). */
  reason: string;
  /** SHA-256 (hex) of its bytes, when they could be read. */
  sha256?: string;
}
