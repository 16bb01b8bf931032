/**
 * Verifies an evidence bundle written by `thoth audit export` (see
 * {@linkcode verifyBundle}): its manifest, its records and checkpoint notes,
 * the key rotations it carries and its signed export statement.
 *
 * @example
 * ```ts
 * const report = await verifyBundle("/tmp/evidence", { anchorPath: "anchor.note" });
 * ```
 */
import { AppError } from "../errors.ts";
import { appendAll } from "./append_all.ts";
import type { VerifyReport } from "./verify_report.ts";
import { toHex } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import { exitCodeFor } from "./finding.ts";
import { verifyStatus } from "./verify_status.ts";
import { listSegments, readCheckpointNotes } from "./log_files.ts";
import { checkFormatLabel } from "./bundle_format_check.ts";
import { KEY_ROTATIONS_FILE, KEYS_FILE } from "./export_bundle.ts";
import { BUNDLE_FORMAT, EXPORT_NOTE_FILE } from "./export_statement.ts";
import type { KeyRotationFact } from "./key_rotation_fact.ts";
import { MANIFEST_FILE, manifestLostReport, readManifestFile } from "./bundle_manifest_file.ts";
import { bundleEntries } from "./bundle_entries.ts";
import { addedFileFinding } from "./bundle_added_files.ts";
import { pathExists } from "../platform/path_exists.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { bundleRangeFindings } from "./bundle_range.ts";
import { verifyFiles, type VerifyFilesOptions } from "./verify_files.ts";
import { readFailureReason } from "./read_failure_reason.ts";

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
      `cannot read bundle file "${dir}/${path}": ${readFailureReason(cause)}`,
      { hints: ['point --bundle at a folder written by "thoth audit export"'], cause },
    );
  }
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

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}
