/**
 * The spool files recovering sessions refused and set aside
 * (`audit/spool/<name>.refused`, `.refused-<n>`; see `refuse_spool_files.ts`):
 * never chained, kept for a person. They may hold genuine evidence (a killed
 * session of an earlier release, whose lines carry no MAC) or forged lines;
 * `thoth audit verify` names the `spool_refused` record of each. `doctor`
 * and `health` report them until they are moved out of the spool folder.
 * Only a listing and a stat of each: never read.
 *
 * @example
 * ```ts
 * const refused = refusedSpoolFiles(thothHome, Date.now());
 * if (refused !== null) console.log(`${refused.files} refused, oldest ${refused.oldest}`);
 * ```
 */
import { DecisionSpool } from "./decision_spool.ts";
import { filesWithMtimes } from "./files_with_mtimes.ts";

/** The refused spool files of a profile. */
export interface RefusedSpoolFiles {
  /** How many. */
  files: number;
  /** The name of the oldest (by mtime). */
  oldest: string;
  /** Its age in milliseconds. */
  oldestMs: number;
}

/** How the name of a refused spool file ends (as `refusedName` makes it). */
const REFUSED = /\.refused(?:-\d+)?$/;

/**
 * The refused spool files in `thothHome`'s spool folder, or null when there
 * are none or the folder cannot be listed. Each is looked at with `lstat`
 * (a link is counted, never followed).
 */
export function refusedSpoolFiles(thothHome: string, nowMs: number): RefusedSpoolFiles | null {
  return refusedFilesIn(DecisionSpool.dir(thothHome), nowMs, (name) => REFUSED.test(name));
}

/**
 * The files in `dir` whose names pass `named` (folders left out), counted
 * with the oldest by mtime, as {@linkcode refusedSpoolFiles} counts them;
 * null when there are none or `dir` cannot be listed. The lost tallies a
 * session refused are counted the same way (see `lost_tally_health.ts`).
 */
export function refusedFilesIn(
  dir: string,
  nowMs: number,
  named: (name: string) => boolean = () => true,
): RefusedSpoolFiles | null {
  let files = 0;
  let oldest = "";
  let oldestMs = -1;
  const picked = (entry: Deno.DirEntry) => !entry.isDirectory && named(entry.name);
  // Each looked at with `lstat`: a link is counted, never followed.
  for (const { name, mtimeMs } of filesWithMtimes(dir, picked, { follow: false })) {
    files++;
    const age = Math.max(0, nowMs - (mtimeMs ?? nowMs));
    if (age > oldestMs || (age === oldestMs && name < oldest)) {
      oldestMs = age;
      oldest = name;
    }
  }
  return files === 0 ? null : { files, oldest, oldestMs };
}
