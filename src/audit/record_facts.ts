/**
 * What the verifier keeps per record while segments stream in: compact
 * typed arrays for seq, prev and leaf hashes, plus the few fields the
 * warnings and checkpoint checks need. Pure.
 *
 * @example
 * ```ts
 * const facts = new RecordFacts();
 * facts.reserve(lines.length);
 * facts.addRecord("seg-000000000000-2026-01-01.jsonl", parsed);
 * ```
 */
import type { Finding } from "./finding.ts";
import type { KeyRotationFact } from "./key_rotation_fact.ts";
import { HASH_SIZE } from "./merkle_hash.ts";
import { isFrontierOf } from "./merkle_frontier.ts";
import { stateRebuiltFinding, stateRebuiltMacFinding } from "./lost_records.ts";
import type { RebuiltWitness } from "./rebuilt_witness.ts";
import { RepeatedIds } from "./repeated_ids.ts";
import { UnstartedSessions } from "./unstarted_sessions.ts";
import { ClockJumps } from "./clock_jumps.ts";
import { spoolRefusedFinding } from "./spool_refused_finding.ts";
import { recordsDroppedFinding } from "./records_dropped_finding.ts";
import { UndecidedRecords } from "./undecided_records.ts";
import { OutageRecords } from "./outage_records.ts";
import { fromUnverifiedTally, unverifiedTallyFinding } from "./lost_tally_record.ts";
import { appendAll } from "./append_all.ts";
import { RecordTimeSpan } from "./record_time_span.ts";

/** A checkpoint record found inside the log. */
export interface EmbeddedCheckpoint {
  seq: number;
  position: number;
  note: string;
}

/** Growing per-record facts. */
export class RecordFacts {
  count = 0;
  maxSeq = -1;
  seqs = new Float64Array(1024);
  prevs = new Uint8Array(1024 * HASH_SIZE);
  leaves = new Uint8Array(1024 * HASH_SIZE);
  readonly embeddedCheckpoints: EmbeddedCheckpoint[] = [];
  readonly infoFindings: Finding[] = [];
  /** What state_rebuilt records say was lost, or could not be counted. */
  readonly stateFindings: Finding[] = [];
  /** What each state_rebuilt record kept of the state file: the count and last leaf hash. */
  readonly stateWitnesses: RebuiltWitness[] = [];
  /** Records that are readable but cannot be what the writer wrote. */
  readonly tamperFindings: Finding[] = [];
  /** The key_rotation records, in log order, with their positions among the records read. */
  readonly rotations: (KeyRotationFact & { position: number })[] = [];
  /** The earliest and latest times of the readable records (see `record_time_span.ts`). */
  readonly times = new RecordTimeSpan();
  readonly #segmentStarts: { position: number; name: string }[] = [];
  /** Step-ups that asked someone: their seq and session. */
  readonly #stepUps = new Map<string, { seq: number; session: string | undefined }>();
  readonly #approved = new Set<string>();
  readonly #sessions = new Map<string, number>();
  /** Sessions that ended, with the seq of their end record. */
  readonly #ended = new Map<string, number>();
  /**
   * Sessions whose spool a later session took in (`spool_recovered`: the
   * file is named `<session>-<n>.jsonl`), with the seq of the first such
   * record. A session that took back its own files (records it let go while
   * its log refused them) is not among them: it was alive to do so.
   */
  readonly #recovered = new Map<string, number>();
  /** Decision and approval ids recorded more than once (see `RepeatedIds`). */
  readonly #ids = new RepeatedIds();
  /** Spool files a session refused to take in (`spool_refused`): a warning each. */
  readonly #refusedSpools: Finding[] = [];
  /**
   * Records sessions could not write, as they counted them (`records_dropped`,
   * a `session_end` with `recordsDropped`): a warning each.
   */
  readonly #dropped: Finding[] = [];
  /** Sessions records name that no session_start starts (asked of a log read from seq 0). */
  readonly #unstarted = new UnstartedSessions();
  /** Whether the first record read is seq 0: the whole log from its start is in view. */
  #fromZero = false;
  /** Records dated earlier than the one before them. */
  readonly #clock = new ClockJumps();
  /** Outcomes and approvals of decisions the log does not hold (asked of a log read from seq 0). */
  readonly #undecided = new UndecidedRecords();
  /** What could not be written while the log or the spool could not be (see `outage_records.ts`). */
  readonly #outages = new OutageRecords();

