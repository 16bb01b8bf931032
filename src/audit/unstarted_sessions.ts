/**
 * Sessions that decision or approval records name but no `session_start`
 * record starts. Every session thoth runs writes its `session_start` first
 * (queued before any other record of it; a killed session's spool carries
 * it, and the records taken in from that spool follow it or a start the log
 * already holds), so in a log read from seq 0 a decision or approval of a
 * session that never started comes from no session of this log: nothing
 * says which server, command or user it was made for. Only decisions and
 * approvals are asked about, the records an audit is read for (the caller
 * picks them); records only the writer makes (checkpoint, key_rotation,
 * recovered_torn_tail, state_rebuilt) name no session anyway. Where records
 * start after seq 0 (a bundle's slice, a log whose first records are gone)
 * the start may lie before them: the caller asks only of records read from
 * seq 0. Order does not matter: a start anywhere in the log counts. Pure.
 *
 * @example
 * ```ts
 * const sessions = new UnstartedSessions();
 * sessions.started("s-1");
 * sessions.named("s-2", 7);
 * sessions.findings(); // one session_never_started warning naming s-2 and seq 7
 * ```
 */
import type { Finding } from "./finding.ts";

/** Seqs named per session; the rest are counted. */
const SEQS_NAMED = 5;
/** Sessions given a finding of their own; the rest are counted in the last. */
const SESSIONS_NAMED = 10;

/** Sessions named by records, less those a `session_start` starts. */
export class UnstartedSessions {
  readonly #started = new Set<string>();
  readonly #named = new Map<string, { seqs: number[]; count: number }>();

  /** A `session_start` record of `session`. */
  started(session: string): void {
    this.#started.add(session);
    this.#named.delete(session);
  }

  /** A decision or approval record at `seq` that names `session`. */
  named(session: string, seq: number): void {
    if (this.#started.has(session)) return;
    const entry = this.#named.get(session);
    if (entry === undefined) this.#named.set(session, { seqs: [seq], count: 1 });
    else {
      entry.count += 1;
      if (entry.seqs.length < SEQS_NAMED) entry.seqs.push(seq);
    }
  }

  /** One warning per session never started (the first ten; the rest counted in the tenth). */
  findings(): Finding[] {
    const all = [...this.#named];
    return all.slice(0, SESSIONS_NAMED).map(([session, { seqs, count }], i) => {
      const more = count - seqs.length;
      const rest = all.length - SESSIONS_NAMED;
      return {
        kind: "session_never_started",
        severity: "warning",
        seq: seqs[0]!,
        message:
          `${count === 1 ? "the record at seq" : `${count} records, at seq`} ${seqs.join(", ")}${
            more > 0 ? ` and ${more} more` : ""
          }${count === 1 ? "" : ","} name${
            count === 1 ? "s" : ""
          } session ${session}, which no session_start record starts, though the records are read from seq 0: thoth records a session's start before anything else of it, so ${
            count === 1 ? "it comes" : "they come"
          } from no session this log recorded` +
          (i === SESSIONS_NAMED - 1 && rest > 0
            ? ` (and records name ${rest} more session(s) never started)`
            : ""),
      };
    });
  }
}
