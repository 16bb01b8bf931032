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
import { type AnchorOutcome, compareRoots } from "./compare_roots.ts";
import { appendAll } from "./append_all.ts";
import { coverageFinding } from "./coverage_finding.ts";
import { bytesEqual, fromHex, toHex } from "./encoding.ts";
import { exitCodeFor, type Finding } from "./finding.ts";
import { type VerifyStatus, verifyStatus } from "./verify_status.ts";
import { HASH_SIZE, leafHashSync } from "./merkle_hash.ts";
import { MerkleFrontier } from "./merkle_frontier.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import type { NoteVerifier } from "./signed_note.ts";
import { GENESIS_PREV } from "./record.ts";
import { analyzeChain } from "./verify_chain.ts";
import {
  checkNotes,
  type NoteInput,
  placementFindings,
  type ValidCheckpoint,
} from "./verify_notes.ts";
import { statedCheckpoint } from "./checkpoint.ts";
import { RecordFacts } from "./record_facts.ts";
import { type LocalTraces, witnessFindings } from "./witness_findings.ts";
import { type KeyRotationFact, resolveKeyTrust, type TrustRoot } from "./key_trust.ts";
import {
  checkExportStatement,
  type ProvenStatement,
  type StatementCheck,
  type StatementInput,
  voucherOf,
} from "./export_statement.ts";
import { truncationNotice, type UnanchoredTail } from "./truncation_notice.ts";
import { isNotTheAnchorsLog } from "./anchor_key.ts";
import { tailTakenInFinding } from "./tail_taken_in_finding.ts";
import { GATING_TYPES } from "./past_the_count.ts";
import type { WaitingSpools } from "./waiting_spools.ts";
import { type StateMacCheck, stateMacFindings, withCheckpointSignal } from "./state_mac_check.ts";
import { newestCheckpointSignal } from "./state_mac_signal.ts";

/** Where a bundle's records start: the tree before them, as a frontier. */
export interface VerifyStart {
  size: number;
  /** Leaf hash (hex) of record `size - 1`. */
  prev: string;
  /** Frontier hashes (hex) of the first `size` leaves, largest first. */
  frontier: readonly string[];
}

/** What the verifier trusts and compares against. */
export interface VerifyOptions {
  /**
   * The keys file's entries in file order. Not all are trusted: only the
   * first (the device's genesis key), or the anchor's key when there is an
   * anchor, and the keys that key_rotation records endorse from it.
   */
  keys: readonly NoteVerifier[];
  /** Checkpoint notes stored beside the log. */
  checkpoints?: readonly NoteInput[];
  /** A checkpoint kept off the device. */
  anchor?: NoteInput;
  start?: VerifyStart;
  /**
   * key_rotation records kept beside the records (a bundle carries those
   * before its first record and after its last): each endorsement is a
   * signature, so it passes trust forward wherever it is stored, but back
   * from a trusted key only when a trusted key signed the export statement
   * over them, since no checkpoint covers them.
   */
  rotations?: readonly KeyRotationFact[];
  /**
   * The records are an exported bundle (a slice of a log), not a device's
   * whole log: every record must then be covered by a signed checkpoint, and
   * an anchor outside the slice cannot be checked.
   */
  bundle?: boolean;
  /**
   * The device's own files beside its log (not for a bundle): the writer's
   * state file, whose count the log must reach, and whether the keys made
   * with the log exist. They can only add findings.
   */
  local?: LocalTraces;
  /**
   * A bundle's signed export statement and what it must agree with: checked
   * against the trusted keys once they are known.
   */
  statement?: StatementInput;
  /**
   * For a device's log: what the state file's MAC came to (see
   * `state_mac_check.ts`). A MAC that fails, or a damaged state, is a
   * warning; so is none, when the newest intact checkpoint says its writer
   * keeps one (see `state_mac_signal.ts`).
   */
  stateMac?: StateMacCheck;
}

/** The outcome of one verification. */
export interface VerifyReport {
  /** The outcome in one word (see {@linkcode VerifyStatus}); `exitCode` is 1 for the four failures. */
  status: VerifyStatus;
  exitCode: 0 | 1 | 2;
  /** Records read. */
  records: number;
  /** Sequence number after the last record. */
  logSize: number;
  segments: string[];
  /**
   * The checkpoint notes stored with the records (inside the log and beside
   * it; the anchor is reported apart): `verified` counts those whose
   * signature verifies under a trusted key and whose root the records
   * present reproduce, `unverified` the others (a bad or untrusted
   * signature, a root the records do not give, a size past their end);
   * `latestSize` is the largest size among the verified, null when none.
   */
  checkpoints: { verified: number; unverified: number; latestSize: number | null };
  /** `verified`: the anchor's root was compared with the log's and matched. */
  anchor: { size: number; verified: boolean; outcome: AnchorOutcome } | null;
  /** The key the trusted signing keys descend from; null when the keys file lists none. */
  trust: TrustRoot | null;
  /** Records newer than the newest checkpoint that vouches for them. */
  unanchoredTail: UnanchoredTail;
  findings: Finding[];
  /** The plain statement about truncation that every report carries. */
  notice: string;
  /** For a bundle: what its records hold (absent for a device's log). */
  bundle?: BundleSpan;
  /**
   * For a device's log with a readable state file: what its MAC came to,
   * read against the newest intact checkpoint (`absent` becomes `removed`
   * when that checkpoint's writer keeps a MAC on its state).
   */
  stateMac?: StateMacCheck;
  /**
   * For a device's log: the spool files whose records (decisions and
   * approvals of killed sessions) are not in the log yet, null when none
   * wait (see `waiting_spools.ts`).
   */
  spoolWaiting?: WaitingSpools | null;
}

