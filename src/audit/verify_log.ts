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
import { AppError } from "../errors.ts";
import { AuditVerifier, type VerifyReport, type VerifyStart } from "./audit_verifier.ts";
import { readPublicKeys, verifiersOf } from "./device_keys.ts";
import { toHex } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import { exitCodeFor } from "./finding.ts";
import { listSegments, readCheckpointNotes } from "./log_files.ts";
import { auditPaths } from "./log_paths.ts";

/** Options for {@linkcode verifyLocalLog} and {@linkcode verifyBundle}. */
export interface VerifyFilesOptions {
  /** A checkpoint note kept off the device. */
  anchorPath?: string;
}

/** Verifies the log under a thoth home. */
export async function verifyLocalLog(
  thothHome: string,
  options: VerifyFilesOptions = {},
): Promise<VerifyReport> {
  const paths = auditPaths(thothHome);
  return await verifyFiles({
    segmentsDir: paths.dir,
    checkpointsDir: paths.checkpoints,
    publicKeysPath: paths.publicKeys,
    ...options,
  });
}

/** Verifies an evidence bundle written by `thoth audit export`: its manifest first, then the records. */
export async function verifyBundle(
  dir: string,
  options: VerifyFilesOptions = {},
): Promise<VerifyReport> {
  const manifest = await readJsonFile<{
    files?: { path: string; sha256: string }[];
    start?: VerifyStart;
  }>(`${dir}/manifest.json`);
  const findings: Finding[] = [];
  const listed = new Set<string>();
  for (const file of manifest.files ?? []) {
    listed.add(file.path);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await Deno.readFile(`${dir}/${file.path}`);
    } catch {
      findings.push({
        kind: "deleted",
        severity: "tamper",
        source: file.path,
        message: `bundle file ${file.path} listed in the manifest is missing`,
      });
      continue;
    }
    const digest = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
    if (digest !== file.sha256) {
      findings.push({
        kind: "modified",
        severity: "tamper",
        source: file.path,
        message: `bundle file ${file.path} does not match its manifest hash`,
      });
    }
  }
  const report = await verifyFiles({
    segmentsDir: `${dir}/records`,
    checkpointsDir: `${dir}/checkpoints`,
    publicKeysPath: `${dir}/keys/audit-signing-keys.json`,
    ...(manifest.start ? { start: manifest.start } : {}),
    ...options,
  });
  if (findings.length === 0) return report;
  const all = [...findings, ...report.findings];
  const exitCode = exitCodeFor(all);
  return {
    ...report,
    findings: all,
    exitCode,
    status: exitCode === 1 ? "tampered" : exitCode === 2 ? "warnings" : "clean",
  };
}

async function verifyFiles(options: {
  segmentsDir: string;
  checkpointsDir: string;
  publicKeysPath: string;
  anchorPath?: string;
  start?: VerifyStart;
}): Promise<VerifyReport> {
  const keys = verifiersOf(await readPublicKeys(options.publicKeysPath).catch(() => []));
  const checkpoints = await readCheckpointNotes(options.checkpointsDir);
  let anchor: { source: string; note: string } | undefined;
  if (options.anchorPath !== undefined) {
    try {
      anchor = { source: options.anchorPath, note: await Deno.readTextFile(options.anchorPath) };
    } catch (cause) {
      throw new AppError(
        "audit.no_anchor",
        `cannot read the anchor checkpoint "${options.anchorPath}"`,
        {
          hints: ['export one with "thoth audit checkpoint --export FILE"'],
          cause,
        },
      );
    }
  }
  const verifier = new AuditVerifier({
    keys,
    checkpoints,
    ...(anchor ? { anchor } : {}),
    ...(options.start ? { start: options.start } : {}),
  });
  for (const name of await listSegments(options.segmentsDir)) {
    await verifier.addSegment(name, await Deno.readFile(`${options.segmentsDir}/${name}`));
  }
  return await verifier.finish();
}

async function readJsonFile<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (cause) {
    throw new AppError("audit.bad_bundle", `cannot read the bundle manifest "${path}"`, {
      hints: ['point --bundle at a folder written by "thoth audit export"'],
      cause,
    });
  }
}
