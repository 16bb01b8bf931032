/**
 * The earliest and latest times of records read one by one, by the rule
 * `show` prints and `export` chooses records by (see `record_time.ts`: a
 * record written late is at its decision's `decidedAt`, every other at its
 * `ts`). `verify --bundle` names them as the period a bundle's records
 * cover. A record with only a `ts` in the shape the writer gives it
 * (`2026-03-01T10:00:00.000Z`) is not parsed: times of that shape sort as
 * text, so only the least and greatest of them are, once, at the end (a log
 * whose every record comes later than the one before parsed each; verify
 * over a million records took 2 s more). Pure.
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
  /** The least and greatest `ts` of records timed by it alone, in the writer's shape: compared as text. */
  #textMin = "";
  #textMax = "";
  /** The records timed otherwise (a `decidedAt`, a `ts` of another shape): parsed. */
  #earliest = { ms: Infinity, text: "" };
  #latest = { ms: -Infinity, text: "" };

  /** Takes one record's time into account. */
  add(record: Readonly<Record<string, unknown>>): void {
    const ts = record["ts"];
    if (record["decidedAt"] === undefined && typeof ts === "string" && isoShaped(ts)) {
      // Times of this shape sort as text: no parsing for the common record.
      if (this.#textMin === "" || ts < this.#textMin) this.#textMin = ts;
      if (ts > this.#textMax) this.#textMax = ts;
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
    return pick(this.#earliest, this.#textMin, (a, b) => a < b);
  }

  /** The latest time (ISO 8601 UTC), null when no record had one. */
  latest(): string | null {
    return pick(this.#latest, this.#textMax, (a, b) => a > b);
  }
}

/**
 * The parsed extreme or the textual one, whichever `beyond` prefers; a
 * textual one that is no real time (`2026-13-45T…`) counts for nothing.
 */
function pick(
  parsed: { ms: number; text: string },
  text: string,
  beyond: (a: number, b: number) => boolean,
): string | null {
  const ms = text === "" ? NaN : Date.parse(text);
  const fromText = Number.isNaN(ms) ? undefined : { ms, text: new Date(ms).toISOString() };
  if (fromText === undefined) return parsed.text === "" ? null : parsed.text;
  if (parsed.text === "") return fromText.text;
  return beyond(fromText.ms, parsed.ms) ? fromText.text : parsed.text;
}

/** Whether `ts` has the shape `Date.prototype.toISOString` gives (four-digit years). */
function isoShaped(ts: string): boolean {
  return ts.length === 24 && ts[10] === "T" && ts[19] === "." && ts[23] === "Z";
}
