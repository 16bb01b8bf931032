/**
 * Compares the seq range a bundle was exported with (as its signed export
 * statement states it, or else its unsigned manifest) with the range its
 * records hold: a difference shows records were cut, dropped or added after
 * the export. Agreement with the manifest alone proves nothing, since
 * whoever cuts records can rewrite it too. Pure.
 *
 * @example
 * ```ts
 * bundleRangeFindings({ firstSeq: 0, lastSeq: 35 }, { firstSeq: 0, lastSeq: 11 });
 * // [{ kind: "truncated", seq: 12, toSeq: 35, … }]
 * ```
 */
import type { Finding } from "./finding.ts";

/** A seq range, both ends included; `lastSeq < firstSeq` when it is empty. */
export interface SeqRange {
  firstSeq: number;
  lastSeq: number;
}

/** Findings for where the records' range differs from the one claimed (by default, by the manifest). */
export function bundleRangeFindings(
  claimed: SeqRange,
  held: SeqRange,
  by: { what: string; source: string } = { what: "the manifest", source: "manifest.json" },
): Finding[] {
  const findings: Finding[] = [];
  const listed = `${by.what} lists seq ${claimed.firstSeq}..${claimed.lastSeq}`;
  const source = by.source;
  const span = (from: number, to: number) => ({ seq: from, ...(to > from ? { toSeq: to } : {}) });
  /** "records 3..5 are" or "record 3 is": the words agree with how many. */
  const records = (from: number, to: number, verb: "are" | "precede" | "follow") =>
    to > from
      ? `records ${from}..${to} ${verb}`
      : `record ${from} ${verb === "are" ? "is" : `${verb}s`}`;
  const heldText = held.lastSeq < held.firstSeq
    ? "the bundle holds no records"
    : `its records hold seq ${held.firstSeq}..${held.lastSeq}`;
  if (claimed.firstSeq < held.firstSeq) {
    const to = Math.min(held.firstSeq - 1, claimed.lastSeq);
    findings.push({
      kind: "deleted",
      severity: "tamper",
      ...span(claimed.firstSeq, to),
      source,
      message: `${listed}, but ${heldText}: ${
        records(claimed.firstSeq, to, "are")
      } missing from its start`,
    });
  } else if (claimed.firstSeq > held.firstSeq && held.lastSeq >= held.firstSeq) {
    const to = Math.min(claimed.firstSeq - 1, held.lastSeq);
    findings.push({
      kind: "inserted",
      severity: "tamper",
      ...span(held.firstSeq, to),
      source,
      message: `${listed}, but ${heldText}: ${
        records(held.firstSeq, to, "precede")
      } the range the bundle was exported with`,
    });
  }
  if (claimed.lastSeq > held.lastSeq) {
    const from = Math.max(held.lastSeq + 1, claimed.firstSeq);
    findings.push({
      kind: "truncated",
      severity: "tamper",
      ...span(from, claimed.lastSeq),
      source,
      message: `${listed}, but ${heldText}: ${
        records(from, claimed.lastSeq, "are")
      } missing (cut from its end, or removed and the rest renumbered)`,
    });
  } else if (claimed.lastSeq < held.lastSeq) {
    const from = Math.max(claimed.lastSeq + 1, held.firstSeq);
    findings.push({
      kind: "inserted",
      severity: "tamper",
      ...span(from, held.lastSeq),
      source,
      message: `${listed}, but ${heldText}: ${
        records(from, held.lastSeq, "follow")
      } the range the bundle was exported with`,
    });
  }
  return findings;
}
