/**
 * Verifies audit evidence from bytes handed to it: segments in order, the
 * checkpoint notes found beside the log, an optional anchor checkpoint kept
 * off the device, and the listed public keys (of which only those that
 * descend from the device's first key, or from the anchor's, are trusted).
 * Pure: no I/O, no clock; it fails closed (anything it cannot read counts
 * against the log).
 *
 * @example
 * ```ts
 * const verifier = new AuditVerifier({ keys, checkpoints, anchor });
 * for (const segment of segments) await verifier.addSegment(segment.name, segment.bytes);
 * const report = await verifier.finish();
 * report.exitCode; // 0 clean, 1 tampered or records lost, 2 warnings only
 * ```
 */
import { compareRoots } from "./compare_roots.ts";
import { appendAll } from "./append_all.ts";
import { coverageFinding } from "./coverage_finding.ts";
import { bytesEqual, fromHex } from "./encoding.ts";
import { exitCodeFor, type Finding } from "./finding.ts";
import { verifyStatus } from "./verify_status.ts";
import { HASH_SIZE, leafHashSync } from "./merkle_hash.ts";
import { GENESIS_PREV } from "./record.ts";
import { analyzeChain } from "./verify_chain.ts";
import { checkNotes, placementFindings, type ValidCheckpoint } from "./verify_notes.ts";
import { statedCheckpoint } from "./checkpoint.ts";
import { RecordFacts } from "./record_facts.ts";
import { witnessFindings } from "./witness_findings.ts";
import { resolveKeyTrust } from "./key_trust.ts";
import { checkExportStatement, type StatementCheck, voucherOf } from "./export_statement.ts";
import { truncationNotice } from "./truncation_notice.ts";
import { isNotTheAnchorsLog } from "./anchor_key.ts";
import { tailTakenInFinding } from "./tail_taken_in_finding.ts";
import { GATING_TYPES } from "./past_the_count.ts";
import { stateMacFindings, withCheckpointSignal } from "./state_mac_check.ts";
import { newestCheckpointSignal } from "./state_mac_signal.ts";
import { decodeLines, parseRecord } from "./parsed_record.ts";
import { frontierRoot, RecordRoots } from "./record_roots.ts";
import type { VerifyOptions, VerifyReport } from "./verify_report.ts";

const BATCH = 256;

/** Streams segments in, then reports. */
export class AuditVerifier {
  readonly #options: VerifyOptions;
  readonly #facts = new RecordFacts();
  readonly #segments: string[] = [];
  #partial: { segment: string; bytes: Uint8Array } | undefined;
  /** The `tail_taken_in` records: records no thoth vouched for when they were taken in. */
  readonly #takenIn: { record: Record<string, unknown>; seq: number; segment: string }[] = [];
  /** The seqs of the decision and approval records, in the order read. */
  readonly #gating: number[] = [];
  /** The records' tree, at the sizes checks ask for. */
  readonly #roots = new RecordRoots(this.#facts);
  #finished = false;

  constructor(options: VerifyOptions) {
    this.#options = options;
  }

  /** Adds the next segment, in log order. */
  async addSegment(name: string, bytes: Uint8Array): Promise<void> {
    if (this.#finished) throw new Error("the verifier has finished");
    this.#segments.push(name);
    if (this.#partial !== undefined) {
      await this.#addLines(this.#partial.segment, [this.#partial.bytes]);
      this.#partial = undefined;
    }
    const lines: Uint8Array[] = [];
    let start = 0;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
    if (start < bytes.length) this.#partial = { segment: name, bytes: bytes.subarray(start) };
    await this.#addLines(name, lines);
  }

  // deno-lint-ignore require-await -- the API stays async; hashing is synchronous
  async #addLines(segment: string, lines: Uint8Array[]): Promise<void> {
    const facts = this.#facts;
    facts.reserve(lines.length);
    for (let begin = 0; begin < lines.length; begin += BATCH) {
      const batch = lines.slice(begin, begin + BATCH);
      const base = facts.count;
      const texts = decodeLines(batch);
      batch.forEach((line, i) => {
        const record = parseRecord(line, texts?.[i]);
        facts.addRecord(segment, record);
        const type = record?.["type"];
        if (type === "tail_taken_in") {
          this.#takenIn.push({ record: record!, seq: record!.seq, segment });
        } else if (typeof type === "string" && GATING_TYPES.has(type)) {
          this.#gating.push(record!.seq);
        }
        const at = (base + i) * HASH_SIZE;
        leafHashSync(line, facts.leaves.subarray(at, at + HASH_SIZE));
      });
    }
  }