  /** Makes room for `more` records. */
  reserve(more: number): void {
    const need = this.count + more;
    if (need <= this.seqs.length) return;
    let capacity = this.seqs.length;
    while (capacity < need) capacity *= 2;
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    const prevs = new Uint8Array(capacity * HASH_SIZE);
    prevs.set(this.prevs);
    const leaves = new Uint8Array(capacity * HASH_SIZE);
    leaves.set(this.leaves);
    this.seqs = seqs;
    this.prevs = prevs;
    this.leaves = leaves;
  }

  /** The segment that holds a position. */
  sourceOf(position: number): string {
    let name = "";
    for (const start of this.#segmentStarts) {
      if (start.position > position) break;
      name = start.name;
    }
    return name;
  }

  /** Records one line (`undefined` when it is not a readable record); `reserve` first. */
  addRecord(
    segment: string,
    record: (Record<string, unknown> & { seq: number; prev: Uint8Array }) | undefined,
  ): void {
    const p = this.count++;
    const lastStart = this.#segmentStarts[this.#segmentStarts.length - 1];
    if (lastStart === undefined || lastStart.name !== segment) {
      this.#segmentStarts.push({ position: p, name: segment });
    }
    if (record === undefined) {
      this.seqs[p] = Number.NaN;
      return;
    }
    const seq = record.seq;
    this.seqs[p] = seq;
    this.prevs.set(record.prev, p * HASH_SIZE);
    if (seq > this.maxSeq) this.maxSeq = seq;
    const str = (key: string): string | undefined =>
      typeof record[key] === "string" ? record[key] as string : undefined;
    this.times.add(record);
    if (p === 0) this.#fromZero = seq === 0;
    const ts = str("ts");
    if (ts !== undefined) this.#clock.add(seq, ts);
    const named = str("session");
    if (named !== undefined) this.#outages.seen(named, seq);
    if (named !== undefined) {
      if (record["type"] === "session_start") this.#unstarted.started(named);
      else if (record["type"] === "decision" || record["type"] === "approval") {
        this.#unstarted.named(named, seq);
      }
    }
    switch (record["type"]) {
      case "decision": {
        const id = str("decisionId");
        // Only a step-up that asked someone awaits an approval record: in
        // observe mode, or when the mode blocked or warned instead, none is due.
        const asked = record["effect"] === undefined || record["effect"] === "approval_requested";
        if (record["verdict"] === "step_up" && asked && id !== undefined) {
          this.#stepUps.set(id, { seq, session: str("session") });
        }
        if (id !== undefined) {
          this.#ids.add("decision", id, seq);
          this.#undecided.decided(id);
        }
        break;
      }
      case "outcome": {
        const id = str("decisionId");
        if (id !== undefined) this.#undecided.named("outcome", id, seq);
        break;
      }
      case "decisions_lost": {
        if (fromUnverifiedTally(record)) {
          // Taken in by an earlier thoth from a tally it did not verify: accounts for nothing.
          this.#refusedSpools.push(unverifiedTallyFinding(record, seq, this.sourceOf(p)));
          break;
        }
        // The log says these decisions could not be recorded: their outcomes are accounted for.
        const ids = record["decisionIds"];
        if (Array.isArray(ids)) {
          for (const id of ids) if (typeof id === "string") this.#undecided.decided(id);
        }
        this.#outages.decisionsLost(record, seq);
        break;
      }
      case "records_dropped": {
        const session = str("session");
        if (session !== undefined) this.#outages.recordsDropped(session, seq);
        const finding = recordsDroppedFinding(record, seq, this.sourceOf(p));
        if (finding !== undefined) this.#dropped.push(finding);
        break;
      }
      case "approval": {
        // A stateless approval answers the call that asked and the retry that carried it.
        for (const key of ["decisionId", "retryDecisionId"]) {
          const id = str(key);
          if (id !== undefined) this.#approved.add(id);
        }
        const id = str("decisionId");
        const retry = str("retryDecisionId");
        if (id !== undefined) {
          this.#ids.add("approval", retry === undefined ? id : `${id}\u0000${retry}`, seq, id);
          this.#undecided.named("approval", id, seq);
        }
        break;
      }
      case "spool_recovered": {
        const session = /^(.+)-\d+\.jsonl(?:\.claimed-.*)?$/.exec(str("file") ?? "")?.[1];
        // Its own file, taken back by the session itself, says nothing of its being gone.
        const own = session === str("session");
        if (session !== undefined && !own && !this.#recovered.has(session)) {
          this.#recovered.set(session, seq);
        }
        break;
      }
      case "spool_refused":
        this.#refusedSpools.push(spoolRefusedFinding(record, seq, this.sourceOf(p)));
        break;
      case "session_start": {
        const id = str("session");
        if (id !== undefined) this.#sessions.set(id, seq);
        break;
      }
      case "session_end": {
        const id = str("session");
        if (id !== undefined) this.#ended.set(id, seq);
        // An end a session kept in its spool counts what else of it the log never took.
        const finding = recordsDroppedFinding(record, seq, this.sourceOf(p));
        if (finding !== undefined) this.#dropped.push(finding);
        break;
      }
      case "checkpoint": {
        const note = str("note");
        if (note !== undefined) this.embeddedCheckpoints.push({ seq, position: p, note });
        else {
          // The writer never leaves a checkpoint unsigned: without its note
          // the record vouches for nothing, which is what removing it is for.
          this.tamperFindings.push({
            kind: "modified",
            severity: "tamper",
            seq,
            source: this.sourceOf(p),
            message: `the checkpoint record at seq ${seq} carries no signed note: it was stripped`,
          });
        }
        break;
      }
      case "key_rotation":
        this.rotations.push({
          seq,
          position: p,
          oldKeyHash: record["oldKeyHash"],
          newVerifierKey: record["newVerifierKey"],
          endorsement: record["endorsement"],
        });
        break;
      case "recovered_torn_tail":
        this.#outages.tornTail(seq);
        this.infoFindings.push({
          kind: "recovered_torn_tail",
          severity: "info",
          seq,
          message: `a writer recovered a torn tail: ${
            record["bytesCut"]
          } bytes of a partial record were cut from ${record["segment"]}`,
        });
        break;
      case "state_rebuilt": {
        const finding = stateRebuiltFinding(record, seq, this.sourceOf(p));
        if (finding.severity === "info") this.infoFindings.push(finding);
        else this.stateFindings.push(finding);
        const macFailed = stateRebuiltMacFinding(record, seq, this.sourceOf(p));
        if (macFailed !== undefined) this.stateFindings.push(macFailed);
        const size = record["size"];
        const counted = record["stateSize"];
        const last = str("stateLast");
        if (
          typeof size === "number" && Number.isSafeInteger(size) && typeof counted === "number" &&
          Number.isSafeInteger(counted) && last !== undefined
        ) {
          const frontier = record["stateFrontier"];
          this.stateWitnesses.push({
            seq,
            size,
            counted,
            last,
            // Only a frontier of the count it names (one hash per set bit): any
            // other is no writer's, and is not compared (nor held) at all.
            ...(isFrontierOf(counted, frontier) ? { frontier } : {}),
          });
        }
        break;
      }
    }
  }

