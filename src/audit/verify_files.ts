/**
 * Runs the pure verifier over files on disk: the segments (up to where a
 * snapshot of the log ended, when given), the checkpoint notes beside them,
 * the listed keys and an anchor kept off the device; what is not a regular
 * file is named, never opened. The device's log and a bundle are both
 * verified through it (see `verify_log.ts`, `verify_bundle.ts`).
 *
 * @example
 * ```ts
 * const report = await verifyFiles({ segmentsDir, checkpointsDir, publicKeysPath });
 * ```
 */
import { AppError } from "../errors.ts";
import { AuditVerifier } from "./audit_verifier.ts";
import type { VerifyReport, VerifyStart } from "./verify_report.ts";
import { exitCodeFor } from "./finding.ts";
import { verifyStatus } from "./verify_status.ts";
import { listNotRegular, listSegments, readCheckpointNotes } from "./log_files.ts";
import { CHECKPOINT_PATTERN, SEGMENT_PATTERN } from "./log_paths.ts";
import { lineCount, notRegularFindings } from "./not_regular_findings.ts";
import { withoutEchoes } from "./record_warning_echoes.ts";
import { withoutMacEchoes } from "./state_mac_echoes.ts";
import type { StatementInput } from "./export_statement.ts";
import type { KeyRotationFact } from "./key_rotation_fact.ts";
import { anchorCopyFinding } from "./anchor_copy_finding.ts";
import { checkpointNoteProblem } from "./checkpoint_note_problem.ts";
import type { LocalTraces } from "./local_traces.ts";
import type { LogEnd } from "./log_snapshot.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import type { StateMacCheck } from "./state_mac_check.ts";
import { readKeysFileOnce } from "./keys_file_read.ts";
import type { VerifiedRead } from "./verified_read.ts";
import { readListedKeys } from "./listed_keys.ts";
import { readFailureReason } from "./read_failure_reason.ts";
import type { VerifyProgress } from "./verify_progress.ts";

/** Options for `verifyLocalLog` (`verify_log.ts`) and `verifyBundle` (`verify_bundle.ts`). */
export interface VerifyFilesOptions {
  /** A checkpoint note kept off the device. */
  anchorPath?: string;
  /**
   * How long a device's log waits for the writers' lock (default 2 s, see
   * `log_snapshot.ts`) before it is read without it.
   */
  lockWaitMs?: number;
  /**
   * Runs between a read without the lock and the look that tells whether
   * the files changed meanwhile (tests: a writer appending at that moment).
   */
  betweenReads?: () => Promise<void>;
  /** Gets the bytes the returned report judged (`thoth audit export` bundles those). */
  keep?: (read: VerifiedRead) => void;
  /** Told after each segment is read and before the checks that need them all. */
  progress?: (progress: VerifyProgress) => void;
}

/**
 * Runs the verifier over the segments (regular files only) and names every
 * segment or checkpoint-note name on something that is not a regular file,
 * never opening it (see `not_regular_findings.ts`); warnings about what
 * records say are dropped once the records were found changed (see
 * `record_warning_echoes.ts`), and so is a state MAC finding that a finding
 * about the same state explains (see `state_mac_echoes.ts`).
 */