  /** How many records the segments added so far hold (a torn last line not yet among them). */
  get records(): number {
    return this.#facts.count;
  }

  /** Runs every check and reports. */
  async finish(): Promise<VerifyReport> {
    this.#finished = true;
    const facts = this.#facts;
    const options = this.#options;
    const bundle = options.bundle === true;
    const start = options.start ?? { size: 0, prev: GENESIS_PREV, frontier: [] };
    const startPrev = fromHex(start.prev) ?? new Uint8Array(HASH_SIZE);
    const findings: Finding[] = [
      ...facts.infoFindings,
      ...facts.tamperFindings,
      ...facts.stateFindings,
      ...this.#takenIn.map(({ record, seq, segment }) =>
        tailTakenInFinding(record, seq, segment, (from, to) => this.#gatingIn(from, to))
      ),
    ];

    const chain = analyzeChain({
      count: facts.count,
      seqs: facts.seqs,
      prevs: facts.prevs,
      leaves: facts.leaves,
      startSeq: start.size,
      startPrev,
      sourceOf: (p) => facts.sourceOf(p),
    });
    appendAll(findings, chain);
    const logSize = Math.max(facts.maxSeq + 1, start.size + facts.count);

    const voucher = voucherOf(options.statement);
    const trust = await resolveKeyTrust({
      listed: options.keys,
      bundle,
      // Carried rotations have no leaf: no checkpoint covers them.
      rotations: [
        ...(options.rotations ?? []).map(({ leaf: _, ...rotation }) => rotation),
        ...facts.rotations.map(({ position, ...rotation }) => ({
          ...rotation,
          leaf: start.size + position,
        })),
      ],
      ...(options.anchor ? { anchor: options.anchor.note } : {}),
      checkpoints: [
        ...facts.embeddedCheckpoints.map((e) => e.note),
        ...(options.checkpoints ?? []).map((c) => c.note),
      ],
      rootsAt: (sizes) =>
        this.#roots.rootsAt(
          start,
          sizes.filter((size) => size > start.size && size <= start.size + facts.count),
        ),
      ...(voucher !== undefined ? { voucher } : {}),
    });
    appendAll(findings, trust.findings);
    const statement: StatementCheck | undefined = options.statement
      ? await checkExportStatement(options.statement, trust.trusted)
      : undefined;
    appendAll(findings, statement?.findings ?? []);
    const notes = await checkNotes(
      { ...options, keys: trust.trusted, known: trust.known, end: start.size + facts.count },
      facts.embeddedCheckpoints,
    );
    appendAll(findings, notes.findings);
    const wanted = [...new Set(notes.valid.map((c) => c.size))]
      .filter((size) => size > start.size && size <= start.size + facts.count)
      .sort((a, b) => a - b);
    const roots = await this.#roots.rootsAt(start, wanted);
    const startRoot = notes.valid.some((c) => c.size === start.size)
      ? await frontierRoot(start)
      : undefined;
    const reproduced = (c: ValidCheckpoint): boolean => {
      const computed = c.size === start.size ? startRoot : roots.get(c.size);
      return computed !== undefined && bytesEqual(computed, c.root);
    };
    const intact = notes.valid.filter(reproduced).map((c) => c.size);
    const leafAt = (seq: number): Uint8Array | undefined => {
      const p = seq - start.size;
      if (p < 0 || p >= facts.count || facts.seqs[p] !== seq) return undefined;
      return facts.leaves.subarray(p * HASH_SIZE, (p + 1) * HASH_SIZE);
    };
    const frontiers = await this.#roots.witnessFrontiers(start.size, options.local);
    appendAll(
      findings,
      witnessFindings({
        ...(options.local ? { local: options.local } : {}),
        rebuilt: facts.stateWitnesses,
        records: facts.count,
        logSize,
        checkpointNotes: options.checkpoints?.length ?? 0,
        leafAt,
        intact,
        frontierAt: (size) => frontiers.get(size),
        recordsChanged: [...facts.tamperFindings, ...chain].some((f) => STRUCTURAL.has(f.kind)) ||
          notes.valid.some((c) => c.size <= start.size + facts.count && !reproduced(c)),
        gatingIn: (from, to) => this.#gatingIn(from, to),
      }),
    );
    const placement = placementFindings(facts.embeddedCheckpoints, notes.byNote, {
      startSeq: start.size,
      intact,
    });
    appendAll(findings, placement);

