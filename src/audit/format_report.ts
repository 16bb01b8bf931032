/**
 * Turns a verification report into the lines a person reads: the verdict,
 * each finding with its sequence numbers, the unanchored tail, and the plain
 * notice about truncation. Pure.
 *
 * @example
 * ```ts
 * io.out(formatVerifyReport(report));
 * ```
 */
import type { VerifyReport } from "./audit_verifier.ts";

/** Formats a report for a terminal. */
export function formatVerifyReport(report: VerifyReport): string {
  const lines: string[] = [];
  const verdict = report.status === "clean"
    ? "OK: the audit log is intact"
    : report.status === "tampered"
    ? "TAMPERED: the audit log was changed"
    : "OK with warnings: nothing was changed, but some records need a look";
  lines.push(verdict);
  lines.push(
    `${report.records} records in ${report.segments.length} segment(s); ${report.checkpoints.verified} signed checkpoint(s) verified` +
      (report.anchor
        ? `; anchor at size ${report.anchor.size} ${
          report.anchor.verified ? "verified" : "NOT verified"
        }`
        : ""),
  );
  for (const f of report.findings) {
    const where = f.seq === undefined
      ? ""
      : f.toSeq !== undefined
      ? ` seq ${f.seq}..${f.toSeq}`
      : ` seq ${f.seq}`;
    lines.push(`  ${f.severity.padEnd(7)} ${f.kind}${where}: ${f.message}`);
  }
  lines.push(
    `unanchored tail: ${report.unanchoredTail.records} record(s) after size ${report.unanchoredTail.anchoredSize} (${report.unanchoredTail.by})`,
  );
  lines.push(report.notice);
  return lines.join("\n") + "\n";
}
