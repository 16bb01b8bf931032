/**
 * The warning `verify` gives for records a session could not write: a
 * `records_dropped` record (the session let go of records it held past its
 * bound while the log refused them), or a `session_end` that carries
 * `recordsDropped` (a session whose log never took its last records kept
 * its end in its spool, with their count, for a later session to take in).
 * Those records are missing from the log because it could not be written
 * then, which the session itself recorded, not because they were removed:
 * a warning (exit 2), naming the session, how many of which types, and
 * when they were made. Pure.
 *
 * @example
 * ```ts
 * // In the verifier's pass over the records:
 * const finding = recordsDroppedFinding(record, seq, segment);
 * if (finding !== undefined) warnings.push(finding);
 * ```
 */
import { displayText } from "../approval/display_text.ts";
import type { Finding } from "./finding.ts";
import { typeCounts } from "./dropped_detail.ts";

/** The longest session id or time shown. */
const SHOWN_MAX = 200;

/**
 * The finding for `record` at `seq` (in segment `source`): a
 * `records_dropped` record, or a `session_end` with `recordsDropped`;
 * undefined for any other record (an end that counts nothing).
 */
export function recordsDroppedFinding(
  record: Record<string, unknown>,
  seq: number,
  source?: string,
): Finding | undefined {
  const ended = record["type"] === "session_end";
  const counted = ended ? record["recordsDropped"] : record;
  if (counted === null || typeof counted !== "object" || Array.isArray(counted)) return undefined;
  const c = counted as Record<string, unknown>;
  const text = (value: unknown): string | undefined =>
    typeof value === "string" ? displayText(value, SHOWN_MAX) : undefined;
  const session = text(record["session"]) ?? "(unnamed)";
  const count = typeof c["count"] === "number" && Number.isSafeInteger(c["count"])
    ? `${c["count"]}`
    : "an unknown number";
  const types = typeCounts(c["types"]);
  const from = text(c["from"]);
  const until = text(c["until"]);
  const when = from === undefined || until === undefined
    ? ""
    : from === until
    ? `, made up to ${until}`
    : `, made between ${from} and ${until}`;
  const where = ended ? "its session_end record" : "its records_dropped record";
  return {
    kind: "records_dropped",
    severity: "warning",
    seq,
    ...(source === undefined ? {} : { source }),
    message: `session ${session} could not write ${count} of its records to the audit log` +
      `${types.length === 0 ? "" : ` (${types.join(", ")})`}${when}: the log could not be ` +
      "written while the session ran (its lock held by another process, a full disk or an " +
      `unwritable folder), so the session let go of them and counted them in ${where} at ` +
      `seq ${seq}; they are missing from the log because it could not take them, not because ` +
      "they were removed from it; decisions and approvals are not among them (the session's " +
      "spool keeps those, and a decisions_lost record names any it could not)",
  };
}
