/**
 * A session's writes of gating records (decisions, approvals) to its spool,
 * each before its call is released: the record in the OS now and queued for
 * the log, or, when the spool is missing or a write fails, the record
 * counted as lost and the call refused. A failure is said once; the spool's
 * recovery is said when a write succeeds again, and the log is then told
 * which records it lacks (see `lost_gating_records.ts`).
 *
 * @example
 * ```ts
 * const writes = new GatingSpoolWrites({ spool, noSpool, batches, lost, notice, note });
 * if (!writes.write(decisionRecord)) refuseTheCall();
 * ```
 */
import type { AuditEvent } from "../audit/record.ts";
import type { DecisionSpool } from "../audit/decision_spool.ts";
import type { LogBatches } from "./log_batches.ts";
import type { LossCause, LostRecords } from "./lost_gating_records.ts";
import type { UnwritableNotice } from "./unwritable_audit_notes.ts";

/** What the writes need of their session. */
export interface GatingSpoolHost {
  /** The session's spool, undefined when it has none. */
  readonly spool: () => DecisionSpool | undefined;
  /** Why there is no spool (no log, or it could not be opened), for the records lost for it. */
  readonly noSpool: () => LossCause | undefined;
  readonly batches: LogBatches;
  readonly lost: LostRecords;
  readonly notice: UnwritableNotice;
  readonly note: (line: string) => void;
}

/** One session's gating-record writes (see the module's note). */
export class GatingSpoolWrites {
  readonly #host: GatingSpoolHost;
  /** A spool write failed, and none has succeeded since (its recovery is said once). */
  #fault = false;

  constructor(host: GatingSpoolHost) {
    this.#host = host;
  }

  /**
   * Puts a gating record in the OS now (and in the queue for the log);
   * false, after one stderr line, when it cannot or the log is failing.
   */
  write(event: AuditEvent): boolean {
    const { batches, lost, notice } = this.#host;
    const spool = this.#host.spool();
    if (spool === undefined) {
      lost.lose(
        event,
        this.#host.noSpool() ?? { fault: "spool", text: "the audit spool is not open" },
      );
      return false;
    }
    let body: string;
    try {
      body = spool.write(event);
    } catch (error) {
      const cause = `cannot write the audit spool: ${message(error)}`;
      this.#fault = true;
      notice.say(cause);
      lost.lose(event, { fault: "spool", text: cause });
      return false;
    }
    if (this.#fault) {
      this.#fault = false;
      // A later failure is said again (unless the log itself is failing, which says its own).
      if (!batches.broken) notice.reset();
      this.#host.note(
        "the audit spool is writable again; decisions and approvals are recorded again" +
          (batches.broken ? "" : " and governed calls proceed"),
      );
      // The log is told which ones it lacks, before this one.
      lost.tell();
    }
    batches.spooled(body);
    return !batches.broken;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
