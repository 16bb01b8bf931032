/**
 * The earliest and latest times of records read one by one, by the rule
 * `show` prints and `export` chooses records by (see `record_time.ts`: a
 * record written late is at its decision's `decidedAt`, every other at its
 * `ts`). `verify --bundle` names them as the period a bundle's records
 * cover. A record with only a `ts` in the shape the writer gives it
 * (`2026-03-01T10:00:00.000Z`) that falls, as text, between the earliest
 * and latest seen so far changes neither and is not parsed: times of that
 * shape sort as text. Pure.
 *
 * @example
 * ```ts
 * const span = new RecordTimeSpan();
 * span.add({ ts: "2026-03-01T10:00:05.000Z", decidedAt: "2026-03-01T09:59:58.000Z" });
 * span.earliest(); // "2026-03-01T09:59:58.000Z"
 * ```
 */
import { recordTimeMs } from "./record_time.ts";

/** The earliest and latest record times seen. */
export class RecordTimeSpan {
  #earliest = { ms: Infinity, text: "" };
  #latest = { ms: -Infinity, text: "" };

  /** Takes one record's time into account. */
  add(record: Readonly<Record<string, unknown>>): void {
    const ts = record["ts"];
    if (
      record["decidedAt"] === undefined && typeof ts === "string" && isoShaped(ts) &&
      ts >= this.#earliest.text && ts <= this.#latest.text
    ) {
      return;
    }
    const ms = recordTimeMs(record);
    if (Number.isNaN(ms)) return;
    const text = new Date(ms).toISOString();
    if (ms < this.#earliest.ms) this.#earliest = { ms, text };
    if (ms > this.#latest.ms) this.#latest = { ms, text };
  }

  /** The earliest time (ISO 8601 UTC), null when no record had one. */
  earliest(): string | null {
    return this.#earliest.text === "" ? null : this.#earliest.text;
  }

  /** The latest time (ISO 8601 UTC), null when no record had one. */
  latest(): string | null {
    return this.#latest.text === "" ? null : this.#latest.text;
  }
}

/** Whether `ts` has the shape `Date.prototype.toISOString` gives (four-digit years). */
function isoShaped(ts: string): boolean {
  return ts.length === 24 && ts[10] === "T" && ts[19] === "." && ts[23] === "Z";
}
