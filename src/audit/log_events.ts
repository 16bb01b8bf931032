/**
 * The audit events only the log itself writes: signed checkpoints, key
 * rotations, a torn tail cut, a rebuilt state, a tail taken in unvouched.
 * Pure data.
 *
 * @example
 * ```ts
 * const cut: RecoveredTornTailEvent = {
 *   type: "recovered_torn_tail", segment: "000001.jsonl", offset: 4096, bytesCut: 17, cutDigest: "ab…",
 * };
 * ```
 */

/** A signed checkpoint over every record before this one (written by the log itself). */
export interface CheckpointEvent {
  type: "checkpoint";
  /** Tree size the checkpoint covers: equals this record's `seq`. */
  size: number;
  /** Base64 root hash. */
  root: string;
  /** The full C2SP signed note. */
  note: string;
  /**
   * The Merkle frontier (hex, largest subtree first) of the `size` records
   * the note's root is over: it folds to that root, so a writer that finds
   * a state file it did not write last checks the state's frontier from
   * here, reading only the records since (absent in records of older thoth).
   */
  frontier?: string[];
}

/** The signing key changed; the old key endorses the new one (written by the log itself). */
export interface KeyRotationEvent {
  type: "key_rotation";
  oldKeyHash: string;
  newKeyHash: string;
  /** C2SP verifier key of the new key. */
  newVerifierKey: string;
  /** Base64 Ed25519 signature by the old key over `thoth audit key rotation\n<newVerifierKey>\n`. */
  endorsement: string;
}

/** A crashed writer left a partial line that the next writer cut (written by the log itself). */
export interface RecoveredTornTailEvent {
  type: "recovered_torn_tail";
  segment: string;
  offset: number;
  bytesCut: number;
  /** SHA-256 (hex) of the cut bytes. */
  cutDigest: string;
}

/**
 * The log's cached state did not match the files and was rebuilt (written by
 * the log itself). When the state file could be read, what it said is kept:
 * a `stateSize` above `size` is the number of records lost, and `verify`
 * reports it. Records written before these fields existed carry only
 * `reason` and `size`.
 */
export interface StateRebuiltEvent {
  type: "state_rebuilt";
  reason: string;
  /** Records the log held when the state was rebuilt from it. */
  size: number;
  /** Records the state file counted. */
  stateSize?: number;
  /** Leaf hash (hex) of the last record the state file counted. */
  stateLast?: string;
  /** The size of the last signed checkpoint the state file knew of. */
  stateCheckpointSize?: number;
  /**
   * The state file's Merkle frontier (hex, largest subtree first) of its
   * `stateSize` records: when the log's records give the same frontier, the
   * records the state counted are those the log holds, and a `stateLast`
   * that differs was forged in the state file, not in the log.
   */
  stateFrontier?: string[];
  /**
   * With the reason "the log was gone": what the state file was when the
   * writer found no segment beside the device's keys.
   */
  stateFile?: "missing" | "empty" | "damaged";
  /** With that reason: when the device's first signing key was made. */
  keysCreated?: string;
}

/**
 * Records a writer took into the log (chained onto, and counted) though no
 * state file a thoth holding the device's audit key wrote vouched for them:
 * past the count of the state file it found, or, when that file had no valid
 * MAC, past the last signed checkpoint (written by the log itself, before
 * any checkpoint signs them). A writer killed before counting its last
 * records leaves such records; so does someone who appends lines to the log.
 */
export interface TailTakenInEvent {
  type: "tail_taken_in";
  /** The first and last seq taken in. */
  firstSeq: number;
  lastSeq: number;
  count: number;
  /**
   * Why nothing vouched for them: "past the state file's count", "the state
   * file had no MAC (written by an earlier release, or replaced)", "the state file's MAC did not verify", "the state file
   * did not match the log", or "the state file was missing or damaged".
   */
  reason: string;
}
