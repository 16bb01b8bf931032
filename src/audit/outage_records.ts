/**
 * What a session recorded it could not write while the log or its spool
 * could not be written (a full disk, an unwritable folder): a
 * `decisions_lost` record names the decisions and approvals it lost (the
 * ids of the first 100; an approval names the decision it answers), a
 * `records_dropped` record counts the records it let go past its bound, and
 * a `recovered_torn_tail` record says a partial record was cut from the
 * log's end. `verify` counts them when it judges what the log lacks: a
 * step-up whose approval a `decisions_lost` record names (or any of its
 * session's, when the record lost more than it names) is accounted for,
 * and a session without an end whose records say the log could not take
 * them is said to have an end that could not be written. Pure.
 *
 * @example
 * ```ts
 * const outages = new OutageRecords();
 * outages.seen("s-1", 4);
 * outages.decisionsLost({ session: "s-1", count: 2, decisionIds: ["d-1", "d-2"] }, 9);
 * outages.approvalLost("d-2", "s-1"); // 9
 * outages.of("s-1").named; // "decisions_lost at seq 9"
 * ```
 */
import { fromUnverifiedTally } from "./lost_tally_record.ts";

/** What the records say of one session's missing end. */
export interface SessionOutage {
  /** The session's own outage records, in words ("decisions_lost at seq 9, …"). */
  named?: string;
  /** `; a partial record cut at seq N may have been it` for a torn tail after its last record. */
  torn?: string;
}

/** The outage records of a log, as read. */
export class OutageRecords {
  /** Decision ids a `decisions_lost` record names, with its seq (the first that does). */
  readonly #lostIds = new Map<string, number>();
  /** Sessions whose `decisions_lost` record lost more than it names, with its seq. */
  readonly #lostUnnamed = new Map<string, number>();
  /** Each session's outage records, by seq. */
  readonly #bySession = new Map<string, { kind: string; seq: number }[]>();
  /** Each session's last record. */
  readonly #last = new Map<string, number>();
  /** The seqs of the `recovered_torn_tail` records. */
  readonly #torn: number[] = [];

  /** A record of session `session` at `seq`. */
  seen(session: string, seq: number): void {
    this.#last.set(session, seq);
  }

  /**
   * A `decisions_lost` record at `seq`; one written from a lost tally whose
   * MAC did not verify accounts for nothing (see `lost_tally_record.ts`).
   */
  decisionsLost(record: Record<string, unknown>, seq: number): void {
    if (fromUnverifiedTally(record)) return;
    const session = typeof record["session"] === "string" ? record["session"] : undefined;
    const ids = Array.isArray(record["decisionIds"])
      ? record["decisionIds"].filter((id): id is string => typeof id === "string")
      : [];
    for (const id of ids) if (!this.#lostIds.has(id)) this.#lostIds.set(id, seq);
    if (session === undefined) return;
    this.#add(session, "decisions_lost", seq);
    const count = record["count"];
    if (typeof count === "number" && count > ids.length && !this.#lostUnnamed.has(session)) {
      this.#lostUnnamed.set(session, seq);
    }
  }

  /** A `records_dropped` record of `session` at `seq`. */
  recordsDropped(session: string, seq: number): void {
    this.#add(session, "records_dropped", seq);
  }

  /** A `recovered_torn_tail` record at `seq`. */
  tornTail(seq: number): void {
    this.#torn.push(seq);
  }

  /**
   * The seq of the `decisions_lost` record that accounts for the approval
   * of decision `id` of `session`, if one does.
   */
  approvalLost(id: string, session: string | undefined): number | undefined {
    return this.#lostIds.get(id) ??
      (session === undefined ? undefined : this.#lostUnnamed.get(session));
  }

  /** What the records say of the missing end of `session`. */
  of(session: string): SessionOutage {
    const own = this.#bySession.get(session) ?? [];
    const last = this.#last.get(session);
    const torn = last === undefined ? undefined : this.#torn.find((seq) => seq > last);
    return {
      ...(own.length === 0
        ? {}
        : { named: own.map(({ kind, seq }) => `${kind} at seq ${seq}`).join(", ") }),
      ...(torn === undefined
        ? {}
        : { torn: `; a partial record cut at seq ${torn} (recovered_torn_tail) may have been it` }),
    };
  }

  #add(session: string, kind: string, seq: number): void {
    const list = this.#bySession.get(session) ?? [];
    list.push({ kind, seq });
    this.#bySession.set(session, list);
  }
}
