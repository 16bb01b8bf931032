/**
 * The structural half of verification: given, in file order, each record's
 * sequence number, the `prev` hash it carries and its own leaf hash, names
 * the records that were modified, deleted, inserted or reordered. Pure.
 *
 * @example
 * ```ts
 * const findings = analyzeChain({ count, seqs, prevs, leaves, startSeq: 0, startPrev, sources });
 * ```
 */
import { HASH_SIZE } from "./merkle_hash.ts";
import type { Finding } from "./finding.ts";

/** Per-position facts about the stored records. */
export interface ChainFacts {
  count: number;
  /** The `seq` each record claims; NaN when the line is not a readable record. */
  seqs: Float64Array;
  /** The `prev` hash of each record (32 bytes each). */
  prevs: Uint8Array;
  /** The leaf hash of each stored line (32 bytes each). */
  leaves: Uint8Array;
  startSeq: number;
  startPrev: Uint8Array;
  /** The segment a position came from. */
  sourceOf(position: number): string;
}

function sameHash(a: Uint8Array, ai: number, b: Uint8Array, bi: number): boolean {
  const x = ai * HASH_SIZE;
  const y = bi * HASH_SIZE;
  for (let i = 0; i < HASH_SIZE; i++) if (a[x + i] !== b[y + i]) return false;
  return true;
}

/** Names every structural break in the chain; empty when seq and prev run without a gap. */
export function analyzeChain(facts: ChainFacts): Finding[] {
  const { count, seqs, prevs, leaves, startSeq, startPrev } = facts;
  let clean = true;
  for (let p = 0; p < count && clean; p++) {
    if (seqs[p] !== startSeq + p) clean = false;
    else if (p === 0) clean = sameHash(prevs, 0, startPrev, 0);
    else clean = sameHash(prevs, p, leaves, p - 1);
  }
  return clean ? [] : slowAnalysis(facts);
}

function slowAnalysis(facts: ChainFacts): Finding[] {
  const { count, seqs, prevs, leaves, startSeq, startPrev } = facts;
  const findings: Finding[] = [];
  const bySeq = new Map<number, number[]>();
  const unreadable = new Set<number>();
  let last = startSeq - 1;
  let maxSeq = startSeq - 1;
  for (let p = 0; p < count; p++) {
    const seq = seqs[p]!;
    if (Number.isNaN(seq)) {
      const estimate = last + 1;
      unreadable.add(estimate);
      findings.push({
        kind: "modified",
        severity: "tamper",
        seq: estimate,
        source: facts.sourceOf(p),
        message: `the record after seq ${last} is not a readable record (line ${p + 1} of the log)`,
      });
      last = estimate;
    } else {
      const list = bySeq.get(seq);
      if (list === undefined) bySeq.set(seq, [p]);
      else list.push(p);
      last = seq;
    }
    maxSeq = Math.max(maxSeq, last);
  }

  for (const [seq, positions] of bySeq) {
    if (positions.length > 1) {
      findings.push({
        kind: "inserted",
        severity: "tamper",
        seq,
        source: facts.sourceOf(positions[1]!),
        message: `${positions.length} records claim seq ${seq}: ${
          positions.length - 1
        } of them were inserted`,
      });
    }
  }

  let runStart = -1;
  for (let seq = startSeq; seq <= maxSeq + 1; seq++) {
    const missing = seq <= maxSeq && !bySeq.has(seq) && !unreadable.has(seq);
    if (missing && runStart < 0) runStart = seq;
    if (!missing && runStart >= 0) {
      const end = seq - 1;
      findings.push({
        kind: "deleted",
        severity: "tamper",
        seq: runStart,
        ...(end > runStart ? { toSeq: end } : {}),
        message: end > runStart
          ? `records ${runStart}..${end} are missing (${end - runStart + 1} records)`
          : `record ${runStart} is missing`,
      });
      runStart = -1;
    }
  }

  const clusters: { lo: number; hi: number }[] = [];
  let previous = Number.NaN;
  for (let p = 0; p < count; p++) {
    const seq = seqs[p]!;
    if (Number.isNaN(seq)) continue;
    if (!Number.isNaN(previous) && seq < previous) {
      const lo = seq;
      const hi = previous;
      const overlapping = clusters.find((c) => lo <= c.hi && hi >= c.lo);
      if (overlapping) {
        overlapping.lo = Math.min(overlapping.lo, lo);
        overlapping.hi = Math.max(overlapping.hi, hi);
      } else {
        clusters.push({ lo, hi });
      }
    }
    previous = seq;
  }
  for (const { lo, hi } of clusters) {
    findings.push({
      kind: "reordered",
      severity: "tamper",
      seq: lo,
      toSeq: hi,
      message: `records ${lo}..${hi} are stored out of order`,
    });
  }

  const modified = new Set(unreadable);
  for (const [seq, positions] of bySeq) {
    if (positions.length !== 1) continue;
    const p = positions[0]!;
    if (seq === startSeq) {
      if (!sameHash(prevs, p, startPrev, 0) && !modified.has(seq)) {
        modified.add(seq);
        findings.push({
          kind: "modified",
          severity: "tamper",
          seq,
          source: facts.sourceOf(p),
          message: `record ${seq} does not chain to the start of the log`,
        });
      }
      continue;
    }
    const before = bySeq.get(seq - 1);
    if (before === undefined || before.length !== 1) continue;
    if (!sameHash(prevs, p, leaves, before[0]!) && !modified.has(seq - 1)) {
      modified.add(seq - 1);
      findings.push({
        kind: "modified",
        severity: "tamper",
        seq: seq - 1,
        source: facts.sourceOf(before[0]!),
        message: `record ${seq - 1} does not hash to the value record ${seq} chains to`,
      });
    }
  }
  return findings;
}
