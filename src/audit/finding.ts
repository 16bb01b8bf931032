/**
 * What `verify` can find, how serious each kind is, and the exit code a set
 * of findings maps to (0 clean, 1 tampered, 2 warnings only). Pure data.
 *
 * @example
 * ```ts
 * const f: Finding = { kind: "deleted", severity: severityOf("deleted"), seq: 10, message: "record 10 is missing" };
 * exitCodeFor([f]); // 1
 * ```
 */

/** Every kind of finding. */
export type FindingKind =
  | "modified"
  | "deleted"
  | "inserted"
  | "reordered"
  | "bad_signature"
  | "unknown_key"
  | "fork"
  | "truncated"
  /** Bundle records that no validly signed checkpoint covers. */
  | "uncovered"
  /** A device's log with records and no valid checkpoint at all (a warning). */
  | "unanchored"
  /** An anchor a bundle holds no records at the size of (a warning). */
  | "anchor_unchecked"
  | "torn_tail"
  | "step_up_without_approval"
  | "session_without_end"
  | "recovered_torn_tail"
  | "state_rebuilt"
  | "key_rotation";

/** tamper: evidence was changed; warning: worth a look; info: a fact the log itself records. */
export type Severity = "tamper" | "warning" | "info";

/** One finding, tied to the sequence numbers it concerns. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The first sequence number concerned. */
  seq?: number;
  /** The last sequence number concerned, when it is a range. */
  toSeq?: number;
  /** Where: a segment file or checkpoint source. */
  source?: string;
  message: string;
}

const TAMPER: ReadonlySet<FindingKind> = new Set([
  "modified",
  "deleted",
  "inserted",
  "reordered",
  "bad_signature",
  "unknown_key",
  "fork",
  "truncated",
  "uncovered",
]);
const WARNING: ReadonlySet<FindingKind> = new Set([
  "unanchored",
  "anchor_unchecked",
  "torn_tail",
  "step_up_without_approval",
  "session_without_end",
]);

/** The severity of a kind. */
export function severityOf(kind: FindingKind): Severity {
  if (TAMPER.has(kind)) return "tamper";
  if (WARNING.has(kind)) return "warning";
  return "info";
}

/** 1 when anything was tampered with, 2 when there are only warnings, else 0. */
export function exitCodeFor(findings: readonly Finding[]): 0 | 1 | 2 {
  if (findings.some((f) => f.severity === "tamper")) return 1;
  if (findings.some((f) => f.severity === "warning")) return 2;
  return 0;
}
