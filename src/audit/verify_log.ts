/**
 * Runs the pure verifier over the files of a log: the device's own log
 * under a thoth home, or an exported evidence bundle. Thin I/O: it reads,
 * the verifier judges.
 *
 * @example
 * ```ts
 * const report = await verifyLocalLog("/home/ana/.thoth", { anchorPath: "anchor.note" });
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { appendAll } from "./append_all.ts";
import { AuditVerifier, type VerifyReport, type VerifyStart } from "./audit_verifier.ts";
import {
  firstKeyCreated,
  type PublicKeyEntry,
  readPublicKeys,
  verifiersOf,
} from "./device_keys.ts";
import { toHex } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import { exitCodeFor } from "./finding.ts";
import { verifyStatus } from "./verify_status.ts";
import { listNotRegular, listSegments, readCheckpointNotes } from "./log_files.ts";
import { CHECKPOINT_PATTERN, SEGMENT_PATTERN } from "./log_paths.ts";
import { lineCount, notRegularFindings } from "./not_regular_findings.ts";
import { checkFormatLabel } from "./bundle_format_check.ts";
import { withoutEchoes } from "./record_warning_echoes.ts";
import { withoutMacEchoes } from "./state_mac_echoes.ts";
import { KEY_ROTATIONS_FILE, KEYS_FILE } from "./export_bundle.ts";
import { BUNDLE_FORMAT, EXPORT_NOTE_FILE, type StatementInput } from "./export_statement.ts";
import type { KeyRotationFact } from "./key_trust.ts";
import { MANIFEST_FILE, manifestLostReport, readManifestFile } from "./bundle_manifest_file.ts";
import { bundleEntries } from "./bundle_entries.ts";
import { addedFileFinding } from "./bundle_added_files.ts";
import { anchorCopyFinding } from "./anchor_copy_finding.ts";
import type { NoteVerifier } from "./signed_note.ts";
import { type AuditPaths, auditPaths } from "./log_paths.ts";
import { checkpointNoteProblem } from "./checkpoint_note_problem.ts";
import type { LocalTraces } from "./witness_findings.ts";
import { readStateFile, type StateRead } from "./read_state_file.ts";
import { type LogEnd, takeLogSnapshot } from "./log_snapshot.ts";
import { beingWritten } from "./being_written.ts";
import { pathExists } from "../platform/path_exists.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { bundleRangeFindings } from "./bundle_range.ts";
import { shellQuote } from "../doctor/shell_quote.ts";
import { checkStateMac, type StateMacCheck, withStaleMac } from "./state_mac_check.ts";
import { staleStateMacAt } from "./earlier_state_read.ts";
import { parseLogState } from "./log_state.ts";
import { readStateMacKey } from "./read_state_mac_key.ts";
import { type PendingRead, readPendingIntent } from "./read_pending_intent.ts";
import { waitingSpools } from "./waiting_spools.ts";
import { lostTallyFindings } from "./lost_tally_findings.ts";
import { keysFileEntries, type KeysFileRead, readKeysFileOnce } from "./keys_file_read.ts";
import type { VerifiedRead } from "./verified_read.ts";

/** Options for {@linkcode verifyLocalLog} and {@linkcode verifyBundle}. */
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
}

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

/**
 * Verifies an evidence bundle written by `thoth audit export`: its manifest
 * first (every listed file, its hash and length), then the records and the
 * signed export statement (export.note, which signs the manifest), then
 * whether the records hold the seq range the statement (else the manifest)
 * lists. Only regular files are read: a FIFO in a file's place stops
 * verification (`audit.bad_bundle`) instead of blocking it. A bundle not
 * labelled `thoth-audit-bundle/2` is checked for traces of a relabelling or
 * a rewritten manifest (see `bundle_format_check.ts`). A manifest missing
 * or not valid JSON beside the bundle's evidence is tampering, and nothing
 * else is checked (see `bundle_manifest_file.ts`); an anchor that is one of
 * the bundle's own checkpoint notes is named (see `anchor_copy_finding.ts`).
 */
