/**
 * The `decisions_lost` record a session writes for the lost tally a dead
 * session left (see `lost_tally.ts`): it tells the log what the tally
 * counts beyond the dead session's own `decisions_lost` records, with the
 * tally's counts by type, decision ids, times, reason and whether its MAC
 * verified (a tally that does not verify is recorded as such). None when
 * the log tells of everything it counts already (the dead session told it,
 * or a session that took the tally in was stopped before it removed it).
 * Pure.
 *
 * @example
 * ```ts
 * const record = lostTallyRecord("s-dead.tally", read, told.get("s-dead") ?? 0, "s-new");
 * if (record !== undefined) await log.appendMany([record]);
 * ```
 */
import type { LostTallyRead } from "./lost_tally.ts";
import { DECISIONS_LOST_IDS_MAX, type DecisionsLostEvent } from "./record.ts";

/**
 * The record for the tally `read` in the file `name`, whose session's
 * `decisions_lost` records in the log tell of `told` losses, written by
 * session `takenBy`; undefined when it counts no more than that.
 */
export function lostTallyRecord(
  name: string,
  read: LostTallyRead,
  told: number,
  takenBy: string,
): DecisionsLostEvent | undefined {
  const { tally } = read;
  const untold = tally.count - told;
  if (untold <= 0) return undefined;
  return {
    type: "decisions_lost",
    session: tally.session,
    count: untold,
    decisionIds: tally.decisionIds.slice(0, DECISIONS_LOST_IDS_MAX),
    from: tally.from,
    until: tally.until,
    reason: tally.reason,
    tally: name,
    tallied: tally.count,
    types: { ...tally.types },
    tallyMac: read.mac,
    takenBy,
  };
}
