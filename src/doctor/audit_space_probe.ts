/**
 * Whether the disk holding a profile's audit log has room for it, tried:
 * the modes `audit_write_access.ts` judges do not tell a full disk, which
 * refuses every governed tool call all the same (the log and the spool
 * cannot be written). A probe file of {@linkcode PROBE_BYTES} bytes is
 * written in the audit folder (named `.space-probe-…`, which no reader of
 * the log takes for a segment, a spool file or a tally), synced (some file
 * systems refuse only then) and removed at once, whatever happened. Only
 * in a folder that exists (none is made). {@linkcode probeAuditSpace} is
 * the thin I/O, the write passed in; {@linkcode spaceProblem} the words,
 * pure.
 *
 * @example
 * ```ts
 * const failed = await probeAuditSpace(auditPaths(thothHome).dir);
 * const problem = failed === undefined ? null : spaceProblem(thothHome, failed);
 * problem?.message; // "the disk holding \"/home/ana/.thoth/audit\" has no free space: …"
 * ```
 */
import { auditPaths } from "../audit/log_paths.ts";
import { freeSpaceHint, saysDiskFull } from "../audit/disk_full_words.ts";
import { errorWords } from "../audit/error_words.ts";
import { profileSetupProblem } from "../identity/profile_setup_hint.ts";
import { shellQuote } from "./shell_quote.ts";

/** The size of the probe file: a few KiB, as much as a lost tally or a batch of records. */
export const PROBE_BYTES = 4096;

/** Makes the new file `path`, writes `bytes` to it and syncs them to the disk; throws when it cannot. */
export type ProbeWrite = (path: string, bytes: Uint8Array) => Promise<void>;

/** The probe's write: a new file (never one that is there, never through a link), 0600, synced. */
export async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
  try {
    // A write may take fewer bytes than asked (a disk filling up): the next one then fails.
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
    await file.syncData();
  } finally {
    file.close();
  }
}

/**
 * Writes, syncs and removes a probe file in the folder `dir` with `write`;
 * the error that refused it, or undefined when it went through (or `dir`
 * is gone). The probe is removed whatever happened; a probe that cannot be
 * removed is an error too.
 */
export async function probeAuditSpace(
  dir: string,
  write: ProbeWrite = writeSynced,
): Promise<unknown> {
  const probe = `${dir}/.space-probe-${crypto.randomUUID()}`;
  let failed: unknown;
  try {
    await write(probe, new Uint8Array(PROBE_BYTES));
  } catch (error) {
    failed = error;
  }
  try {
    await Deno.remove(probe);
  } catch (error) {
    // Not made (the write failed first), or removed: nothing is left behind.
    if (!(error instanceof Deno.errors.NotFound) && failed === undefined) failed = error;
  }
  // A folder removed meanwhile is the other checks' to name; a write doctor was not granted, no fault.
  if (failed instanceof Deno.errors.NotFound || failed instanceof Deno.errors.NotCapable) {
    return undefined;
  }
  return failed;
}

/**
 * What the audit check says when the probe in the audit folder of
 * `thothHome` failed with `error`: a full disk (out of space, or a disk
 * quota) with the hint to free space, or a folder that cannot be written
 * though its modes allow it (a read-only disk, an access list). Pure.
 */
export function spaceProblem(
  thothHome: string,
  error: unknown,
): { message: string; hint: string } {
  const dir = auditPaths(thothHome).dir;
  const why = errorWords(error);
  const refused = "the audit log cannot be written, so thoth refuses every governed tool call " +
    "(audit.unwritable; observe mode forwards them, unrecorded)";
  if (profileSetupProblem(error) === "no_space" || saysDiskFull(why, Deno.build.os)) {
    return {
      message: `the disk holding "${dir}" has no free space: a ${PROBE_BYTES / 1024} KiB ` +
        `probe file could not be written there (${why}); ${refused}`,
      hint: freeSpaceHint(thothHome),
    };
  }
  return {
    message: `"${dir}" cannot be written though its modes allow it: a ` +
      `${PROBE_BYTES / 1024} KiB probe file could not be written there (${why}); ${refused}`,
    hint: profileSetupProblem(error) === "read_only"
      ? `the profile is on a read-only file system: remount it read-write, or move it with ` +
        `THOTH_HOME to a disk thoth can write to; then run "thoth doctor" again`
      : `make ${shellQuote(dir)} writable for the user thoth runs as (an access list, a ` +
        "security policy or a missing capability can refuse what its mode allows); then run " +
        '"thoth doctor" again',
  };
}
