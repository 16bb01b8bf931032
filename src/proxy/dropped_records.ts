/**
 * The records a session let go of while its log kept refusing them (past
 * `HELD_MAX`, see `held_spool_files.ts`), counted so that the log can say
 * so once it takes a batch again: one `records_dropped` record (see
 * `record.ts`) with how many, of which types, and when. Only records that
 * gate nothing are counted: the decisions, approvals and the session's own
 * start and end among them stay in its spool files. A session that ends
 * with records its log never took counts them here too, and its end, kept
 * in its spool, carries the count (see `spooled_start_end.ts`). Bounded: a
 * count per type and two times. Pure (times are passed in).
 *
 * @example
 * ```ts
 * const dropped = new DroppedRecords();
 * dropped.add(letGo, Date.now(), lastBatchTakenAt);
 * const record = dropped.take("s-1a2b"); // the records_dropped event, then none until more are let go
 * ```
 */
import type { DroppedCount, RecordsDroppedEvent } from "../audit/record.ts";
import { gatingBody, type Queued } from "./held_spool_files.ts";

/** The `type` a record's JSON starts with (every event's JSON names its type first). */
const TYPE_FIRST = /^\{"type":"([a-z_]{1,40})"/;

/** The types of the records a spool may keep (see `gatingBody`). */
const MAYBE_SPOOLED = new Set(["decision", "approval", "session_start", "session_end", "unknown"]);

/** The type of a waiting record, without parsing its JSON; `unknown` when it cannot be read. */
function typeOf(event: Queued): string {
  if (typeof event !== "string") return event.type;
  return TYPE_FIRST.exec(event)?.[1] ?? "unknown";
}

/** Records let go of and not yet told to the log. */
export class DroppedRecords {
  #types = new Map<string, number>();
  #count = 0;
  #from = 0;
  #until = 0;

  /** How many are waiting to be told. */
  get count(): number {
    return this.#count;
  }

  /**
   * `events`, let go of at `ms` (epoch milliseconds), none of them made
   * before `since` (when the log last took a batch; `ms` when unknown):
   * those that gate nothing are counted (the spool keeps the others). A
   * `records_dropped` record among them, one the log was to be told and
   * never took, adds what it counts instead. Returns how many were.
   */
  add(events: readonly Queued[], ms: number, since = ms): number {
    let added = 0;
    let from = Math.min(since, ms);
    for (const event of events) {
      const told = typeof event === "string" || event.type !== "records_dropped"
        ? undefined
        : event;
      if (told !== undefined && this.#merge(told)) {
        added += told.count;
        from = Math.min(from, Date.parse(told.from));
        continue;
      }
      const type = typeOf(event);
      // Parsed only when it may be one the spool keeps.
      if (MAYBE_SPOOLED.has(type) && gatingBody(event) !== undefined) continue;
      this.#types.set(type, (this.#types.get(type) ?? 0) + 1);
      added++;
    }
    if (added === 0) return 0;
    this.#from = this.#count === 0 ? from : Math.min(this.#from, from);
    this.#count += added;
    this.#until = Math.max(this.#until, ms);
    return added;
  }

  /** Adds the counts of a `records_dropped` record never told; false when they are no counts. */
  #merge(told: RecordsDroppedEvent): boolean {
    const types = told.types as unknown;
    if (!Number.isSafeInteger(told.count) || told.count <= 0) return false;
    if (types === null || typeof types !== "object" || Number.isNaN(Date.parse(told.from))) {
      return false;
    }
    for (const [type, n] of Object.entries(types)) {
      if (typeof n !== "number" || !Number.isSafeInteger(n)) continue;
      this.#types.set(type, (this.#types.get(type) ?? 0) + n);
    }
    return true;
  }

  /** The record that tells of those let go of so far (none when none was), and starts over. */
  take(session: string): RecordsDroppedEvent | undefined {
    const count = this.takeCount();
    return count === undefined ? undefined : { type: "records_dropped", session, ...count };
  }

  /** What was let go of so far (none when nothing was), and starts over. */
  takeCount(): DroppedCount | undefined {
    if (this.#count === 0) return undefined;
    const types: Record<string, number> = {};
    for (const type of [...this.#types.keys()].sort()) types[type] = this.#types.get(type)!;
    const count: DroppedCount = {
      count: this.#count,
      types,
      from: isoTime(this.#from),
      until: isoTime(Math.max(this.#from, this.#until)),
    };
    this.#types = new Map();
    this.#count = 0;
    this.#until = 0;
    return count;
  }
}

/** `ms` as ISO 8601 (the epoch for a time no date holds). */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return (Number.isNaN(date.getTime()) ? new Date(0) : date).toISOString();
}

/**
 * The end's note on what its spooled end counts (see `SessionAudit.end`):
 * `the session's end, kept in the spool, counts the 3 record(s) …`.
 */
export function droppedAtEndNote(dropped: DroppedCount): string {
  const types = Object.entries(dropped.types).map(([type, n]) => `${type} ${n}`).join(", ");
  return `the session's end, kept in the spool, counts the ${dropped.count} record(s) of this ` +
    `session that the audit log lacks (${types}): once a later session takes it in, ` +
    '"thoth audit verify" reports them (records_dropped)';
}