export async function verifyBundle(
  dir: string,
  options: VerifyFilesOptions = {},
): Promise<VerifyReport> {
  const read = await readManifestFile(dir);
  if ("lost" in read) return manifestLostReport(read.lost, await listSegments(`${dir}/records`));
  const { bytes: manifestBytes, parsed, manifest } = read;
  const findings: Finding[] = [];
  const listed = new Set<string>();
  const unlike = new Set<string>();
  for (const file of manifest.files) {
    listed.add(file.path);
    const bytes = await readBundleFile(dir, file.path);
    if (bytes === undefined) {
      unlike.add(file.path);
      findings.push({
        kind: "deleted",
        severity: "tamper",
        source: file.path,
        message: `bundle file ${file.path} listed in the manifest is missing`,
      });
      continue;
    }
    const digest = await sha256Hex(bytes);
    if (digest !== file.sha256 || (file.bytes !== undefined && file.bytes !== bytes.length)) {
      unlike.add(file.path);
      findings.push({
        kind: "modified",
        severity: "tamper",
        source: file.path,
        message: digest !== file.sha256
          ? `bundle file ${file.path} does not match its manifest hash`
          : `bundle file ${file.path} holds ${bytes.length} bytes, but the manifest lists ${file.bytes}`,
      });
    }
  }
  const present = [
    ...(await listSegments(`${dir}/records`)).map((name) => `records/${name}`),
    ...(await readCheckpointNotes(`${dir}/checkpoints`)).map((n) => `checkpoints/${n.source}`),
    ...(await pathExists(`${dir}/${KEYS_FILE}`) ? [KEYS_FILE] : []),
    ...(await pathExists(`${dir}/${KEY_ROTATIONS_FILE}`) ? [KEY_ROTATIONS_FILE] : []),
  ];
  for (const path of present.filter((p) => !listed.has(p))) {
    unlike.add(path);
    findings.push({
      kind: "inserted",
      severity: "tamper",
      source: path,
      message: `bundle file ${path} is not listed in the manifest`,
    });
  }
  // Any other file the manifest does not list was put there after the export
  // (the statement signs the manifest): an auditor cannot tell it from evidence.
  const known = new Set([...listed, ...present, MANIFEST_FILE, EXPORT_NOTE_FILE]);
  for (const path of (await bundleEntries(dir)).filter((p) => !known.has(p))) {
    findings.push(addedFileFinding(path));
  }
  const carried = await readKeyRotations(dir);
  appendAll(findings, carried.findings);
  const noteBytes = await readBundleFile(dir, EXPORT_NOTE_FILE);
  // A label that drops the export statement must not drop its check: traces
  // of a thoth-audit-bundle/2 export under another label are a relabelling.
  const label = await checkFormatLabel({
    dir,
    format: manifest.format,
    manifest: parsed,
    hasNote: noteBytes !== undefined,
    read: (path) => readBundleFile(dir, path),
  });
  appendAll(findings, label.findings);
  const report = await verifyFiles({
    segmentsDir: `${dir}/records`,
    checkpointsDir: `${dir}/checkpoints`,
    publicKeysPath: `${dir}/${KEYS_FILE}`,
    ...(manifest.start ? { start: manifest.start } : {}),
    rotations: carried.rotations,
    bundle: true,
    statement: {
      note: noteBytes === undefined ? undefined : new TextDecoder().decode(noteBytes),
      required: manifest.format === BUNDLE_FORMAT || label.relabelled,
      manifestSha256: await sha256Hex(manifestBytes),
      manifest: {
        since: manifest.period?.since ?? null,
        until: manifest.period?.until ?? null,
        ...(manifest.requested ? { requested: manifest.requested } : {}),
        ...(manifest.included ? { included: manifest.included } : {}),
        startSize: manifest.start?.size ?? 0,
      },
      carriedIntact: !unlike.has(KEY_ROTATIONS_FILE),
    },
    ...options,
  });
  const held = report.bundle ??
    { firstSeq: manifest.start?.size ?? 0, lastSeq: report.logSize - 1, from: null, to: null };
  // The range the export signed, else the one the (unsigned) manifest lists.
  const signed = report.bundle?.statement?.included;
  const claimed = signed ?? manifest.included;
  if (claimed !== undefined) {
    // Records that follow the last checkpoint are already named as uncovered.
    const uncovered = report.findings.filter((f) => f.kind === "uncovered");
    const by = signed !== undefined
      ? { what: "the signed export statement", source: EXPORT_NOTE_FILE }
      : undefined;
    appendAll(
      findings,
      bundleRangeFindings(claimed, held, by).filter((f) =>
        !uncovered.some((u) =>
          (u.seq ?? 0) <= f.seq! && (u.toSeq ?? u.seq ?? 0) >= (f.toSeq ?? f.seq!)
        )
      ),
    );
  }
  const bundle = { ...held, ...(manifest.included ? { claimed: manifest.included } : {}) };
  if (findings.length === 0) return { ...report, bundle };
  const all = [...findings, ...report.findings];
  const exitCode = exitCodeFor(all);
  return {
    ...report,
    findings: all,
    exitCode,
    status: verifyStatus(all, { records: report.records, segments: report.segments.length }),
    bundle,
  };
}

