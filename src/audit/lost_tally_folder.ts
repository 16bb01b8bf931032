/**
 * Whether a profile's lost tallies' folder (`audit/lost`, see
 * `lost_tally_file.ts`) can hold a session's tally. When it cannot (a file
 * stands where the folder must be, or its owner cannot write it), no
 * session keeps a tally: a decision or approval a session loses (when even
 * its audit spool cannot take it) then leaves no trace once the session is
 * killed. `thoth run` says so once on stderr when it starts
 * ({@linkcode tallyNotMadeNote}), `thoth doctor` and `thoth health` report
 * it, and `thoth audit verify` warns of a folder that is not one
 * ({@linkcode lostTallyFolderFinding}). {@linkcode judgeLostTallyFolder}
 * and the words are pure; {@linkcode lookAtLostTallyFolder} is a `lstat`
 * (no link followed, nothing opened).
 *
 * @example
 * ```ts
 * const problem = lookAtLostTallyFolder(thothHome, Deno.uid());
 * problem?.fix; // "mv '/home/ana/.thoth/audit/lost' '/home/ana/.thoth/audit/lost.moved-aside'"
 * ```
 */
import { shellQuote } from "../doctor/shell_quote.ts";
import { modeText } from "../platform/file_mode.ts";
import type { Finding } from "./finding.ts";
import { auditPaths } from "./log_paths.ts";

/** Why the lost tallies' folder cannot hold a tally, and the command that fixes it. */
export interface LostTallyFolderProblem {
  /** What is wrong, naming the folder: `"…/audit/lost" is a regular file, not a folder`. */
  readonly problem: string;
  /** The command that fixes it, paths quoted for a POSIX shell. */
  readonly fix: string;
}

/** What a session that keeps no tally risks, in words (after the problem). */
export const NO_TALLY_WORDS = "no session can keep its lost tally there, so a decision or " +
  "approval a session loses (when even its audit spool cannot take it) leaves no trace once " +
  "that session is killed";

/** The lost tallies' folder of the profile `thothHome`. */
export function lostTallyFolder(thothHome: string): string {
  return `${auditPaths(thothHome).dir}/lost`;
}

/**
 * What is wrong with the folder `dir`, as `lstat` saw it (`info`; null:
 * absent, which is fine: a session makes it), for a writer of uid `uid`
 * (null: modes are not judged, as for root or on Windows); null when
 * nothing is. A symbolic link is not followed: the profile check names
 * links. Pure.
 */
export function judgeLostTallyFolder(
  dir: string,
  info: Deno.FileInfo | null,
  uid: number | null,
): LostTallyFolderProblem | null {
  if (info === null || info.isSymlink) return null;
  const q = shellQuote(dir);
  if (!info.isDirectory) {
    return {
      problem: `"${dir}" is ${kindOf(info)}, not a folder`,
      fix: `mv ${q} ${shellQuote(`${dir}.moved-aside`)}`,
    };
  }
  if (uid === null || uid === 0) return null;
  if (info.uid !== null && info.uid !== uid) {
    return {
      problem: `"${dir}" is owned by uid ${info.uid}, not you (uid ${uid})`,
      fix: `sudo chown -R ${uid} ${q}`,
    };
  }
  const mode = (info.mode ?? 0o700) & 0o777;
  if ((mode & 0o700) !== 0o700) {
    return {
      problem: `"${dir}" is ${modeText(mode)}; it must be 0700: its owner cannot list, ` +
        "enter or write it",
      fix: `chmod 700 ${q}`,
    };
  }
  return null;
}

/**
 * What is wrong with the lost tallies' folder of `thothHome` (see
 * {@linkcode judgeLostTallyFolder}), from a `lstat`; null when nothing is,
 * or when it cannot be looked at (no audit folder, or one that is not a
 * folder: the log check names that).
 */
export function lookAtLostTallyFolder(
  thothHome: string,
  uid: number | null,
): LostTallyFolderProblem | null {
  const dir = lostTallyFolder(thothHome);
  return judgeLostTallyFolder(dir, lstatOrNull(dir), uid);
}

/**
 * The line `thoth run` says on stderr when its session could not make its
 * lost tally in the folder `dir` (`info`: the folder as `lstat` saw it
 * after, null when absent; `error`: why the tally could not be made). Pure.
 */
export function tallyNotMadeNote(dir: string, info: Deno.FileInfo | null, error: unknown): string {
  const why = error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
  // Its kind, and whether its owner may write it (the error says who this session runs as).
  const found = judgeLostTallyFolder(dir, info, info?.uid ?? null);
  const fix = found === null
    ? `make sure "${dir}" is a folder (mode 0700) its owner can write, on a disk with room`
    : found.fix.startsWith("mv ")
    ? `look at it, then run: ${found.fix} (the next session makes the folder)`
    : `run: ${found.fix}`;
  return `warning: this session keeps no lost tally: cannot make it in "${dir}" (${why})` +
    (found === null ? "" : `: ${found.problem}`) +
    `; a decision or approval this session loses (when even its audit spool cannot take it) ` +
    `leaves no trace once the session is killed; ${fix}`;
}

/**
 * The `lost_tally_unusable` warning of `thoth audit verify` for the lost
 * tallies' folder of `thothHome` when something other than a folder stands
 * there (`info`, as `lstat` saw it); undefined when it is a folder, absent
 * or a link. Pure.
 */
export function lostTallyFolderFinding(
  thothHome: string,
  info: Deno.FileInfo | null,
): Finding | undefined {
  const dir = lostTallyFolder(thothHome);
  if (info === null || info.isSymlink || info.isDirectory) return undefined;
  const found = judgeLostTallyFolder(dir, info, null)!;
  return {
    kind: "lost_tally_unusable",
    severity: "warning",
    source: "lost",
    message: `the lost tallies' folder ${found.problem}: ${NO_TALLY_WORDS}, and any tally a ` +
      "killed session left there is gone with it, so verify cannot warn of what it counted; " +
      `look at it, then run: ${found.fix} (the next thoth session makes the folder)`,
  };
}

/** `lstat` of `path`; null when nothing is there or it cannot be looked at. */
export function lstatOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch {
    return null;
  }
}

function kindOf(info: Deno.FileInfo): string {
  if (info.isFile) return "a regular file";
  if (info.isFifo) return "a FIFO";
  if (info.isSocket) return "a socket";
  return "a device";
}
