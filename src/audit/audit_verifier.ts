/**
 * Verifies audit evidence from bytes handed to it: segments in order, the
 * checkpoint notes found beside the log, an optional anchor checkpoint kept
 * off the device, and the trusted public keys. Pure: no I/O, no clock; it
 * fails closed (anything it cannot read counts against the log).
 *
 * @example
 * ```ts
 * const verifier = new AuditVerifier({ keys, checkpoints, anchor });
 * for (const segment of segments) await verifier.addSegment(segment.name, segment.bytes);
 * const report = await verifier.finish();
 * report.exitCode; // 0 clean, 1 tampered, 2 warnings only
 * ```
 */
import { bytesEqual, fromHex } from "./encoding.ts";
import { exitCodeFor, type Finding } from "./finding.ts";
import { HASH_SIZE, leafHashSync } from "./merkle_hash.ts";
import { MerkleFrontier } from "./merkle_frontier.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import type { NoteVerifier } from "./signed_note.ts";
import { GENESIS_PREV } from "./record.ts";
import { analyzeChain } from "./verify_chain.ts";
import { checkNotes, type NoteInput, type ValidCheckpoint } from "./verify_notes.ts";
import { RecordFacts } from "./record_facts.ts";

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
  keys: readonly NoteVerifier[];
  /** Checkpoint notes stored beside the log. */
  checkpoints?: readonly NoteInput[];
  /** A checkpoint kept off the device. */
  anchor?: NoteInput;
  start?: VerifyStart;
}

