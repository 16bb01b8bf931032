/**
 * The lines `thoth audit verify` prints for its findings, in the report's
 * order (by seq): each finding with its sequence numbers, up to
 * `FINDINGS_SHOWN_PER_KIND` of each kind and severity; past that, one line
 * in place of the rest, saying how many more there are, between which seqs,
 * and that `--json` lists every one. A log of 200,000 sessions that never
 * ended (a machine where sessions were killed for months) has as many
 * findings: one line each would bury the verdict and the findings of other
 * kinds. The JSON report keeps every finding. Pure.
 *
 * @example
 * ```ts
 * for (const line of findingLines(report.findings)) lines.push(line);
 * // "  warning session_without_end seq 0: session s-0 has no session end record (…)"
 * // … 19 more, then
 * // "  warning session_without_end: and 199980 more of this kind, from seq 40 to seq 399998
 * //  (not printed; --json lists every finding)" (one line)
 * ```
 */
import type { Finding } from "./finding.ts";

/** How many findings of one kind and severity the text report prints. */
export const FINDINGS_SHOWN_PER_KIND = 20;

/** What the findings left out of one kind and severity hold. */
interface LeftOut {
  count: number;
  from?: number;
  to?: number;
}

/** The report's lines for `findings`, at most `FINDINGS_SHOWN_PER_KIND` of each kind and severity. */
export function findingLines(findings: readonly Finding[]): string[] {
  const shown = new Map<string, number>();
  const left = new Map<string, LeftOut>();
  for (const f of findings) {
    const key = `${f.severity} ${f.kind}`;
    const count = (shown.get(key) ?? 0) + 1;
    shown.set(key, count);
    if (count <= FINDINGS_SHOWN_PER_KIND) continue;
    const out = left.get(key) ?? { count: 0 };
    out.count += 1;
    const first = f.seq;
    const last = f.toSeq !== undefined && f.seq !== undefined && f.toSeq > f.seq ? f.toSeq : f.seq;
    if (first !== undefined && (out.from === undefined || first < out.from)) out.from = first;
    if (last !== undefined && (out.to === undefined || last > out.to)) out.to = last;
    left.set(key, out);
  }
  const lines: string[] = [];
  const printed = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.severity} ${f.kind}`;
    const count = (printed.get(key) ?? 0) + 1;
    printed.set(key, count);
    if (count <= FINDINGS_SHOWN_PER_KIND) lines.push(findingLine(f));
    // The rest of its kind, once, right after the last one printed.
    const rest = left.get(key);
    if (count === FINDINGS_SHOWN_PER_KIND && rest !== undefined) {
      lines.push(`  ${f.severity.padEnd(7)} ${f.kind}: ${leftOutText(rest)}`);
    }
  }
  return lines;
}

/** One finding: its severity, kind, seq (a range only when it runs forward: "seq 28..27" names nothing) and message. */
function findingLine(f: Finding): string {
  const where = f.seq === undefined
    ? ""
    : f.toSeq !== undefined && f.toSeq > f.seq
    ? ` seq ${f.seq}..${f.toSeq}`
    : ` seq ${f.seq}`;
  return `  ${f.severity.padEnd(7)} ${f.kind}${where}: ${f.message}`;
}

/** "and 199980 more of this kind, from seq 40 to seq 399998 (not printed; --json lists every finding)". */
function leftOutText({ count, from, to }: LeftOut): string {
  const span = from === undefined || to === undefined
    ? ""
    : from === to
    ? `, at seq ${from}`
    : `, from seq ${from} to seq ${to}`;
  return `and ${count} more of this kind${span} (not printed; --json lists every finding)`;
}