/**
 * A listed bundle file's bytes; undefined when it is missing. One that is not
 * a regular file (a FIFO would block the read for ever) or cannot be read
 * stops verification.
 */
async function readBundleFile(
  dir: string,
  path: string,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return await readRegularFile(`${dir}/${path}`);
  } catch (cause) {
    if (cause instanceof Deno.errors.NotFound) return undefined;
    throw new AppError(
      "audit.bad_bundle",
      `cannot read bundle file "${dir}/${path}": ${reason(cause)}`,
      { hints: ['point --bundle at a folder written by "thoth audit export"'], cause },
    );
  }
}

/**
 * The keys file's entries in order (empty when there is no file). Its first
 * entry is the root of trust without an anchor, so a file that is not a list
 * of well-formed keys stops verification instead of being read around. Why
 * it could not be read is named as it is: permission denied (with the chmod
 * that gives its owner access back), missing, not a regular file, or not
 * valid JSON. `thoth doctor` and `thoth health` read the keys through it too.
 *
 * @example
 * ```ts
 * (await readListedKeys(auditPaths("/home/ana/.thoth").publicKeys)).length; // 1
 * ```
 */
export async function readListedKeys(path: string, read?: KeysFileRead): Promise<NoteVerifier[]> {
  const restore = "restore the keys file from a backup or from the bundle it came with";
  const bad = (why: string, cause?: unknown, hint = restore): AppError =>
    new AppError("audit.bad_keys", `cannot read the signing keys "${path}": ${why}`, {
      hints: [hint],
      ...(cause !== undefined ? { cause } : {}),
    });
  let entries: unknown;
  try {
    entries = read === undefined ? await readPublicKeys(path) : keysFileEntries(read, path);
  } catch (cause) {
    throw unreadableKeys(path, cause, bad);
  }
  if (!Array.isArray(entries)) throw bad(`expected a list of keys, found ${describe(entries)}`);
  const keys: NoteVerifier[] = [];
  for (const [i, entry] of entries.entries()) {
    const key = entry !== null && typeof entry === "object" && !Array.isArray(entry)
      ? verifiersOf([entry as PublicKeyEntry])[0]
      : undefined;
    if (key === undefined) {
      throw bad(`entry ${i} is not a key with a name and a 32-byte publicKey: ${describe(entry)}`);
    }
    keys.push(key);
  }
  return keys;
}

/**
 * The key_rotation records a bundle carries beside its keys (those before its
 * first record and after its last). Each endorsement is a signature, so it
 * passes trust forward wherever it is stored; no checkpoint covers these
 * lines, so the seq they claim proves nothing, and they pass trust back only
 * when a trusted key signed the export statement over them. A line that is
 * not such a record is a finding.
 */
