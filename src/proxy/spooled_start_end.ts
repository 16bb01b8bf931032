/**
 * A session's own start and end in its spool, beside its decisions: the
 * start is written there before any decision, and the end when the log did
 * not take it, so that a session whose log never opened (its lock held
 * throughout) or refused its records past `HELD_MAX` is still recorded as
 * started and ended once a later session takes its spool in (see
 * `take_orphan_spools.ts`, which skips those the log holds already). Such
 * an end carries the count, by type, of the session's records that gate
 * nothing and that the log never took (see `dropped_records.ts`), so that
 * the log says what it lacks of the session.
 *
 * @example
 * ```ts
 * queue.push(spooledOr(spool, startEvent)); // its spooled JSON, or the event when the spool cannot
 * spoolEndIn(queue, "s-1a2b", spool, lost); // at the end, when the log refused the last batch
 * ```
 */
import type { DecisionSpool } from "../audit/decision_spool.ts";
import type { DroppedCount, SessionEndEvent, SessionStartEvent } from "../audit/record.ts";
import type { Queued } from "./held_spool_files.ts";

/**
 * `event` written to `spool` (keyed already): its spooled JSON, to queue in
 * its place; `event` itself when there is no spool or it cannot take it
 * (the record then waits in the queue only, as it did before).
 */
export function spooledOr(
  spool: DecisionSpool | undefined,
  event: SessionStartEvent | SessionEndEvent,
): Queued {
  if (spool === undefined) return event;
  try {
    return spool.write(event);
  } catch {
    // Said by the first decision the spool cannot take (the end's note says what is lost).
    return event;
  }
}

/**
 * Writes `session`'s end, which waits in `queue` (the log refused it), to
 * `spool`, in its place in the queue, with `dropped` (what the log never
 * took of the session) when any was: the end's note then says it stays in
 * the spool. Returns whether the spool took it.
 */
export function spoolEndIn(
  queue: Queued[],
  session: string,
  spool: DecisionSpool | undefined,
  dropped?: DroppedCount,
): boolean {
  const at = sessionEndAt(queue, session);
  if (at < 0) return false;
  const end = queue[at] as SessionEndEvent;
  queue[at] = spooledOr(spool, dropped === undefined ? end : { ...end, recordsDropped: dropped });
  return typeof queue[at] === "string";
}

/** Where `session`'s own end (its event, not spooled yet) waits in `queue`; -1 when it does not. */
export function sessionEndAt(queue: readonly Queued[], session: string): number {
  return queue.findIndex((event) =>
    typeof event !== "string" && event.type === "session_end" && event.session === session
  );
}

/** Whether a waiting record is `session`'s start (its spooled JSON, or the event). */
export function isStartOf(event: Queued, session: string): boolean {
  if (typeof event !== "string") return event.type === "session_start" && event.session === session;
  if (!event.startsWith('{"type":"session_start",')) return false;
  try {
    return (JSON.parse(event) as { session?: unknown }).session === session;
  } catch {
    return false;
  }
}