export async function verifyFiles(options: {
  segmentsDir: string;
  checkpointsDir: string;
  publicKeysPath: string;
  anchorPath?: string;
  start?: VerifyStart;
  rotations?: KeyRotationFact[];
  bundle?: boolean;
  local?: LocalTraces;
  statement?: StatementInput;
  stateMac?: StateMacCheck;
  /** Where the log ended when its state was read (see `log_snapshot.ts`): read up to there. */
  upTo?: LogEnd;
  keep?: (read: VerifiedRead) => void;
  progress?: (progress: VerifyProgress) => void;
}): Promise<VerifyReport> {
  const anchor = options.anchorPath === undefined
    ? undefined
    : await readAnchor(options.anchorPath);
  const upTo = options.upTo;
  const keysRead = upTo?.keys ?? await readKeysFileOnce(options.publicKeysPath);
  const keys = await readListedKeys(options.publicKeysPath, keysRead);
  const checkpoints = (await readCheckpointNotes(options.checkpointsDir))
    .filter((n) => upTo === undefined || upTo.checkpoints.has(n.source));
  const verifier = new AuditVerifier({
    keys,
    checkpoints,
    ...(anchor ? { anchor } : {}),
    ...(options.start ? { start: options.start } : {}),
    ...(options.rotations ? { rotations: options.rotations } : {}),
    ...(options.bundle ? { bundle: true } : {}),
    ...(options.local ? { local: options.local } : {}),
    ...(options.statement ? { statement: options.statement } : {}),
    ...(options.stateMac ? { stateMac: options.stateMac } : {}),
  });
  // Names of log files on what is not a regular file: never opened, but named.
  const odd = {
    segments: await listNotRegular(options.segmentsDir, SEGMENT_PATTERN),
    notes: await listNotRegular(options.checkpointsDir, CHECKPOINT_PATTERN),
  };
  /** The seqs each segment holds by its name and line count (counted only when needed). */
  const spans: { first: number; count: number }[] = [];
  const kept = new Map<string, Uint8Array>();
  // A segment begun after the snapshot holds only records written after it.
  const names = (await listSegments(options.segmentsDir))
    .filter((name) => upTo === undefined || upTo.segments.has(name));
  const progress = options.progress;
  const total = progress === undefined ? 0 : await segmentBytes(options.segmentsDir, names, upTo);
  let bytesRead = 0;
  const tell = (phase: VerifyProgress["phase"], segmentsRead: number) =>
    progress?.({
      phase,
      segmentsRead,
      segments: names.length,
      bytesRead,
      bytes: Math.max(total, bytesRead),
      records: verifier.records,
    });
  for (const [index, name] of names.entries()) {
    const size = upTo?.segments.get(name);
    const whole = await readRegularFile(`${options.segmentsDir}/${name}`);
    const bytes = size === undefined || whole.length <= size ? whole : whole.subarray(0, size);
    if (odd.segments.length > 0) {
      spans.push({ first: Number(SEGMENT_PATTERN.exec(name)?.[1]), count: lineCount(bytes) });
    }
    await verifier.addSegment(name, bytes);
    if (options.keep !== undefined) kept.set(name, bytes);
    bytesRead += bytes.length;
    tell("reading", index + 1);
  }
  tell("checking", names.length);
  const report = await verifier.finish();
  options.keep?.({ segments: kept, checkpoints, keys: keysRead });
  const more = notRegularFindings({
    ...odd,
    held: (seq) => spans.some((s) => seq >= s.first && seq < s.first + s.count),
    prefix: options.bundle
      ? { segments: "records/", notes: "checkpoints/" }
      : { segments: "", notes: "" },
  });
  // A bundle's anchor that is one of its own checkpoint notes proves nothing beyond it.
  const copy = options.bundle && anchor ? anchorCopyFinding(anchor.note, checkpoints) : undefined;
  if (copy !== undefined) more.push(copy);
  const findings = withoutMacEchoes(withoutEchoes([...report.findings, ...more]))
    .sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1));
  if (more.length === 0 && findings.length === report.findings.length) return report;
  return {
    ...report,
    findings,
    exitCode: exitCodeFor(findings),
    status: verifyStatus(findings, { records: report.records, segments: report.segments.length }),
  };
}

/**
 * What the segments hold, for progress: up to where the snapshot ended, else
 * as they stand (a segment that cannot be looked at counts nothing here; its
 * read names the trouble).
 */
async function segmentBytes(dir: string, names: string[], upTo?: LogEnd): Promise<number> {
  let total = 0;
  for (const name of names) {
    const size = upTo?.segments.get(name);
    if (size !== undefined) {
      total += size;
      continue;
    }
    try {
      total += (await Deno.stat(`${dir}/${name}`)).size;
    } catch {
      // Counted as nothing.
    }
  }
  return total;
}

/**
 * The anchor checkpoint, refused when it is not a signed checkpoint note: a
 * file of the wrong shape is bad input, not evidence about the log.
 */
async function readAnchor(path: string): Promise<{ source: string; note: string }> {
  const hint = 'pass a file written by "thoth audit checkpoint --export FILE"';
  let note: string;
  try {
    note = new TextDecoder().decode(await readRegularFile(path));
  } catch (cause) {
    throw new AppError(
      "audit.no_anchor",
      `cannot read the anchor checkpoint "${path}": ${readFailureReason(cause)}`,
      { hints: ['export one with "thoth audit checkpoint --export FILE"'], cause },
    );
  }
  const problem = checkpointNoteProblem(note);
  if (problem !== undefined) {
    throw new AppError(
      "audit.bad_anchor",
      `the anchor "${path}" is not a signed checkpoint note: ${problem}`,
      { hints: [hint] },
    );
  }
  return { source: path, note };
}