  /**
   * Warnings: step-ups nobody answered, sessions that never ended. A bundle
   * is a slice of a log: a session still open at its last record may close
   * after it, so such a session, and a step-up of it, is a fact there
   * (info). A step-up whose session ended inside the bundle was never
   * answered, as in a log: a warning. So is a session the bundle shows was
   * killed (a later session took in its spool: `spool_recovered`; one that
   * took back its own files was alive to do so), and a
   * step-up of it, as the device's own verify says. Read from seq 0, decisions and
   * approvals of a session no session_start starts warn (see
   * `unstarted_sessions.ts`), and so do outcomes and approvals of a decision
   * the log does not hold (see `undecided_records.ts`); so does a record dated earlier than the one
   * before it past a tolerance (see `clock_jumps.ts`), and so do records a
   * session could not write and counted (see `records_dropped_finding.ts`).
   */
  warningFindings(bundle = false): Finding[] {
    const findings: Finding[] = [];
    for (const [id, { seq, session }] of this.#stepUps) {
      if (this.#approved.has(id)) continue;
      const ended = session === undefined ? undefined : this.#ended.get(session);
      // A session whose spool a later one took in is gone: its step-up stays unanswered.
      const open = bundle && session !== undefined && ended === undefined &&
        !this.#recovered.has(session);
      // A decisions_lost record that names it (or its session's, past the ids it names).
      const lostAt = this.#outages.approvalLost(id, session);
      if (lostAt !== undefined) {
        findings.push({
          kind: "step_up_without_approval",
          severity: "info",
          seq,
          message: `decision ${id} asked for approval and no approval record follows: the ` +
            `decisions_lost record at seq ${lostAt} accounts for it (its session could not ` +
            "record it: a full disk or an unwritable spool folder)",
        });
        continue;
      }
      findings.push({
        kind: "step_up_without_approval",
        severity: open ? "info" : "warning",
        seq,
        message: open
          ? `decision ${id} asked for approval and no approval record follows in this bundle, where its session ${session} is still open at the last record: the approval may lie after it`
          : ended !== undefined && bundle
          ? `decision ${id} asked for approval but no approval record follows before its session ${session} ended at seq ${ended}`
          : `decision ${id} asked for approval but no approval record follows`,
      });
    }
    for (const [id, seq] of this.#sessions) {
      if (this.#ended.has(id)) continue;
      const recovered = this.#recovered.get(id);
      const outage = this.#outages.of(id);
      // In a bundle, only a session it shows gone (its spool taken in) cannot close after it.
      const open = bundle && outage.named === undefined && recovered === undefined;
      findings.push({
        kind: "session_without_end",
        // Records of the session name what the log could not take: its end is accounted for.
        severity: open || outage.named !== undefined ? "info" : "warning",
        seq,
        message: open
          ? `session ${id} is still open at the end of this bundle: its end record, if any, lies after the bundle's last record`
          : outage.named !== undefined
          ? `session ${id} has no session end record: its end could not be written (${outage.named}${
            outage.torn ?? ""
          }), unless thoth was killed`
          : recovered !== undefined
          ? `session ${id} has no session end record: thoth was killed or its end could not be written (a later session took in its spool: spool_recovered at seq ${recovered}${
            outage.torn ?? ""
          })`
          : `session ${id} has no session end record (still running, thoth was killed, or its end could not be written${
            outage.torn === undefined ? "" : `: ${outage.torn.slice(2)}`
          })`,
      });
    }
    if (this.#fromZero) {
      appendAll(findings, this.#unstarted.findings());
      appendAll(findings, this.#undecided.findings(bundle));
    }
    appendAll(findings, this.#clock.findings());
    appendAll(findings, this.#refusedSpools);
    appendAll(findings, this.#dropped);
    const repeats = this.#ids;
    if (repeats.count > 0) {
      const named = repeats.named.map(({ kind, id, firstSeq, seq }) =>
        `${
          kind === "decision" ? "decision" : "approval of decision"
        } ${id} (seqs ${firstSeq} and ${seq})`
      ).join(", ");
      const more = repeats.count - repeats.named.length;
      findings.push({
        kind: "recorded_twice",
        severity: "warning",
        seq: repeats.named[0]!.firstSeq,
        message: `${repeats.count} decision or approval record(s) repeat one recorded earlier: ` +
          `${named}${more > 0 ? ` and ${more} more` : ""}; a session that was stopped (not ` +
          "killed) for more than a minute while another took in its spool can record its " +
          "decisions twice: the repeats are the same decisions, not more calls",
      });
    }
    return findings;
  }
}