/** The seq range and period a bundle's records hold, and what its manifest claims. */
export interface BundleSpan {
  /** The first seq the bundle's tree covers (its start size). */
  firstSeq: number;
  /** The last seq its records reach; `firstSeq - 1` when it holds none. */
  lastSeq: number;
  /**
   * The earliest and latest times of its readable records, in ISO 8601 UTC:
   * a record's time as `show` prints it and `export` chooses by (a record
   * written late is at its decision's `decidedAt`, see `record_time.ts`).
   */
  from: string | null;
  to: string | null;
  /** The range manifest.json says it holds (unsigned), when it says. */
  claimed?: { firstSeq: number; lastSeq: number };
  /**
   * The export statement a trusted key signed (the period and range it was
   * exported with, where it starts); null when there is none that verified.
   */
  statement?: ProvenStatement | null;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
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
  /** The tree over every record read (from the log's start), once built. */
  #levels: MerkleLevels | undefined;
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
        this.#rootsAt(
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
    const roots = await this.#rootsAt(start, wanted);
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
    const frontiers = await this.#witnessFrontiers(start.size);
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

  /**
   * The records' Merkle frontiers (hex) at the sizes a witness (the state
   * file, a state_rebuilt record) keeps a frontier for, to compare with it.
   * Only for a log read from its start, whose records up to that size are
   * in seq order. Uses the tree `#rootsAt` built when there is one.
   */
  async #witnessFrontiers(startSize: number): Promise<Map<number, string[]>> {
    const frontiers = new Map<number, string[]>();
    const facts = this.#facts;
    if (startSize !== 0) return frontiers;
    const local = this.#options.local?.state;
    const witnesses = [
      ...facts.stateWitnesses.map((w) => ({ size: w.counted, frontier: w.frontier })),
      ...(typeof local === "object" ? [{ size: local.size, frontier: local.frontier }] : []),
    ];
    const sizes = witnesses.filter((w) =>
      w.frontier !== undefined && w.size > 0 && w.size <= facts.count
    ).map((w) => w.size);
    if (sizes.length === 0) return frontiers;
    // Every seq up to the largest is where it belongs, or the frontier is not the log's.
    const largest = sizes.reduce((max, size) => size > max ? size : max, 0);
    for (let p = 0; p < largest; p++) if (facts.seqs[p] !== p) return frontiers;
    this.#levels ??= await MerkleLevels.build(facts.leaves.subarray(0, facts.count * HASH_SIZE));
    for (const size of sizes) frontiers.set(size, this.#levels.frontier(size).map(toHex));
    return frontiers;
  }

  async #rootsAt(start: VerifyStart, sizes: number[]): Promise<Map<number, Uint8Array>> {
    const roots = new Map<number, Uint8Array>();
    const facts = this.#facts;
    if (sizes.length === 0) return roots;
    if (start.size === 0) {
      const levels = this.#levels ??= await MerkleLevels.build(
        facts.leaves.subarray(0, facts.count * HASH_SIZE),
      );
      for (const size of sizes) roots.set(size, await levels.root(size));
      return roots;
    }
    const hashes = start.frontier.map((h) => fromHex(h) ?? new Uint8Array(HASH_SIZE));
    let tree: MerkleFrontier;
    try {
      tree = new MerkleFrontier(start.size, hashes);
    } catch {
      return roots;
    }
    let next = 0;
    for (let p = 0; p < facts.count && next < sizes.length; p++) {
      await tree.append(facts.leaves.subarray(p * HASH_SIZE, (p + 1) * HASH_SIZE));
      if (tree.size === sizes[next]) {
        roots.set(tree.size, await tree.root());
        next++;
      }
    }
    return roots;
  }
}

/** One stored line, read as far as verification needs. */
export type ParsedRecord = Record<string, unknown> & { seq: number; prev: Uint8Array };

/**
 * Decodes a run of adjacent lines with one decoder call (one per line costs
 * more than the parsing); undefined when they are not adjacent or not UTF-8,
 * and each line is then decoded on its own.
 */
function decodeLines(lines: readonly Uint8Array[]): string[] | undefined {
  const first = lines[0];
  const last = lines[lines.length - 1];
  if (first === undefined || last === undefined || lines.length === 1) return undefined;
  const span = last.byteOffset + last.length - first.byteOffset;
  let total = lines.length - 1;
  for (const line of lines) {
    if (line.buffer !== first.buffer) return undefined;
    total += line.length;
  }
  if (total !== span) return undefined;
  try {
    const texts = decoder.decode(new Uint8Array(first.buffer, first.byteOffset, span)).split("\n");
    return texts.length === lines.length ? texts : undefined;
  } catch {
    return undefined;
  }
}

function parseRecord(line: Uint8Array, text?: string): ParsedRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text ?? decoder.decode(line));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const seq = record["seq"];
  if (record["v"] !== 1 || typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) {
    return undefined;
  }
  if (typeof record["ts"] !== "string" || typeof record["type"] !== "string") return undefined;
  const prev = typeof record["prev"] === "string" ? fromHex(record["prev"]) : undefined;
  if (prev === undefined || prev.length !== HASH_SIZE) return undefined;
  const parsed = record as ParsedRecord;
  parsed.prev = prev;
  return parsed;
}

const STRUCTURAL: ReadonlySet<string> = new Set(["modified", "deleted", "inserted", "reordered"]);

/** The root of the tree a bundle starts from; undefined when the frontier is not one. */
async function frontierRoot(start: VerifyStart): Promise<Uint8Array | undefined> {
  const hashes = start.frontier.map((h) => fromHex(h) ?? new Uint8Array(0));
  try {
    return await new MerkleFrontier(start.size, hashes).root();
  } catch {
    return undefined;
  }
}
