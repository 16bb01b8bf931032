/**
 * What `thoth doctor` and `thoth health` say of a profile's lost tallies
 * (see `lost_tally_file.ts`): whether their folder can hold a session's
 * tally (see `lost_tally_folder.ts`); the tallies sessions refused and set
 * aside in `audit/lost/refused/` (see `refuse_lost_tally.ts`), counted as
 * the refused spool files are (see `spool_refused_files.ts`); and how many
 * tallies of dead sessions count losses under a MAC this profile cannot
 * check (the audit key cannot be read), which no session takes in or
 * removes until one that can read the key runs, or under one that verifies
 * (waiting for the next session to take them in, as spool files wait).
 * Thin I/O: `lstat`s, a listing, the audit key, and the tallies (4 KiB
 * each). No link is followed.
 *
 * @example
 * ```ts
 * const tallies = await lostTallyHealth(thothHome, Date.now(), Deno.uid());
 * tallies.refused?.files; // 1
 * ```
 */
import { auditPaths } from "./log_paths.ts";
import { decodeLostTally, LOST_TALLY_BYTES } from "./lost_tally.ts";
import { held, tallyMac } from "./lost_tally_findings.ts";
import {
  judgeLostTallyFolder,
  lostTallyFolder,
  type LostTallyFolderProblem,
  lstatOrNull,
} from "./lost_tally_folder.ts";
import { REFUSED_TALLIES } from "./refuse_lost_tally.ts";
import { refusedFilesIn, type RefusedSpoolFiles } from "./spool_refused_files.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** The lost tallies of a profile, as doctor and health report them. */
export interface LostTallyHealth {
  /** Why their folder cannot hold a session's tally, and the fix; null when it can. */
  readonly folderProblem: LostTallyFolderProblem | null;
  /** The tallies sessions refused and set aside; null when there are none. */
  readonly refused: RefusedSpoolFiles | null;
  /**
   * How many tallies of dead sessions count losses under a MAC that cannot
   * be checked (the audit key cannot be read); 0 when the key can be read.
   */
  readonly unchecked: number;
  /**
   * How many tallies of dead sessions count losses under a MAC that verifies
   * and name their file's session: the next session to start takes them
   * into the log (see `take_in_lost_tallies.ts`); 0 when the key cannot be
   * read (they are `unchecked` then).
   */
  readonly waiting: number;
}

/** The name of a lost tally file (see `LostTallyFile`). */
const TALLY_NAME = /^.{1,200}\.tally$/;

/**
 * The lost tallies of `thothHome` (see the module's doc), judged for a
 * writer of uid `uid` (null: modes are not judged).
 */
export async function lostTallyHealth(
  thothHome: string,
  nowMs: number,
  uid: number | null,
): Promise<LostTallyHealth> {
  const dir = lostTallyFolder(thothHome);
  const info = lstatOrNull(dir);
  const folderProblem = judgeLostTallyFolder(dir, info, uid);
  if (info === null || !info.isDirectory) {
    return { folderProblem, refused: null, unchecked: 0, waiting: 0 };
  }
  const refusedDir = `${dir}/${REFUSED_TALLIES}`;
  const refused = lstatOrNull(refusedDir)?.isDirectory === true
    ? refusedFilesIn(refusedDir, nowMs)
    : null;
  return { folderProblem, refused, ...await deadTallies(thothHome, dir) };
}

/**
 * How many tallies in `dir` that no session holds count losses under a MAC
 * that cannot be checked (the audit key cannot be read), or under one that
 * verifies and name their file's session (waiting to be taken in).
 */
async function deadTallies(
  thothHome: string,
  dir: string,
): Promise<{ unchecked: number; waiting: number }> {
  const mac = await tallyMac(auditPaths(thothHome).hmacKey);
  let unchecked = 0;
  let waiting = 0;
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (!entry.isFile || !TALLY_NAME.test(entry.name)) continue;
      const path = `${dir}/${entry.name}`;
      let bytes: Uint8Array;
      try {
        bytes = await readRegularFile(path, { limit: LOST_TALLY_BYTES });
      } catch {
        continue; // Removed meanwhile, or not a file thoth writes.
      }
      const read = decodeLostTally(bytes, entry.name, mac);
      if ("problem" in read || read.tally.count === 0) continue;
      const own = `${read.tally.session}.tally` === entry.name;
      const kind = read.mac === "unchecked"
        ? "unchecked"
        : read.mac === "verified" && own
        ? "waiting"
        : undefined;
      if (kind === undefined || held(path)) continue;
      if (kind === "unchecked") unchecked++;
      else waiting++;
    }
  } catch {
    // A folder that cannot be listed: the folder's problem says why.
  }
  return { unchecked, waiting };
}
