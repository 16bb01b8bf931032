/**
 * Decides whether `thoth audit export` may sign a bundle of this device's
 * log: it runs the verifier over the log first (`verifyLocalLog`, as
 * `thoth audit verify` does) and refuses (`audit.log_not_verified`, exit 1)
 * when it finds the log tampered with, records lost, or a check it could
 * not make. Sessions that write meanwhile are no reason: the log is judged
 * up to where it ended under the writers' lock (see `log_snapshot.ts`), or,
 * when that lock cannot be taken, records still being written past the
 * count are a warning (`being_written`). A signed export statement is the device vouching for what it
 * exported: it must not vouch in silence for a log that does not verify
 * (the bundle's own records can verify while the log lost records after
 * them). With `withFindings` (`--with-findings`) the export goes on and the
 * findings travel in the bundle: a section at the top of its README, and a
 * line of the signed statement that `verify --bundle`
 * reports (see `export_statement.ts`). It returns the bytes it verified with
 * its judgement, to be given once the export has said anything more precise
 * about the period: the bundle is made of those bytes (see `verified_read.ts`).
 *
 * @example
 * ```ts
 * const gated = await exportGate("/home/ana/.thoth", { withFindings: false, now: new Date() });
 * gated.judge(); // throws audit.log_not_verified for a changed log; else undefined or the findings
 * ```
 */
import { AppError } from "../errors.ts";
import type { Finding } from "./finding.ts";
import type { DeviceVerification } from "./export_statement.ts";
import { verifyLocalLog } from "./verify_log.ts";
import type { VerifyProgress } from "./verify_progress.ts";
import type { GateRead, VerifiedRead } from "./verified_read.ts";

/** How many findings the refusal names before it points to `thoth audit verify`. */
const NAMED = 3;

/**
 * Verifies the log under `thothHome`: what it read, and a judgement that is
 * undefined when nothing stops the export, the findings when `withFindings`
 * lets it go on, else throws the refusal.
 */
export async function exportGate(
  thothHome: string,
  options: {
    withFindings: boolean;
    now: Date;
    /** Told how far the verification has got (see `verify_progress.ts`). */
    progress?: (progress: VerifyProgress) => void;
  },
): Promise<GateRead> {
  let read: VerifiedRead | undefined;
  const report = await verifyLocalLog(thothHome, {
    keep: (verified) => read = verified,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
  if (read === undefined) throw new Error("the verification handed over no log it read");
  return { read, judge: () => judge(report, options) };
}

function judge(
  report: { findings: Finding[]; exitCode: number },
  options: { withFindings: boolean; now: Date },
): DeviceVerification | undefined {
  const stopping = report.findings.filter((f) =>
    f.severity === "tamper" || f.severity === "unverified"
  );
  if (stopping.length === 0) return undefined;
  if (options.withFindings) {
    return { verified: options.now.toISOString(), exitCode: report.exitCode, findings: stopping };
  }
  const named = stopping.slice(0, NAMED).map((f) => `${f.kind}${at(f)}: ${f.message}`);
  const more = stopping.length > NAMED ? ` (and ${stopping.length - NAMED} more)` : "";
  throw new AppError(
    "audit.log_not_verified",
    `the audit log does not verify, so nothing was exported (a signed bundle would vouch for it): ${
      named.join("; ")
    }${more}`,
    {
      hints: [
        'run "thoth audit verify" to see every finding, and keep the log as it is: it is the evidence',
        "to export it all the same, with the findings written into the bundle and stated in its signed export statement (verify --bundle then reports them), add --with-findings",
      ],
    },
  );
}

function at(finding: Finding): string {
  if (finding.seq === undefined) return "";
  return finding.toSeq !== undefined && finding.toSeq !== finding.seq
    ? ` seq ${finding.seq}..${finding.toSeq}`
    : ` seq ${finding.seq}`;
}
