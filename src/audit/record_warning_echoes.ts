/**
 * Warnings about what records say (a session no `session_start` starts, a
 * date earlier than the record before) are dropped from a log or bundle
 * already found changed: its records are then no one's word, and a record
 * rewritten, inserted or re-signed would be warned about again for the very
 * change named as tampering (a renamed session never started, a copied
 * record dated back). Pure.
 *
 * @example
 * ```ts
 * withoutEchoes([modifiedAt12, sessionNeverStartedAt12]); // [modifiedAt12]
 * ```
 */
import type { Finding, FindingKind } from "./finding.ts";

/** The kinds that only repeat what a change of the records shows. */
const ECHOES: ReadonlySet<FindingKind> = new Set(["session_never_started", "clock_went_back"]);

/** `findings` without those warnings when any finding is tampering. */
export function withoutEchoes(findings: readonly Finding[]): Finding[] {
  if (!findings.some((f) => f.severity === "tamper")) return [...findings];
  return findings.filter((f) => !ECHOES.has(f.kind));
}
