/**
 * Outcome and approval records of a decision the log does not hold. A
 * session writes a call's decision to its spool before the call is
 * forwarded or asked about, and the spool's records reach the log before
 * the outcome that follows them, or, when the session is killed, with a
 * later session that takes its spool in: in a log read from seq 0, an
 * outcome or an approval whose decision is nowhere in it names a call
 * whose decision was never recorded (the spool could not be written, and
 * the call went on in observe mode), is still in a spool file no session
 * has taken in yet, or was removed. Order does not matter: a decision
 * anywhere in the log counts, and so does a `decisions_lost` record that
 * names it (the session recorded that it could not record it). A warning in a device's log; in a bundle,
 * whose decision may have been written after its last record (a spool
 * taken in late), a fact. Decision ids are kept as 53-bit hashes, not as
 * strings, to keep a large log's verification small. Pure.
 *
 * @example
 * ```ts
 * const undecided = new UndecidedRecords();
 * undecided.decided("d-1");
 * undecided.named("outcome", "d-2", 7);
 * undecided.findings(false); // one decision_missing warning naming d-2 at seq 7
 * ```
 */
import type { Finding } from "./finding.ts";

/** Records named in the finding; the rest are counted. */
const NAMED = 5;

/** The records that name a decision. */
export type NamingKind = "outcome" | "approval";

/** Decisions recorded, and records that name one. */
export class UndecidedRecords {
  readonly #decided = new Set<number>();
  /** Records whose decision was not seen when they were read, in log order. */
  readonly #named: { kind: NamingKind; id: string; seq: number; hash: number }[] = [];

  /** A decision record with id `id` (or a `decisions_lost` record that names it). */
  decided(id: string): void {
    this.#decided.add(idHash(id));
  }

  /** An outcome or approval record at `seq` that names decision `id`. */
  named(kind: NamingKind, id: string, seq: number): void {
    const hash = idHash(id);
    if (!this.#decided.has(hash)) this.#named.push({ kind, id, seq, hash });
  }

  /** One finding for every record whose decision the log does not hold; none when all do. */
  findings(bundle: boolean): Finding[] {
    const missing = this.#named.filter((n) => !this.#decided.has(n.hash));
    if (missing.length === 0) return [];
    const named = missing.slice(0, NAMED).map((n) => `${n.kind} at seq ${n.seq} (decision ${n.id})`)
      .join(", ");
    const more = missing.length - NAMED;
    const count = missing.length;
    return [{
      kind: "decision_missing",
      severity: bundle ? "info" : "warning",
      seq: missing[0]!.seq,
      message: `${count} outcome or approval record(s) name a decision the ${
        bundle ? "bundle" : "log"
      } does not hold: ${named}${more > 0 ? ` and ${more} more` : ""}; ${
        bundle
          ? "the decision may have been written after the bundle's last record (a killed session's spool taken in later), or was never recorded"
          : "thoth records a call's decision before it forwards or asks about the call, so it was never recorded (the spool could not be written and the call went on in observe mode), it still waits in a spool file no session has taken in (thoth run takes those in), or it was removed"
      }`,
    }];
  }
}

/** A 53-bit hash of `id` (two 32-bit FNV-1a hashes with different seeds). */
function idHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000197);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff);
}