async function readKeyRotations(
  dir: string,
): Promise<{ rotations: KeyRotationFact[]; findings: Finding[] }> {
  const rotations: KeyRotationFact[] = [];
  const findings: Finding[] = [];
  const bytes = await readBundleFile(dir, KEY_ROTATIONS_FILE);
  if (bytes === undefined) return { rotations, findings };
  const text = new TextDecoder().decode(bytes);
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const [i, line] of lines.entries()) {
    let record: Record<string, unknown> | undefined;
    try {
      const value = JSON.parse(line);
      record = value !== null && typeof value === "object" ? value : undefined;
    } catch {
      record = undefined;
    }
    const seq = record?.["seq"];
    if (
      record === undefined || record["type"] !== "key_rotation" || typeof seq !== "number" ||
      !Number.isSafeInteger(seq) || seq < 0
    ) {
      findings.push({
        kind: "modified",
        severity: "tamper",
        source: KEY_ROTATIONS_FILE,
        message: `line ${i + 1} of ${KEY_ROTATIONS_FILE} is not a key_rotation record`,
      });
      continue;
    }
    rotations.push({
      seq,
      oldKeyHash: record["oldKeyHash"],
      newVerifierKey: record["newVerifierKey"],
      endorsement: record["endorsement"],
    });
  }
  return { rotations, findings };
}

/** Why the keys file at `path` could not be read, as the error `bad` makes. */
function unreadableKeys(
  path: string,
  cause: unknown,
  bad: (why: string, cause: unknown, hint?: string) => AppError,
): AppError {
  if (cause instanceof Deno.errors.PermissionDenied || cause instanceof Deno.errors.NotCapable) {
    const folder = path.slice(0, Math.max(path.lastIndexOf("/"), 1));
    return bad(
      "permission denied",
      cause,
      `run the command as the user who owns the profile, or give that user back access ` +
        `(chmod u+rwx ${shellQuote(folder)} && chmod u+rw ${shellQuote(path)})`,
    );
  }
  if (cause instanceof Deno.errors.NotFound) {
    return bad("it is missing (or a folder on its path is)", cause);
  }
  // Only a file that was read and did not parse is "not valid JSON".
  if (isAppError(cause, "audit.bad_key")) return bad("it is not valid JSON", cause);
  return bad(reason(cause), cause);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Runs the verifier over the segments (regular files only) and names every
 * segment or checkpoint-note name on something that is not a regular file,
 * never opening it (see `not_regular_findings.ts`); warnings about what
 * records say are dropped once the records were found changed (see
 * `record_warning_echoes.ts`), and so is a state MAC finding that a finding
 * about the same state explains (see `state_mac_echoes.ts`).
 */
async function verifyFiles(options: {
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
  for (const name of await listSegments(options.segmentsDir)) {
    const size = upTo === undefined ? undefined : upTo.segments.get(name);
    // A segment begun after the snapshot holds only records written after it.
    if (upTo !== undefined && size === undefined) continue;
    const whole = await readRegularFile(`${options.segmentsDir}/${name}`);
    const bytes = size === undefined || whole.length <= size ? whole : whole.subarray(0, size);
    if (odd.segments.length > 0) {
      spans.push({ first: Number(SEGMENT_PATTERN.exec(name)?.[1]), count: lineCount(bytes) });
    }
    await verifier.addSegment(name, bytes);
    if (options.keep !== undefined) kept.set(name, bytes);
  }
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
      `cannot read the anchor checkpoint "${path}": ${reason(cause)}`,
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

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/** Why a read failed, in words. */
function reason(cause: unknown): string {
  if (cause instanceof Deno.errors.NotFound) return "it does not exist";
  if (cause instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (cause instanceof Deno.errors.InvalidData) return "it is not a regular file";
  if (cause instanceof Deno.errors.IsADirectory) return "it is a folder";
  return cause instanceof Error ? cause.message : String(cause);
}
