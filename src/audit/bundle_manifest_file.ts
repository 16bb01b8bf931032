/**
 * Reads a bundle's manifest.json for `verify --bundle`: its bytes exactly as
 * stored (the export statement signs their hash), parsed and checked. A
 * folder that holds none of a bundle's evidence (no export.note, no records,
 * no checkpoint notes) is not a bundle: a missing or unreadable manifest
 * there stops verification (`audit.bad_bundle`, "could not run"). Beside
 * that evidence, a manifest that is missing was removed (`deleted`) and one
 * that is not valid JSON was changed (`modified`):
 * tampering (exit 1), as a missing or changed checkpoint note or keys file
 * is. Nothing else in the bundle can be checked without it (it lists every
 * file with its hash and the tree the records start from), so the report
 * holds that one finding ({@linkcode manifestLostReport}). A manifest that
 * cannot be read at all (permission denied, not a regular file), or is
 * JSON of the wrong shape (see `read_bundle_manifest.ts`), still stops
 * verification.
 *
 * @example
 * ```ts
 * const read = await readManifestFile("q3");
 * if ("lost" in read) return manifestLostReport(read.lost, "q3");
 * read.manifest.start?.size; // 120
 * ```
 */
import { AppError } from "../errors.ts";
import type { VerifyReport } from "./verify_report.ts";
import type { Finding } from "./finding.ts";
import { EXPORT_NOTE_FILE, parseExportStatement } from "./export_statement.ts";
import { type BundleManifest, readBundleManifest } from "./read_bundle_manifest.ts";
import { listSegments } from "./log_files.ts";
import { CHECKPOINT_PATTERN } from "./log_paths.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** The manifest's name inside a bundle, as findings name it. */
export const MANIFEST_FILE = "manifest.json";

/** A manifest that was read: its bytes, its JSON, and what the verifier takes from it. */
export interface ManifestRead {
  bytes: Uint8Array<ArrayBuffer>;
  parsed: unknown;
  manifest: BundleManifest;
}

const HINTS = ['point --bundle at a folder written by "thoth audit export"'];

/**
 * The manifest of the bundle in `dir`, or the tamper finding when it is
 * missing or garbled beside the bundle's evidence (see the module's doc).
 */
export async function readManifestFile(dir: string): Promise<ManifestRead | { lost: Finding }> {
  const path = `${dir}/${MANIFEST_FILE}`;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await readRegularFile(path);
  } catch (cause) {
    const evidence = cause instanceof Deno.errors.NotFound ? await evidenceIn(dir) : undefined;
    if (evidence !== undefined) return { lost: lostFinding("deleted", evidence) };
    throw new AppError(
      "audit.bad_bundle",
      `cannot read the bundle manifest "${path}": ${reason(cause)}`,
      { hints: HINTS, cause },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    const evidence = await evidenceIn(dir);
    if (evidence !== undefined) {
      return { lost: lostFinding("modified", evidence) };
    }
    throw new AppError(
      "audit.bad_bundle",
      `cannot read the bundle manifest "${path}": it is not valid JSON`,
      { hints: HINTS, cause },
    );
  }
  // A manifest of the wrong shape stops verification, as before (see `read_bundle_manifest.ts`).
  return { bytes, parsed, manifest: readBundleManifest(parsed, path) };
}

/**
 * The report of a bundle whose manifest is lost: that one finding (exit 1),
 * nothing read, and a notice that says nothing else was checked.
 */
export function manifestLostReport(finding: Finding, segments: readonly string[]): VerifyReport {
  return {
    status: "tampered",
    exitCode: 1,
    records: 0,
    logSize: 0,
    segments: [...segments],
    checkpoints: { verified: 0, unverified: 0, latestSize: null },
    anchor: null,
    trust: null,
    unanchoredTail: { records: 0, anchoredSize: 0, by: "none" },
    findings: [finding],
    notice: MANIFEST_LOST_NOTICE,
    bundle: { firstSeq: 0, lastSeq: -1, from: null, to: null },
  };
}

/** Whether `report` is one {@linkcode manifestLostReport} made. */
export function isManifestLost(report: VerifyReport): boolean {
  return report.notice === MANIFEST_LOST_NOTICE;
}

const MANIFEST_LOST_NOTICE =
  `Nothing else in this bundle was verified: its ${MANIFEST_FILE} lists every file with its hash and the tree its records start from, and the signed export statement (${EXPORT_NOTE_FILE}) signs its hash, so without it no record, checkpoint or key can be checked. Ask whoever sent the bundle for it as exported, or export it again on the device (thoth audit export).`;

/** What of a bundle `dir` holds besides its manifest, in words; undefined when none of it. */
async function evidenceIn(dir: string): Promise<string | undefined> {
  const note = await readRegularFile(`${dir}/${EXPORT_NOTE_FILE}`).catch(() => undefined);
  if (note !== undefined) {
    const text = new TextDecoder().decode(note);
    const split = text.lastIndexOf("\n\n");
    const stated = split < 0 ? undefined : parseExportStatement(text.slice(0, split + 1));
    return stated === undefined
      ? `its export statement (${EXPORT_NOTE_FILE}) is there`
      : `its export statement (${EXPORT_NOTE_FILE}), which states the manifest's SHA-256 ${stated.manifest}, is there`;
  }
  const records = (await listSegments(`${dir}/records`).catch(() => [])).length;
  const notes = await countNotes(`${dir}/checkpoints`);
  if (records === 0 && notes === 0) return undefined;
  return `its records (${records} file(s)) and checkpoint notes (${notes}) are there`;
}

/** The checkpoint notes in `dir` (0 when it cannot be read). */
async function countNotes(dir: string): Promise<number> {
  let count = 0;
  try {
    for await (const entry of Deno.readDir(dir)) if (CHECKPOINT_PATTERN.test(entry.name)) count++;
  } catch {
    return 0;
  }
  return count;
}

/** The finding for a manifest missing (`deleted`) or not valid JSON (`modified`) beside `evidence`. */
function lostFinding(kind: "deleted" | "modified", evidence: string): Finding {
  const what = kind === "deleted"
    ? `bundle file ${MANIFEST_FILE} is missing, though ${evidence}: it was removed after the export`
    : `bundle file ${MANIFEST_FILE} is not valid JSON, though ${evidence}: it was changed after the export`;
  return {
    kind,
    severity: "tamper",
    source: MANIFEST_FILE,
    message:
      `${what}; nothing else in the bundle can be checked without it (it lists every file with its hash and the tree the records start from)`,
  };
}

/** Why a read failed, in words. */
function reason(cause: unknown): string {
  if (cause instanceof Deno.errors.NotFound) return "it does not exist";
  if (cause instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (cause instanceof Deno.errors.InvalidData) return "it is not a regular file";
  if (cause instanceof Deno.errors.IsADirectory) return "it is a folder";
  return cause instanceof Error ? cause.message : String(cause);
}
