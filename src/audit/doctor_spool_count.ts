/**
 * Counts the spool files of a profile that wait to be taken into the log
 * ({@linkcode doctorSpoolCount}), for `doctor` and `health`: a killed or
 * stopped session's decisions and approvals (see `decision_spool.ts`), with
 * how many are due to be taken in. Thin, synchronous I/O: the spool folder's
 * listing and each file's mtime; no file is opened. `thoth audit verify`
 * counts the same files, and the records in them, with `waitingSpools` (in
 * `waiting_spools.ts`).
 *
 * @example
 * ```ts
 * const waiting = doctorSpoolCount(thothHome, Date.now(), 60_000);
 * if (waiting !== null) console.log(`${waiting.files} spool file(s) wait`);
 * ```
 */
import { DecisionSpool } from "./decision_spool.ts";
import { filesWithMtimes } from "./files_with_mtimes.ts";
import { CLAIMED, REFUSED } from "./spool_claims.ts";

/** Spool files of other sessions that wait to be taken in (see {@linkcode doctorSpoolCount}). */
export interface DoctorSpoolCount {
  /** How many files. */
  files: number;
  /** The age of the oldest, in milliseconds (by mtime). */
  oldestMs: number;
  /** How many of them are old enough for a session to take in now (see `orphanAfterMs`). */
  due: number;
}

/**
 * The spool files in a profile (each a session's decisions and approvals
 * not yet in the chained log), or null when there are none. A running
 * session's file is younger than a few milliseconds unless the log is
 * failing; one older than `orphanAfterMs` was left by a session that is
 * gone (or stopped), and the next session to start, or a running one within
 * a minute, takes it in. `doctor` and `health` report these.
 *
 * @example
 * ```ts
 * const waiting = doctorSpoolCount(thothHome, Date.now(), 60_000);
 * if (waiting !== null) console.log(`${waiting.files} spool file(s) wait`);
 * ```
 */
export function doctorSpoolCount(
  thothHome: string,
  nowMs: number,
  orphanAfterMs: number,
): DoctorSpoolCount | null {
  let files = 0;
  let oldestMs = 0;
  let due = 0;
  for (const { mtimeMs } of filesWithMtimes(DecisionSpool.dir(thothHome), waitingSpool)) {
    const age = Math.max(0, nowMs - (mtimeMs ?? 0));
    // A file of a running session is younger than a batch: not waiting.
    if (age < WAITING_AFTER_MS) continue;
    files++;
    oldestMs = Math.max(oldestMs, age);
    if (age >= orphanAfterMs) due++;
  }
  return files === 0 ? null : { files, oldestMs, due };
}

/** How old a spool file must be to count as waiting (a running session's lives milliseconds). */
const WAITING_AFTER_MS = 5_000;

/** Whether `entry` is a spool file (or a claimed one), not a refused one. */
function waitingSpool(entry: Deno.DirEntry): boolean {
  const name = entry.name;
  return entry.isFile && !REFUSED.test(name) && (name.endsWith(".jsonl") || CLAIMED.test(name));
}
