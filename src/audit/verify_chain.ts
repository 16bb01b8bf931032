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

/**
 * Records whose `seq` was edited where they stand: each chains to the record
 * stored before it, sits between the seqs on either side of its place, and no
 * other record claims the seq its place gives, yet it claims another. Maps
 * the position to the seq its place gives. The last record qualifies only
 * when it claims a smaller seq another record holds (a larger one could be
 * records deleted before it).
 */
function seqsEditedInPlace(facts: ChainFacts): Map<number, number> {
  const { count, prevs, leaves, startSeq, startPrev } = facts;
  const seqs = facts.seqs.subarray(0, count);
  const claims = new Map<number, number>();
  for (const seq of seqs) if (!Number.isNaN(seq)) claims.set(seq, (claims.get(seq) ?? 0) + 1);
  const edited = new Map<number, number>();
  for (let p = 0; p < count; p++) {
    const seq = seqs[p]!;
    const want = p === 0 ? startSeq : seqs[p - 1]! + 1;
    if (Number.isNaN(seq) || Number.isNaN(want) || seq === want || claims.has(want)) continue;
    const chains = p === 0
      ? sameHash(prevs, 0, startPrev, 0)
      : sameHash(prevs, p, leaves, p - 1) && !edited.has(p - 1);
    if (!chains) continue;
    if (p + 1 < count ? seqs[p + 1] === want + 1 : seq < want && claims.get(seq)! > 1) {
      edited.set(p, want);
    }
  }
  return edited;
}

function slowAnalysis(facts: ChainFacts): Finding[] {
  const { count, prevs, leaves, startSeq, startPrev } = facts;
  const findings: Finding[] = [];
  const edited = seqsEditedInPlace(facts);
  let seqs = facts.seqs;
  if (edited.size > 0) {
    seqs = Float64Array.from(facts.seqs.subarray(0, count));
    for (const [p, seq] of edited) {
      findings.push({
        kind: "modified",
        severity: "tamper",
        seq,
        source: facts.sourceOf(p),
        message: `record ${seq} claims seq ${facts.seqs[p]}: its seq was changed where it stands`,
      });
      seqs[p] = seq;
    }
  }
  const bySeq = new Map<number, number[]>();
  const unreadable = new Set<number>();
  let last = startSeq - 1;
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

  // Gaps between the seqs present, not a walk over every seq up to the
  // largest: one record claiming seq 2^53 - 2 must not cost 2^53 steps.
  const present = [...bySeq.keys(), ...unreadable].filter((seq) => seq >= startSeq);
  present.sort((a, b) => a - b);
  let expected = startSeq;
  for (const seq of present) {
    if (seq > expected) {
      const end = seq - 1;
      findings.push({
        kind: "deleted",
        severity: "tamper",
        seq: expected,
        ...(end > expected ? { toSeq: end } : {}),
        message: end > expected
          ? `records ${expected}..${end} are missing (${end - expected + 1} records)`
          : `record ${expected} is missing`,
      });
    }
    expected = Math.max(expected, seq + 1);
  }

  // Each step back in seq spans a range; overlapping ranges are one cluster.
  // Sorted and merged once, so many small swaps cost n log n, not n².
  const spans: { lo: number; hi: number }[] = [];
  let previous = Number.NaN;
  for (let p = 0; p < count; p++) {
    const seq = seqs[p]!;
    if (Number.isNaN(seq)) continue;
    if (!Number.isNaN(previous) && seq < previous) spans.push({ lo: seq, hi: previous });
    previous = seq;
  }
  spans.sort((a, b) => a.lo - b.lo);
  const clusters: { lo: number; hi: number }[] = [];
  for (const span of spans) {
    const last = clusters[clusters.length - 1];
    if (last !== undefined && span.lo <= last.hi) last.hi = Math.max(last.hi, span.hi);
    else clusters.push({ ...span });
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

  // A record that chains to the one stored before it was moved, not its
  // neighbour in seq changed: the move is reported above.
  const modified = new Set([...unreadable, ...edited.values()]);
  for (const [seq, positions] of bySeq) {
    if (positions.length !== 1) continue;
    const p = positions[0]!;
    if (p > 0 && sameHash(prevs, p, leaves, p - 1)) continue;
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
