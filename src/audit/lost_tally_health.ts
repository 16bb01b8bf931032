/**
 * What `thoth doctor` and `thoth health` say of a profile's lost tallies
 * (see `lost_tally_file.ts`): whether their folder can hold a session's
 * tally (see `lost_tally_folder.ts`); the tallies sessions refused and set
 * aside in `audit/lost/refused/` (see `refuse_lost_tally.ts`), counted as
 * the refused spool files are (see `spool_refused_files.ts`); and how many
 * tallies of dead sessions count losses under a MAC this profile cannot
 * check (the audit key cannot be read), which no session takes in or
 * removes until one that can read the key runs, or under one that verifies
 * (waiting for the next session to take them in, as spool files wait:
 * with the records they count, why they were lost, and whether the disk
 * was full then), or
 * that the next session will refuse and set aside (a MAC that does not
 * verify with this profile's key: forged, or another profile's; none;
 * another session's name; bytes that are no tally), which verify warns of;
 * how many this user cannot read (left where they are, counts unknown);
 * and something other than a folder at `audit/lost/refused` (a link, never
 * followed), where refused tallies are set aside.
 * Whether this process can use the folder is tried, not told from the uid
 * (root without the capability to override modes is refused like anyone):
 * a listing and a probe file made and removed at once (see
 * `tryLostTallyFolder`). Thin I/O: `lstat`s, a listing, the probe, the
 * audit key, and the tallies (4 KiB each). No link is followed: one where
 * the folder must be is its problem.
 *
 * @example
 * ```ts
 * const tallies = await lostTallyHealth(thothHome, Date.now(), Deno.uid());
 * tallies.refused?.files; // 1
 * ```
 */
import { auditPaths } from "./log_paths.ts";
import { saysDiskFull } from "./disk_full_words.ts";
import {
  decodeLostTally,
  LOST_TALLY_BYTES,
  LOST_TALLY_NAME,
  type LostTally,
  type LostTallyMac,
} from "./lost_tally.ts";
import { held, tallyMac } from "./lost_tally_findings.ts";
import {
  judgeLostTallyFolder,
  lostTallyFolder,
  type LostTallyFolderProblem,
  lstatOrNull,
  refusedFolderProblem,
  tryLostTallyFolder,
} from "./lost_tally_folder.ts";
import { refusalReason, REFUSED_TALLIES } from "./refuse_lost_tally.ts";
import { refusedFilesIn, type RefusedSpoolFiles } from "./spool_refused_files.ts";
import { FileOverLimitError, readRegularFile } from "../platform/read_regular_file.ts";

/** The lost tallies of a profile, as doctor and health report them. */
export interface LostTallyHealth {
  /** Why their folder cannot hold a session's tally, and the fix; null when it can. */
  readonly folderProblem: LostTallyFolderProblem | null;
  /**
   * Why refused tallies cannot be set aside in `audit/lost/refused`
   * (something other than a folder stands there, a symbolic link among
   * them, never followed), and the fix; null when they can. Absent from
   * values made before it was looked at.
   */
  readonly refusedFolderProblem?: LostTallyFolderProblem | null;
  /**
   * How many tallies in the folder this user cannot read (not taken in, not
   * refused: what they count is unknown); absent from values made before.
   */
  readonly unreadable?: number;
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
  /**
   * How many decision or approval records the `waiting` tallies count, all
   * together; absent from values made before it was counted.
   */
  readonly waitingRecords?: number;
  /**
   * Why the `waiting` tallies' records were lost: their distinct reasons
   * (file content, as the tallies hold them: shown only through
   * `displayText`), those that count the most records first, at most
   * {@linkcode REASONS_SHOWN}; absent from values made before.
   */
  readonly waitingReasons?: readonly string[];
  /**
   * The profile (THOTH_HOME) whose disk was full when a `waiting` tally's
   * records were lost (one of its reasons says so, see
   * `disk_full_words.ts`), to name in the hint; null when none says so,
   * absent from values made before.
   */
  readonly fullDisk?: string | null;
  /**
   * How many tallies of dead sessions the next session will refuse and set
   * aside (see `refuse_lost_tally.ts`): they count losses under a MAC that
   * does not verify with this profile's audit key (forged, or another
   * profile's), or none, or name another session, or are bytes that are no
   * tally; `thoth audit verify` warns of each. One whose MAC cannot be
   * checked (the key cannot be read) is `unchecked` instead.
   */
  readonly unvouched: number;
}

