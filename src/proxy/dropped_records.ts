/**
 * The records a session let go of while its log kept refusing them (past
 * `HELD_MAX`, see `held_spool_files.ts`), counted so that the log can say
 * so once it takes a batch again: one `records_dropped` record (see
 * `record.ts`) with how many, of which types, and when. Only records that
 * gate nothing are counted: the decisions, approvals and the session's own
 * start and end among them stay in its spool files. Bounded: a count per
 * type and two times. Pure (times are passed in).
 *
 * @example
 * ```ts
 * const dropped = new DroppedRecords();
 * dropped.add(letGo, Date.now());
 * const record = dropped.take("s-1a2b"); // the records_dropped event, then none until more are let go
 * ```
 */
import type { RecordsDroppedEvent } from "../audit/record.ts";
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
   * `events`, let go of at `ms` (epoch milliseconds): those that gate nothing are
   * counted (the spool keeps the others). Returns how many were.
   */
  add(events: readonly Queued[], ms: number): number {
    let added = 0;
    for (const event of events) {
      const type = typeOf(event);
      // Parsed only when it may be one the spool keeps.
      if (MAYBE_SPOOLED.has(type) && gatingBody(event) !== undefined) continue;
      this.#types.set(type, (this.#types.get(type) ?? 0) + 1);
      added++;
    }
    if (added === 0) return 0;
    if (this.#count === 0) this.#from = ms;
    this.#count += added;
    this.#until = ms;
    return added;
  }

  /** The record that tells of those let go of so far (none when none was), and starts over. */
  take(session: string): RecordsDroppedEvent | undefined {
    if (this.#count === 0) return undefined;
    const types: Record<string, number> = {};
    for (const type of [...this.#types.keys()].sort()) types[type] = this.#types.get(type)!;
    const event: RecordsDroppedEvent = {
      type: "records_dropped",
      session,
      count: this.#count,
      types,
      from: isoTime(this.#from),
      until: isoTime(Math.max(this.#from, this.#until)),
    };
    this.#types = new Map();
    this.#count = 0;
    return event;
  }
}

/** `ms` as ISO 8601 (the epoch for a time no date holds). */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return (Number.isNaN(date.getTime()) ? new Date(0) : date).toISOString();
}
