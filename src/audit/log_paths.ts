/**
 * Where the audit evidence lives under a thoth home, and how segment and
 * checkpoint files are named. Pure.
 *
 * @example
 * ```ts
 * const paths = auditPaths("/home/ana/.thoth");
 * paths.dir; // "/home/ana/.thoth/audit"
 * segmentName(0, "2026-03-01"); // "seg-000000000000-2026-03-01.jsonl"
 * ```
 */

/** Files and folders of the audit log. */
export interface AuditPaths {
  dir: string;
  lock: string;
  state: string;
  /** A writer's MAC'd intent for the batch it is writing (see `pending_batch.ts`). */
  pending: string;
  checkpoints: string;
  keysDir: string;
  hmacKey: string;
  signingKey: string;
  publicKeys: string;
}

/** The audit paths under a thoth home. */
export function auditPaths(thothHome: string): AuditPaths {
  const home = thothHome.replace(/[\\/]+$/, "");
  const dir = `${home}/audit`;
  const keysDir = `${home}/keys`;
  return {
    dir,
    lock: `${dir}/.lock`,
    state: `${dir}/.state.json`,
    pending: `${dir}/.pending`,
    checkpoints: `${dir}/checkpoints`,
    keysDir,
    hmacKey: `${keysDir}/audit-hmac.key`,
    signingKey: `${keysDir}/audit-signing.key`,
    publicKeys: `${keysDir}/audit-signing-keys.json`,
  };
}

/** Matches segment file names; group 1 is the first seq, group 2 the UTC day. */
export const SEGMENT_PATTERN = /^seg-(\d{12})-(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** Matches checkpoint file names; group 1 is the tree size. */
export const CHECKPOINT_PATTERN = /^cp-(\d{12})\.note$/;

/** The file name of the segment that starts at `seq` on `day`. */
export function segmentName(seq: number, day: string): string {
  return `seg-${String(seq).padStart(12, "0")}-${day}.jsonl`;
}

/** The file name of the checkpoint at `size`. */
export function checkpointName(size: number): string {
  return `cp-${String(size).padStart(12, "0")}.note`;
}
