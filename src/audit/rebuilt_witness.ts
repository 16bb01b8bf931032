/**
 * What a `state_rebuilt` record kept of the state file a writer found: the
 * record's seq, how many records the log held, how many the state counted,
 * the last one's leaf hash and the state's Merkle frontier. A witness that
 * `witness_findings.ts` checks against the records. Pure.
 *
 * @example
 * ```ts
 * const kept: RebuiltWitness = { seq: 40, size: 40, counted: 35, last: "ab12…" };
 * ```
 */

/** What a state_rebuilt record kept of the state file. */
export interface RebuiltWitness {
  /** The record's own seq. */
  seq: number;
  /** Records the log held when it was rebuilt. */
  size: number;
  /** Records the state file counted. */
  counted: number;
  /** Leaf hash (hex) of the last record the state file counted. */
  last: string;
  /** The state file's Merkle frontier (hex) of its `counted` records, when it was kept. */
  frontier?: readonly string[];
}