    let firstBreak = Number.POSITIVE_INFINITY;
    for (const f of [...facts.tamperFindings, ...chain, ...notes.findings, ...placement]) {
      if (STRUCTURAL.has(f.kind)) firstBreak = Math.min(firstBreak, f.seq ?? 0);
    }
    const anchorSize = options.anchor ? statedCheckpoint(options.anchor.note)?.size : undefined;
    const compared = compareRoots({
      valid: notes.valid,
      roots,
      logSize,
      firstBreak,
      startSize: start.size,
      startRoot,
      bundle,
      anchorGiven: options.anchor !== undefined,
      anchorKeyUnknown: notes.findings.some((f) => f.kind === "anchor_key_unknown"),
      ...(anchorSize !== undefined ? { anchorSize } : {}),
    });
    appendAll(findings, compared.findings);
    appendAll(findings, facts.warningFindings(bundle));
    // A state without a MAC beside a log whose newest intact checkpoint's writer keeps one.
    const stateMac = options.stateMac === undefined
      ? undefined
      : withCheckpointSignal(options.stateMac, newestCheckpointSignal(notes.byNote, reproduced));
    appendAll(findings, stateMacFindings(stateMac, options.local?.stateSource ?? "state"));

    if (this.#partial !== undefined) {
      findings.push({
        kind: "torn_tail",
        severity: "warning",
        seq: logSize,
        source: this.#partial.segment,
        message:
          `segment ${this.#partial.segment} ends in a partial record of ${this.#partial.bytes.length} bytes: a writer stopped mid-write; the next writer cuts it and records the cut`,
      });
    }

    const coveredTo = compared.matched.reduce<number | undefined>(
      (max, size) => max === undefined || size > max ? size : max,
      undefined,
    );
    const coverage = coverageFinding({
      bundle,
      valid: notes.valid,
      coveredTo,
      count: facts.count,
      startSize: start.size,
      logSize,
    });
    if (coverage !== undefined) findings.push(coverage);

    const anchorOk = compared.anchor?.outcome === "matched";
    const anchoredSize = anchorOk ? compared.anchor!.size : Math.max(start.size, coveredTo ?? 0);
    const unanchoredTail = {
      records: Math.max(0, logSize - anchoredSize),
      anchoredSize,
      by: anchorOk
        ? "anchor" as const
        : coveredTo !== undefined
        ? "checkpoint" as const
        : "none" as const,
    };
    findings.sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1));
    const exitCode = exitCodeFor(findings);
    // Each stored note once (a checkpoint record and its file hold the same text).
    const stored = new Set([
      ...facts.embeddedCheckpoints.map((e) => e.note),
      ...(options.checkpoints ?? []).map((c) => c.note),
    ]);
    const verified = [...stored].flatMap((text) => {
      const checkpoint = notes.byNote.get(text);
      return checkpoint !== undefined && reproduced(checkpoint) ? [checkpoint.size] : [];
    });
    return {
      status: verifyStatus(findings, { records: facts.count, segments: this.#segments.length }),
      exitCode,
      records: facts.count,
      logSize,
      segments: [...this.#segments],
      checkpoints: {
        verified: verified.length,
        unverified: stored.size - verified.length,
        latestSize: verified.reduce<number | null>(
          (max, size) => max === null || size > max ? size : max,
          null,
        ),
      },
      anchor: compared.anchor === null
        ? null
        : { size: compared.anchor.size, verified: anchorOk, outcome: compared.anchor.outcome },
      trust: trust.root,
      unanchoredTail,
      findings,
      notice: truncationNotice(
        unanchoredTail,
        compared.anchor?.outcome,
        bundle ? statement?.proven ?? null : undefined,
        findings.some(isNotTheAnchorsLog),
      ),
      ...(stateMac === undefined ? {} : { stateMac }),
      ...(bundle
        ? {
          bundle: {
            firstSeq: start.size,
            lastSeq: facts.count === 0 ? start.size - 1 : logSize - 1,
            from: facts.times.earliest(),
            to: facts.times.latest(),
            ...(statement !== undefined ? { statement: statement.proven } : {}),
          },
        }
        : {}),
    };
  }

  /** The seqs of the decision and approval records read from `from` to before `to`. */
  #gatingIn(from: number, to: number): number[] {
    return this.#gating.filter((seq) => seq >= from && seq < to);
  }
}

const STRUCTURAL: ReadonlySet<string> = new Set(["modified", "deleted", "inserted", "reordered"]);