/** The outcome of one verification. */
export interface VerifyReport {
  status: "clean" | "tampered" | "warnings";
  exitCode: 0 | 1 | 2;
  /** Records read. */
  records: number;
  /** Sequence number after the last record. */
  logSize: number;
  segments: string[];
  checkpoints: { verified: number; latestSize: number | null };
  anchor: { size: number; verified: boolean } | null;
  /** Records newer than the newest checkpoint that vouches for them. */
  unanchoredTail: { records: number; anchoredSize: number; by: "anchor" | "checkpoint" | "none" };
  findings: Finding[];
  /** The plain statement about truncation that every report carries. */
  notice: string;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const BATCH = 256;

/** Streams segments in, then reports. */
export class AuditVerifier {
  readonly #options: VerifyOptions;
  readonly #facts = new RecordFacts();
  readonly #segments: string[] = [];
  #partial: { segment: string; bytes: Uint8Array } | undefined;
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
        facts.addRecord(segment, parseRecord(line, texts?.[i]));
        const at = (base + i) * HASH_SIZE;
        leafHashSync(line, facts.leaves.subarray(at, at + HASH_SIZE));
      });
    }
  }

  /** Runs every check and reports. */
  async finish(): Promise<VerifyReport> {
    this.#finished = true;
    const facts = this.#facts;
    const start = this.#options.start ?? { size: 0, prev: GENESIS_PREV, frontier: [] };
    const startPrev = fromHex(start.prev) ?? new Uint8Array(HASH_SIZE);
    const findings: Finding[] = [...facts.infoFindings];

    const chain = analyzeChain({
      count: facts.count,
      seqs: facts.seqs,
      prevs: facts.prevs,
      leaves: facts.leaves,
      startSeq: start.size,
      startPrev,
      sourceOf: (p) => facts.sourceOf(p),
    });
    findings.push(...chain);
    const logSize = Math.max(facts.maxSeq + 1, start.size + facts.count);

    const notes = await checkNotes(this.#options, facts.embeddedCheckpoints);
    findings.push(...notes.findings);
    const wanted = [...new Set(notes.valid.map((c) => c.size))]
      .filter((size) => size > start.size && size <= start.size + facts.count)
      .sort((a, b) => a - b);
    const roots = await this.#rootsAt(start, wanted);

    const structural = [...chain, ...notes.findings].filter((f) =>
      ["modified", "deleted", "inserted", "reordered"].includes(f.kind)
    );
    const firstBreak = Math.min(...structural.map((f) => f.seq ?? 0), Number.POSITIVE_INFINITY);
    findings.push(...compareRoots(notes.valid, roots, logSize, firstBreak, start.size));
    findings.push(...await facts.rotationFindings(this.#options.keys));
    findings.push(...facts.warningFindings());

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

    const anchorCp = notes.valid.find((c) => c.sources.some((s) => s.startsWith("anchor ")));
    const covered = notes.valid.filter((c) => c.size <= logSize).map((c) => c.size);
    const anchoredSize = anchorCp?.size ?? Math.max(start.size, ...covered, 0);
    const unanchoredTail = {
      records: Math.max(0, logSize - anchoredSize),
      anchoredSize,
      by: anchorCp
        ? "anchor" as const
        : covered.length > 0
        ? "checkpoint" as const
        : "none" as const,
    };
    findings.sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1));
    const exitCode = exitCodeFor(findings);
    return {
      status: exitCode === 1 ? "tampered" : exitCode === 2 ? "warnings" : "clean",
      exitCode,
      records: facts.count,
      logSize,
      segments: [...this.#segments],
      checkpoints: {
        verified: notes.valid.length,
        latestSize: notes.valid.length > 0 ? Math.max(...notes.valid.map((c) => c.size)) : null,
      },
      anchor: this.#options.anchor === undefined
        ? null
        : { size: anchorCp?.size ?? 0, verified: anchorCp !== undefined },
      unanchoredTail,
      findings,
      notice: truncationNotice(unanchoredTail, this.#options.anchor !== undefined),
    };
  }

  async #rootsAt(start: VerifyStart, sizes: number[]): Promise<Map<number, Uint8Array>> {
    const roots = new Map<number, Uint8Array>();
    const facts = this.#facts;
    if (sizes.length === 0) return roots;
    if (start.size === 0) {
      const levels = await MerkleLevels.build(facts.leaves.subarray(0, facts.count * HASH_SIZE));
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

function compareRoots(
  valid: readonly ValidCheckpoint[],
  roots: ReadonlyMap<number, Uint8Array>,
  logSize: number,
  firstBreak: number,
  startSize: number,
): Finding[] {
  const findings: Finding[] = [];
  let truncatedTo = logSize;
  let truncatedSources: string[] = [];
  let lastMatch = startSize;
  let reportedRewrite = false;
  for (const cp of [...valid].sort((a, b) => a.size - b.size)) {
    if (cp.size > logSize) {
      if (cp.size > truncatedTo) {
        truncatedTo = cp.size;
        truncatedSources = cp.sources;
      }
      continue;
    }
    if (cp.size <= startSize) continue;
    const computed = roots.get(cp.size);
    if (computed !== undefined && bytesEqual(computed, cp.root)) {
      if (!reportedRewrite) lastMatch = cp.size;
      continue;
    }
    if (cp.size > firstBreak || reportedRewrite) continue;
    reportedRewrite = true;
    const isAnchor = cp.sources.some((s) => s.startsWith("anchor "));
    findings.push({
      kind: isAnchor ? "fork" : "modified",
      severity: "tamper",
      seq: lastMatch,
      toSeq: cp.size - 1,
      source: cp.sources.join(", "),
      message: isAnchor
        ? `the log does not extend the anchor checkpoint at size ${cp.size}: its history was rewritten (a fork)`
        : `records ${lastMatch}..${
          cp.size - 1
        } no longer match the signed checkpoint at size ${cp.size}: a record was changed and the chain recomputed`,
    });
  }
  if (truncatedTo > logSize) {
    findings.push({
      kind: "truncated",
      severity: "tamper",
      seq: logSize,
      toSeq: truncatedTo - 1,
      source: truncatedSources.join(", "),
      message:
        `the log ends before seq ${logSize} but a signed checkpoint covers ${truncatedTo} records: records ${logSize}..${
          truncatedTo - 1
        } were removed`,
    });
  }
  return findings;
}

function truncationNotice(
  tail: VerifyReport["unanchoredTail"],
  anchored: boolean,
): string {
  const base =
    "Truncation of the newest records is only detectable against a checkpoint exported off this device (thoth audit checkpoint --export FILE, then thoth audit verify --anchor FILE).";
  if (anchored && tail.by === "anchor") {
    return `${base} Checked against the anchor at size ${tail.anchoredSize}; ${tail.records} newer records are not covered by it.`;
  }
  return `${base} No anchor was given: the newest ${tail.records} records (from seq ${tail.anchoredSize}) could be removed undetected, and an attacker who removes more can also remove the checkpoints that cover them.`;
}
