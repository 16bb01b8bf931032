/**
 * What a writer that has written records records when the log it opens for
 * its next batch no longer holds them: the state file (with a valid MAC or
 * not) counts fewer records than the writer last counted, or the record at
 * that count is not the last one it wrote. A state file's MAC shows that a
 * thoth wrote it, not that it is the newest: an older genuine state put back,
 * with the log cut to match it, would otherwise be chained over in silence.
 * The `state_rebuilt` record keeps what the writer counted, as one for a
 * removed log does, so `verify` reports the records as lost (or the record
 * replaced). Pure.
 *
 * @example
 * ```ts
 * rollbackWitness({ size: 15, last, checkpointSize: 11 }, 13, false);
 * // { lost: { seq: 13, counted: 15, held: 13 }, note: { type: "state_rebuilt", size: 13, stateSize: 15, … } }
 * ```
 */
import type { LostRecords } from "./state_lost_records.ts";
import type { StateWitness } from "./state_witness.ts";
import type { StateRebuiltEvent } from "./record.ts";

/** The reason when the log holds fewer records than the writer counted. */
export const ROLLED_BACK =
  "the log held fewer records than this writer last counted: it was put back to an earlier state while this writer ran";

/** The reason when the writer's last record is no longer where it wrote it. */
export const REPLACED =
  "the record this writer last counted is no longer in the log: it was put back to an earlier state and written on while this writer ran";

/**
 * The loss to keep in the state (none when the record was replaced: the log
 * holds as many) and the `state_rebuilt` record to write at seq `at`, when the log holds `held` records and the writer last counted
 * `counted`; `replaced`: the log holds as many, but not the writer's last.
 */
export function rollbackWitness(
  counted: StateWitness,
  held: number,
  at: number,
  replaced: boolean,
): { lost?: LostRecords; note: StateRebuiltEvent } {
  return {
    ...(replaced ? {} : { lost: { seq: at, counted: counted.size, held } }),
    note: {
      type: "state_rebuilt",
      reason: replaced ? REPLACED : ROLLED_BACK,
      size: held,
      stateSize: counted.size,
      stateLast: counted.last,
      stateCheckpointSize: counted.checkpointSize,
      ...(counted.frontier === undefined ? {} : { stateFrontier: [...counted.frontier] }),
    },
  };
}
