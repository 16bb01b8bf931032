/**
 * The time `thoth audit show` and `tail` print for a record, by the rule
 * `show --since/--until` and `export` select records by (see
 * `record_time.ts`): a record written late (taken in from a killed
 * session's spool, or held while the log could not be written) carries the
 * time of its decision or approval as `decidedAt` beside `ts`, the time it
 * was written; its TIME is the decision's, and its DETAIL says when it was
 * written. Every other record's TIME is its `ts`. Times show as UTC to the
 * second (`2026-11-30 20:32:13`), so a time printed, pasted into both
 * `--since` and `--until`, selects its record. Pure.
 *
 * @example
 * ```ts
 * shownTime({ ts: "2026-11-30T20:33:20.000Z", decidedAt: "2026-11-30T20:32:13.000Z" });
 * // { time: "2026-11-30 20:32:13", written: "written late (2026-11-30 20:33:20)" }
 * ```
 */
import { cellText } from "./table_joins.ts";
import { recordTimeMs } from "./record_time.ts";

/** A record's TIME cell, and when it carries a decision's time, the DETAIL part saying when it was written. */
export interface ShownTime {
  time: string;
  /** `written late (…)` for a record written late; empty for every other record. */
  written: string;
}

/** An ISO 8601 time as the TIME column prints it: UTC, to the second. */
function asCell(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}

/** When `record` happened and, for one written late, when it was written (see the module's note). */
export function shownTime(record: Readonly<Record<string, unknown>>): ShownTime {
  const stored = asCell(cellText(record["ts"]));
  const decidedAt = record["decidedAt"];
  if (typeof decidedAt !== "string" || Number.isNaN(Date.parse(decidedAt))) {
    return { time: stored, written: "" };
  }
  // A valid `decidedAt` is the time the record is selected by (`recordTimeMs`).
  const time = asCell(new Date(recordTimeMs(record)).toISOString());
  return { time, written: `written late (${stored})` };
}