/** The most reasons of waiting tallies told. */
export const REASONS_SHOWN = 3;

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
  // Judged from the modes first; then, when they say nothing is wrong, tried.
  const folderProblem = judgeLostTallyFolder(dir, info, uid) ??
    (info?.isDirectory === true
      ? judgeLostTallyFolder(dir, info, uid, tryLostTallyFolder(dir))
      : null);
  if (info === null || !info.isDirectory) {
    return { folderProblem, refused: null, unchecked: 0, waiting: 0, unvouched: 0 };
  }
  const dead = await deadTallies(thothHome, dir);
  const full = dead.reasons.some((reason) => saysDiskFull(reason, Deno.build.os));
  const refusedDir = `${dir}/${REFUSED_TALLIES}`;
  const refused = lstatOrNull(refusedDir)?.isDirectory === true
    ? refusedFilesIn(refusedDir, nowMs)
    : null;
  return {
    folderProblem,
    refusedFolderProblem: refusedFolderProblem(dir),
    refused,
    unchecked: dead.unchecked,
    waiting: dead.waiting,
    unvouched: dead.unvouched,
    unreadable: dead.unreadable,
    waitingRecords: dead.records,
    waitingReasons: dead.reasons.slice(0, REASONS_SHOWN),
    fullDisk: full ? thothHome : null,
  };
}

/** What the tallies of dead sessions in a folder count (see {@linkcode deadTallies}). */
interface DeadTallies {
  unchecked: number;
  waiting: number;
  unvouched: number;
  unreadable: number;
  /** The records the waiting tallies count, together. */
  records: number;
  /** The waiting tallies' distinct reasons, those that count the most records first. */
  reasons: string[];
}

/**
 * How many tallies in `dir` that no session holds count losses under a MAC
 * that cannot be checked (the audit key cannot be read), or under one that
 * verifies and name their file's session (waiting to be taken in, with the
 * records they count and why they were lost), or that the next session
 * refuses (as `take_in_lost_tallies.ts` judges them).
 */
async function deadTallies(thothHome: string, dir: string): Promise<DeadTallies> {
  const mac = await tallyMac(auditPaths(thothHome).hmacKey);
  let unchecked = 0;
  let waiting = 0;
  let unvouched = 0;
  let unreadable = 0;
  let records = 0;
  const reasons = new Map<string, number>();
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (!entry.isFile || !LOST_TALLY_NAME.test(entry.name)) continue;
      const path = `${dir}/${entry.name}`;
      let kind: TallyKind | undefined;
      try {
        kind = tallyKind(entry.name, await readRegularFile(path, { limit: LOST_TALLY_BYTES }), mac);
      } catch (error) {
        // Longer than any tally thoth writes: refused. Removed meanwhile: gone. Else unreadable.
        if (error instanceof Deno.errors.NotFound) continue;
        if (!(error instanceof FileOverLimitError)) {
          unreadable++;
          continue;
        }
        kind = { kind: "unvouched" };
      }
      if (kind === undefined || held(path)) continue;
      if (kind.kind === "unchecked") unchecked++;
      else if (kind.kind === "unvouched") unvouched++;
      else {
        waiting++;
        records += kind.tally.count;
        reasons.set(kind.tally.reason, (reasons.get(kind.tally.reason) ?? 0) + kind.tally.count);
      }
    }
  } catch {
    // A folder that cannot be listed: the folder's problem says why.
  }
  return { unchecked, waiting, unvouched, unreadable, records, reasons: byCount(reasons) };
}

/** The reasons of `counts` that are not empty, the one that counts the most first (then by text). */
function byCount(counts: ReadonlyMap<string, number>): string[] {
  return [...counts].filter(([reason]) => reason !== "")
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason]) => reason);
}

/** What the next session does with a tally (see {@linkcode tallyKind}); a waiting one's tally. */
type TallyKind =
  | { kind: "waiting"; tally: LostTally }
  | { kind: "unchecked" }
  | { kind: "unvouched" };

/**
 * What the next session does with the tally `bytes` in the file `name`
 * (see `take_in_lost_tallies.ts`), under the audit key's `mac` (undefined:
 * it cannot be read): takes it in (`waiting`), leaves it for a session that
 * can check its MAC (`unchecked`), refuses it (`unvouched`), or removes it
 * with no record, counting nothing (undefined; so is a file being made).
 * Pure.
 */
function tallyKind(
  name: string,
  bytes: Uint8Array,
  mac: LostTallyMac | undefined,
): TallyKind | undefined {
  const read = decodeLostTally(bytes, name, mac);
  if ("problem" in read) {
    return bytes.every((byte) => byte === 0) ? undefined : { kind: "unvouched" };
  }
  if (read.tally.count === 0) return undefined;
  if (read.mac === "unchecked") return { kind: "unchecked" };
  return refusalReason(name, read) === undefined
    ? { kind: "waiting", tally: read.tally }
    : { kind: "unvouched" };
}
