/**
 * The DETAIL cell of a `records_dropped` record in `thoth audit show` (see
 * `format_records.ts`), and of a `session_end` that counts records the log
 * never took (its `recordsDropped`): how many records the session let go
 * of, and of which types, as stored (names cut short, the first 20 types).
 * Pure.
 *
 * @example
 * ```ts
 * droppedDetail({ type: "records_dropped", count: 3, types: { outcome: 2, tools_snapshot: 1 } });
 * // "3 record(s) let go: outcome 2, tools_snapshot 1"
 * ```
 */
import { displayText } from "../approval/display_text.ts";
import { cellText as str } from "./table_joins.ts";

/** The longest type name or count shown. */
const NAME_MAX = 64;

/** The most types named. */
const TYPES_MAX = 20;

/**
 * A `records_dropped` record's count and types, as stored (names cut short):
 * `10001 record(s) let go: outcome 10000, tools_snapshot 1`.
 */
export function droppedDetail(r: Record<string, unknown>): string {
  const counts = typeCounts(r["types"]);
  return `${displayText(str(r["count"]), NAME_MAX)} record(s) let go` +
    (counts.length === 0 ? "" : `: ${counts.join(", ")}`);
}

/**
 * A stored `types` member (how many records of each type), as
 * `outcome 2`, … (names cut short, the first 20 types); none when it is
 * no object.
 *
 * @example
 * ```ts
 * typeCounts({ outcome: 2, handshake: 1 }); // ["outcome 2", "handshake 1"]
 * ```
 */
export function typeCounts(types: unknown): string[] {
  return types !== null && typeof types === "object" && !Array.isArray(types)
    ? Object.entries(types as Record<string, unknown>).slice(0, TYPES_MAX)
      .map(([type, n]) => `${displayText(type, NAME_MAX)} ${displayText(str(n), NAME_MAX)}`)
    : [];
}
