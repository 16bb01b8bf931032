/**
 * The `decisions_lost` record a session writes for the lost tally a dead
 * session left (see `lost_tally.ts`): it tells the log what the tally
 * counts beyond the dead session's own `decisions_lost` records, with the
 * tally's counts by type, decision ids, times, reason and its MAC status
 * (`verified`: only such a tally is taken in, see `take_in_lost_tallies.ts`).
 * None when the log tells of everything it counts already (the dead session
 * told it, or a session that took the tally in was stopped before it
 * removed it).
 *
 * Verify counts a `decisions_lost` record written from a tally
 * ({@linkcode fromUnverifiedTally}) only when the tally's MAC verified: an
 * earlier build took in a tally whatever its MAC, and one thoth did not
 * write must not account for a session's missing approvals; such a record
 * is a warning instead ({@linkcode unverifiedTallyFinding}). Pure.
 *
 * @example
 * ```ts
 * const record = lostTallyRecord("s-dead.tally", read, told.get("s-dead") ?? 0, "s-new");
 * if (record !== undefined) await log.appendMany([record]);
 * ```
 */
import { displayText } from "../approval/display_text.ts";
import type { Finding } from "./finding.ts";
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

/**
 * Whether the `decisions_lost` record `record` was written from a lost
 * tally whose MAC did not verify (its `tally` set, its `tallyMac` anything
 * but `verified`): it accounts for nothing.
 */
export function fromUnverifiedTally(record: Record<string, unknown>): boolean {
  return record["tally"] !== undefined && record["tallyMac"] !== "verified";
}

/** The warning for such a record at `seq` (in segment `source`). */
export function unverifiedTallyFinding(
  record: Record<string, unknown>,
  seq: number,
  source?: string,
): Finding {
  const text = (key: string) =>
    typeof record[key] === "string" ? displayText(record[key] as string, 200) : "(none)";
  return {
    kind: "decisions_untold",
    severity: "warning",
    seq,
    ...(source === undefined ? {} : { source }),
    message: `the decisions_lost record at seq ${seq} of session ${text("session")} was ` +
      `written by session ${text("takenBy")} from the lost tally ${text("tally")}, whose MAC ` +
      `did not verify (tallyMac ${text("tallyMac")}): thoth may not have written that tally, ` +
      "so the record accounts for nothing (an earlier thoth took in such tallies; this one " +
      "refuses them): a step-up of that session without an approval, or its missing end, is " +
      "reported as if the record were not there",
  };
}
