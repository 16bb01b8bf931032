/**
 * The time a gating record (a decision, an approval) was spooled, which is
 * the time of the decision or the answer: the spool writes it into the
 * event's JSON as its last member, `"spooledMs":<epoch ms>`, a number (no
 * date is formatted on a call's path), covered by the line's MAC. The log
 * takes it out again: a record written within {@linkcode LATE_MS} of it
 * carries only its own `ts`; one written later (taken in from a killed
 * session's spool, or held while the log could not be written) carries the
 * time as `decidedAt` too (see `record.ts`). A spool line of an earlier
 * release has no stamp: its record carries `ts` only. An earlier release
 * reading a stamped line takes it in as any other member. Pure.
 *
 * @example
 * ```ts
 * const body = stampBody(JSON.stringify(decisionEvent), 1767225600000); // …,"spooledMs":1767225600000}
 * splitStamp(body); // { body: JSON.stringify(decisionEvent), ms: 1767225600000 }
 * ```
 */

/** The member a spooled event's JSON carries its spool time in. */
export const SPOOL_STAMP_KEY = "spooledMs";

/**
 * How far a record's `ts` may be from its spool time before the record
 * carries that time as `decidedAt`: a batch reaches the log within tens of
 * milliseconds, or a few hundred on a busy machine.
 */
export const LATE_MS = 1000;

/** What a stamp starts with, after the event's last member. */
const PREFIX = `,"${SPOOL_STAMP_KEY}":`;

/** The most digits a stamp has (epoch ms fit in 16). */
const MAX_DIGITS = 16;

/** The latest time a `Date` holds: a later stamp is no time. */
const MAX_TIME_MS = 8.64e15;

/**
 * `body` (an event's `JSON.stringify`, an object with members) with the
 * stamp `ms` as its last member.
 */
export function stampBody(body: string, ms: number): string {
  return `${body.slice(0, -1)}${PREFIX}${Math.trunc(ms)}}`;
}

/**
 * The event's JSON without its stamp, and the stamp, when `body` ends in one
 * ({@linkcode stampBody}); undefined when it does not (a record that gates
 * nothing, a line of an earlier release). Looks at the end of `body` only.
 */
export function splitStamp(body: string): { body: string; ms: number } | undefined {
  const end = body.length - 1;
  if (body.charCodeAt(end) !== 0x7d) return undefined;
  let at = end;
  while (at > 0 && end - at < MAX_DIGITS && isDigit(body.charCodeAt(at - 1))) at--;
  if (at === end || !isDigit(body.charCodeAt(at))) return undefined;
  const start = at - PREFIX.length;
  if (start < 1 || !body.startsWith(PREFIX, start)) return undefined;
  const ms = Number(body.slice(at, end));
  if (ms > MAX_TIME_MS) return undefined;
  return { body: `${body.slice(0, start)}}`, ms };
}

/**
 * The stamp of an event read back from a spool file (its `spooledMs`), when
 * it carries one that is a time; undefined when it carries none; null when
 * it carries one that is no time (a line no thoth wrote).
 */
export function eventStamp(event: Record<string, unknown>): number | undefined | null {
  if (!Object.hasOwn(event, SPOOL_STAMP_KEY)) return undefined;
  const ms = event[SPOOL_STAMP_KEY];
  return typeof ms === "number" && Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_TIME_MS
    ? ms
    : null;
}

/** `event` less its stamp: the JSON the log stores after the envelope (see `spooledKey`). */
export function withoutStamp<T extends object>(event: T): T {
  if (!Object.hasOwn(event, SPOOL_STAMP_KEY)) return event;
  const { [SPOOL_STAMP_KEY]: _ms, ...rest } = event as Record<string, unknown>;
  return rest as T;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
