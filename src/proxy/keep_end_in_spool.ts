/**
 * What a session's end does with the records its log did not take at the
 * last: the session's end is kept in the spool (a later session takes it
 * in, see `spooled_start_end.ts`), counting what else of the session the
 * log lacks; stderr says what was not written; the rest is let go.
 *
 * @example
 * ```ts
 * if (!written && batches.queue.length > 0) keepEndInSpool(batches, session, spool, note);
 * ```
 */
import type { DecisionSpool } from "../audit/decision_spool.ts";
import type { LogBatches } from "./log_batches.ts";
import { sessionEndAt, spoolEndIn } from "./spooled_start_end.ts";
import { droppedAtEndNote } from "./dropped_records.ts";
import { unwrittenAtEnd } from "./unwritable_audit_notes.ts";

/**
 * Keeps `session`'s end, waiting in `batches`, in `keyed` (the spool, once
 * its key is loaded; undefined when there is none), says on stderr what the
 * log lacks, and lets the waiting records go.
 */
export function keepEndInSpool(
  batches: LogBatches,
  session: string,
  keyed: DecisionSpool | undefined,
  note: (line: string) => void,
): void {
  const queue = batches.queue;
  // The end kept in the spool counts what else of the session the log lacks.
  const end = queue[sessionEndAt(queue, session)];
  const dropped = keyed === undefined || end === undefined ? undefined : batches.droppedAtEnd(end);
  const kept = spoolEndIn(queue, session, keyed, dropped);
  note(unwrittenAtEnd(queue));
  if (kept && dropped !== undefined) note(droppedAtEndNote(dropped));
  batches.letGo();
}
