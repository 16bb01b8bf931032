/**
 * What the audit verifier takes and what it reports: where a bundle's
 * records start, the keys and notes it trusts and compares against, and the
 * outcome of one verification (see `audit_verifier.ts`). Types only.
 *
 * @example
 * ```ts
 * const report: VerifyReport = await new AuditVerifier({ keys }).finish();
 * report.exitCode; // 0 clean, 1 tampered or records lost, 2 warnings only
 * ```
 */
import type { AnchorOutcome } from "./compare_roots.ts";
import type { Finding } from "./finding.ts";
import type { VerifyStatus } from "./verify_status.ts";
import type { NoteVerifier } from "./signed_note.ts";
import type { NoteInput } from "./verify_notes.ts";
import type { LocalTraces } from "./local_traces.ts";
import type { KeyRotationFact } from "./key_rotation_fact.ts";
import type { TrustRoot } from "./key_trust.ts";
import type { ProvenStatement, StatementInput } from "./export_statement.ts";
import type { UnanchoredTail } from "./truncation_notice.ts";
import type { WaitingSpools } from "./waiting_spools.ts";
import type { StateMacCheck } from "./state_mac_check.ts";

/** Where a bundle's records start: the tree before them, as a frontier. */
export interface VerifyStart {
  size: number;
  /** Leaf hash (hex) of record `size - 1`. */
  prev: string;
  /** Frontier hashes (hex) of the first `size` leaves, largest first. */
  frontier: readonly string[];
}

/** What the verifier trusts and compares against. */
export interface VerifyOptions {
  /**
   * The keys file's entries in file order. Not all are trusted: only the
   * first (the device's genesis key), or the anchor's key when there is an
   * anchor, and the keys that key_rotation records endorse from it.
   */
  keys: readonly NoteVerifier[];
  /** Checkpoint notes stored beside the log. */
  checkpoints?: readonly NoteInput[];
  /** A checkpoint kept off the device. */
  anchor?: NoteInput;
  start?: VerifyStart;
  /**
   * key_rotation records kept beside the records (a bundle carries those
   * before its first record and after its last): each endorsement is a
   * signature, so it passes trust forward wherever it is stored, but back
   * from a trusted key only when a trusted key signed the export statement
   * over them, since no checkpoint covers them.
   */
  rotations?: readonly KeyRotationFact[];
  /**
   * The records are an exported bundle (a slice of a log), not a device's
   * whole log: every record must then be covered by a signed checkpoint, and
   * an anchor outside the slice cannot be checked.
   */
  bundle?: boolean;
  /**
   * The device's own files beside its log (not for a bundle): the writer's
   * state file, whose count the log must reach, and whether the keys made
   * with the log exist. They can only add findings.
   */
  local?: LocalTraces;
  /**
   * A bundle's signed export statement and what it must agree with: checked
   * against the trusted keys once they are known.
   */
  statement?: StatementInput;
  /**
   * For a device's log: what the state file's MAC came to (see
   * `state_mac_check.ts`). A MAC that fails, or a damaged state, is a
   * warning; so is none, when the newest intact checkpoint says its writer
   * keeps one (see `state_mac_signal.ts`).
   */
  stateMac?: StateMacCheck;
}

/** The outcome of one verification. */
export interface VerifyReport {
  /** The outcome in one word (see {@linkcode VerifyStatus}); `exitCode` is 1 for the four failures. */
  status: VerifyStatus;
  exitCode: 0 | 1 | 2;
  /** Records read. */
  records: number;
  /** Sequence number after the last record. */
  logSize: number;
  segments: string[];
  /**
   * The checkpoint notes stored with the records (inside the log and beside
   * it; the anchor is reported apart): `verified` counts those whose
   * signature verifies under a trusted key and whose root the records
   * present reproduce, `unverified` the others (a bad or untrusted
   * signature, a root the records do not give, a size past their end);
   * `latestSize` is the largest size among the verified, null when none.
   */
  checkpoints: { verified: number; unverified: number; latestSize: number | null };
  /** `verified`: the anchor's root was compared with the log's and matched. */
  anchor: { size: number; verified: boolean; outcome: AnchorOutcome } | null;
  /** The key the trusted signing keys descend from; null when the keys file lists none. */
  trust: TrustRoot | null;
  /** Records newer than the newest checkpoint that vouches for them. */
  unanchoredTail: UnanchoredTail;
  findings: Finding[];
  /** The plain statement about truncation that every report carries. */
  notice: string;
  /** For a bundle: what its records hold (absent for a device's log). */
  bundle?: BundleSpan;
  /**
   * For a device's log with a readable state file: what its MAC came to,
   * read against the newest intact checkpoint (`absent` becomes `removed`
   * when that checkpoint's writer keeps a MAC on its state).
   */
  stateMac?: StateMacCheck;
  /**
   * For a device's log: the spool files whose records (decisions and
   * approvals of killed sessions) are not in the log yet, null when none
   * wait (see `waiting_spools.ts`).
   */
  spoolWaiting?: WaitingSpools | null;
}

/** The seq range and period a bundle's records hold, and what its manifest claims. */
export interface BundleSpan {
  /** The first seq the bundle's tree covers (its start size). */
  firstSeq: number;
  /** The last seq its records reach; `firstSeq - 1` when it holds none. */
  lastSeq: number;
  /**
   * The earliest and latest times of its readable records, in ISO 8601 UTC:
   * a record's time as `show` prints it and `export` chooses by (a record
   * written late is at its decision's `decidedAt`, see `record_time.ts`).
   */
  from: string | null;
  to: string | null;
  /** The range manifest.json says it holds (unsigned), when it says. */
  claimed?: { firstSeq: number; lastSeq: number };
  /**
   * The export statement a trusted key signed (the period and range it was
   * exported with, where it starts); null when there is none that verified.
   */
  statement?: ProvenStatement | null;
}
