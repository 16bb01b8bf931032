/**
 * The decisions and approvals a session could write nowhere (neither its
 * spool nor the log took them: a full disk, an unwritable spool folder),
 * kept so that the log can say so once it can be written again: one
 * `decisions_lost` record (see `record.ts`) with how many, the first
 * {@linkcode DECISIONS_LOST_IDS_MAX} decision ids, the time window and the
 * cause. Bounded: a long outage keeps a count, two times and at most that
 * many ids. Pure (times are passed in).
 *
 * @example
 * ```ts
 * const lost = new LostDecisions();
 * lost.add("d-9f2c41aa07e35b18", Date.now(), "cannot write the audit spool: No space left on device");
 * const record = lost.take("s-1a2b"); // the decisions_lost event, then none until more are lost
 * ```
 */
import { DECISIONS_LOST_IDS_MAX, type DecisionsLostEvent } from "../audit/record.ts";
import { displayText } from "../approval/display_text.ts";

/** The longest reason a `decisions_lost` record keeps, in characters. */
export const DECISIONS_LOST_REASON_MAX = 500;

/** Lost gating records not yet told to the log. */
export class LostDecisions {
  #ids: string[] = [];
  #count = 0;
  #from = 0;
  #until = 0;
  #reason = "";

  /** How many are waiting to be told. */
  get count(): number {
    return this.#count;
  }

  /** One more record lost at `ms` (epoch milliseconds), for `reason` (the first one's is kept). */
  add(decisionId: string, ms: number, reason: string): void {
    if (this.#count === 0) {
      this.#from = ms;
      this.#reason = reason;
    }
    this.#count++;
    this.#until = ms;
    if (this.#ids.length < DECISIONS_LOST_IDS_MAX) this.#ids.push(decisionId);
  }

  /** The record that tells of those lost so far (none when none was), and starts over. */
  take(session: string): DecisionsLostEvent | undefined {
    if (this.#count === 0) return undefined;
    const event: DecisionsLostEvent = {
      type: "decisions_lost",
      session,
      count: this.#count,
      decisionIds: this.#ids,
      from: isoTime(this.#from),
      until: isoTime(Math.max(this.#from, this.#until)),
      reason: displayText(this.#reason, DECISIONS_LOST_REASON_MAX),
    };
    this.#ids = [];
    this.#count = 0;
    this.#reason = "";
    return event;
  }
}

/** `ms` as ISO 8601 (the epoch for a time no date holds). */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return (Number.isNaN(date.getTime()) ? new Date(0) : date).toISOString();
}
