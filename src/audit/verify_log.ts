/**
 * Runs the pure verifier over the device's own log under a thoth home
 * (an exported evidence bundle: see `verify_bundle.ts`). Thin I/O: it
 * reads, the verifier judges.
 *
 * @example
 * ```ts
 * const report = await verifyLocalLog("/home/ana/.thoth", { anchorPath: "anchor.note" });
 * ```
 */
import { appendAll } from "./append_all.ts";
import type { VerifyReport } from "./verify_report.ts";
import { firstKeyCreated } from "./device_keys.ts";
import type { Finding } from "./finding.ts";
import { exitCodeFor } from "./finding.ts";
import { verifyStatus } from "./verify_status.ts";
import { listSegments } from "./log_files.ts";
import { type AuditPaths, auditPaths } from "./log_paths.ts";
import { readStateFile, type StateRead } from "./read_state_file.ts";
import { type LogEnd, takeLogSnapshot } from "./log_snapshot.ts";
import { beingWritten } from "./being_written.ts";
import { checkStateMac, withStaleMac } from "./state_mac_check.ts";
import { staleStateMacAt } from "./earlier_state_read.ts";
import { parseLogState } from "./log_state.ts";
import { readStateMacKey } from "./read_state_mac_key.ts";
import { type PendingRead, readPendingIntent } from "./read_pending_intent.ts";
import { waitingSpools } from "./waiting_spools.ts";
import { lostTallyFindings } from "./lost_tally_findings.ts";
import { verifyFiles, type VerifyFilesOptions } from "./verify_files.ts";

/** How many times a verification without the lock that met records past the count is read again. */
const READS = 5;

/**
 * Verifies the log under a thoth home, with what its state file counts and
 * the writer's intent (`.pending`, which vouches for records past a count
 * whose MAC verifies: see `past_the_count.ts`). The state file, the intent,
 * the segments' sizes, the checkpoint notes' names and the public keys are
 * read together under the writers' lock, held for just those reads (see
 * `log_snapshot.ts`), and the log is judged up to those sizes: records
 * written after that are left for the next verification, so a running
 * writer is no finding. Only the lock file is opened to write.
 *
 * When the lock cannot be taken (a stopped thoth holds it, or it cannot be
 * opened: another account's log, read-only access), the log is read without
 * it: the state file and the intent before the segments (a writer writes
 * records before it counts them), all read again, a few times, when records
 * past the count were met and something changed while it was read. Records
 * past the count still changing by the last read are `being_written`, a
 * warning (see `being_written.ts`), never tampering.
 */
export async function verifyLocalLog(
  thothHome: string,
  options: VerifyFilesOptions = {},
): Promise<VerifyReport> {
  const paths = auditPaths(thothHome);
  const { lockWaitMs, betweenReads, ...rest } = options;
  const taken = await takeLogSnapshot(paths, lockWaitMs);
  const done = async (report: VerifyReport) =>
    withLostTallies({
      ...report,
      spoolWaiting: await waitingSpools(thothHome, Date.now()),
    }, await lostTallyFindings(thothHome));
  if ("snapshot" in taken) {
    const { state, pending, ...upTo } = taken.snapshot;
    return done(await verifyAt(paths, state, pending, rest, upTo));
  }
  for (let attempt = 1;; attempt++) {
    const state = await readStateFile(paths.state);
    const pending = await readPendingIntent(paths);
    const bytes = await logBytes(paths.dir);
    const report = await verifyAt(paths, state, pending, rest);
    await betweenReads?.();
    if (
      !report.findings.some((f) => f.kind === "past_the_count") ||
      ((await readStateFile(paths.state)).text === state.text &&
        (await readPendingIntent(paths)).text === pending.text &&
        await logBytes(paths.dir) === bytes)
    ) {
      return done(report);
    }
    if (attempt === READS) {
      const findings = beingWritten(report.findings, taken.unlocked);
      return done({
        ...report,
        findings,
        exitCode: exitCodeFor(findings),
        status: verifyStatus(findings, {
          records: report.records,
          segments: report.segments.length,
        }),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}

/** `report` with the findings of the lost tallies beside the log (see `lost_tally_findings.ts`). */
function withLostTallies(report: VerifyReport, tallies: readonly Finding[]): VerifyReport {
  if (tallies.length === 0) return report;
  const findings = appendAll(appendAll([], report.findings), tallies);
  return {
    ...report,
    findings,
    exitCode: exitCodeFor(findings),
    status: verifyStatus(findings, { records: report.records, segments: report.segments.length }),
  };
}

/**
 * Verifies the device's log with the state file and the intent as read,
 * up to the segments' sizes and the checkpoint notes in `upTo` when given.
 */
async function verifyAt(
  paths: AuditPaths,
  read: StateRead,
  pending: PendingRead,
  options: VerifyFilesOptions,
  upTo?: LogEnd,
): Promise<VerifyReport> {
  const { text, ...state } = read;
  // The state's MAC, when the state counts records: checked under the device's key, if readable.
  const key = text === undefined || typeof state.state !== "object"
    ? undefined
    : await readStateMacKey(paths.hmacKey);
  const checked = key === undefined ? undefined : checkStateMac(text!, key);
  // A MAC that does not verify may be an earlier state's, left by an earlier release's writer.
  const parsed = checked?.outcome === "failed" ? parseLogState(text!) : undefined;
  const stateMac = checked === undefined || parsed === undefined || !(key && "key" in key)
    ? checked
    : withStaleMac(checked, await staleStateMacAt(paths.dir, parsed, key.key));
  return await verifyFiles({
    segmentsDir: paths.dir,
    checkpointsDir: paths.checkpoints,
    publicKeysPath: paths.publicKeys,
    local: {
      dir: paths.dir,
      stateSource: ".state.json",
      ...state,
      keysCreated: await firstKeyCreated(paths),
      ...(stateMac?.outcome === "verified" ? { stateMacVerified: true } : {}),
      ...(pending.intent === undefined ? {} : { pending: pending.intent }),
    },
    ...(stateMac === undefined ? {} : { stateMac }),
    ...(upTo === undefined ? {} : { upTo }),
    ...options,
  });
}

/** The bytes the log's segments hold, to tell whether a writer wrote while they were read. */
async function logBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await listSegments(dir)) {
    try {
      total += (await Deno.stat(`${dir}/${name}`)).size;
    } catch {
      total -= 1;
    }
  }
  return total;
}
