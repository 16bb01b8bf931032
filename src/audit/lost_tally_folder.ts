/**
 * Whether a profile's lost tallies' folder (`audit/lost`, see
 * `lost_tally_file.ts`) can hold a session's tally. When it cannot (a file
 * or a symbolic link stands where the folder must be, or this process
 * cannot list, enter or write it), no session keeps a tally: a decision or
 * approval a session loses (when even its audit spool cannot take it) then
 * leaves no trace once the session is killed. A link is never followed: a
 * session will not keep its tally where it points (outside the profile,
 * or in another profile's folder), and verify, doctor and health do not read
 * the tallies there as this profile's. `thoth run` says so once on stderr
 * when it starts ({@linkcode tallyNotMadeNote}), `thoth doctor` and `thoth
 * health` report it, and `thoth audit verify` warns of a folder that is not
 * one or that it cannot list ({@linkcode lostTallyFolderFinding}). The same
 * holds of `audit/lost/refused`, where refused tallies are set aside: a link
 * there is never followed, and verify, doctor and health name it
 * ({@linkcode refusedFolderProblem}).
 * {@linkcode judgeLostTallyFolder} and the words are pure;
 * {@linkcode lookAtLostTallyFolder} is a `lstat` (no link followed, nothing
 * opened); {@linkcode tryLostTallyFolder} tries the folder as a session
 * would use it (a listing, and a probe file made and removed at once), so
 * that what the modes do not tell (root without the capability to override
 * them, as in a container run with every capability dropped; a read-only
 * disk) is found too.
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
import { REFUSED_TALLIES } from "./refuse_lost_tally.ts";
import { errorWords } from "./error_words.ts";

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
 * (null: modes are not judged, as on Windows; 0: root, whose modes are
 * judged only when `denied` says it was refused); `denied`: what this
 * process could not do in the folder when it tried (see
 * {@linkcode tryLostTallyFolder}; undefined: it could, or it did not try).
 * A symbolic link is a problem of its own, never followed. Null when
 * nothing is wrong. Pure.
 */
export function judgeLostTallyFolder(
  dir: string,
  info: Deno.FileInfo | null,
  uid: number | null,
  denied?: string,
): LostTallyFolderProblem | null {
  if (info === null) return null;
  const q = shellQuote(dir);
  if (!info.isDirectory) {
    return {
      problem: `"${dir}" is ${kindOf(info)}, not a folder`,
      fix: `mv ${q} ${shellQuote(`${dir}.moved-aside`)}`,
    };
  }
  const judged = (uid !== null && uid !== 0) || denied !== undefined;
  if (uid !== null && uid !== 0 && info.uid !== null && info.uid !== uid) {
    return {
      problem: `"${dir}" is owned by uid ${info.uid}, not you (uid ${uid})`,
      fix: `sudo chown -R ${uid} ${q}`,
    };
  }
  const mode = (info.mode ?? 0o700) & 0o777;
  const cannot = ownerCannot(mode);
  if (judged && cannot !== "") {
    return {
      problem: `"${dir}" is ${modeText(mode)}; it must be 0700: its owner cannot ${cannot} it`,
      fix: `chmod 700 ${q}`,
    };
  }
  if (denied === undefined) return null;
  // Refused though the modes allow it: another owner (judged for root only here), or what the
  // modes do not tell (an access list, a read-only disk).
  const foreign = uid !== null && info.uid !== null && info.uid !== uid;
  return {
    problem: `"${dir}" ${denied}` +
      (foreign ? ` (it is owned by uid ${info.uid}; this process runs as uid ${uid})` : ""),
    fix: foreign ? `chown -R ${uid} ${q}` : `chmod 700 ${q}`,
  };
}

/**
 * What this process could not do in the folder `dir` as a session would use
 * it, tried: list it, enter it (a `lstat` of a name in it), and make and
 * remove a file in it (a probe named `.access-probe-…`, which no tally's
 * name matches); undefined when it could do all of it, or when `dir` is gone.
 * Thin I/O.
 */
export function tryLostTallyFolder(dir: string): string | undefined {
  try {
    for (const _ of Deno.readDirSync(dir)) break;
  } catch (error) {
    return error instanceof Deno.errors.NotFound
      ? undefined
      : `cannot be listed (${errorWords(error)})`;
  }
  const probe = `${dir}/.access-probe-${crypto.randomUUID()}`;
  try {
    Deno.lstatSync(probe);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return `cannot be entered (${errorWords(error)})`;
  }
  try {
    Deno.openSync(probe, { write: true, createNew: true, mode: 0o600 }).close();
  } catch (error) {
    return error instanceof Deno.errors.NotFound
      ? undefined
      : `cannot be written: no file can be made in it (${errorWords(error)})`;
  }
  try {
    Deno.removeSync(probe);
  } catch (error) {
    return `cannot be written: a file made in it cannot be removed (${errorWords(error)})`;
  }
  return undefined;
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
  const why = errorWords(error);
  // Its kind, and whether its owner may use it: refused, the modes are judged even for root
  // (one without the capability to override them, as in a container, is refused like its owner).
  const denied = error instanceof Deno.errors.PermissionDenied
    ? `cannot be written (${why})`
    : undefined;
  const found = judgeLostTallyFolder(dir, info, info?.uid ?? null, denied);
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
 * there (`info`, as `lstat` saw it: a symbolic link among them, never
 * followed), or when it is a folder verify could not list (`unlisted`: the
 * error's words), judged for uid `uid` (see
 * {@linkcode judgeLostTallyFolder}); undefined when it is a folder verify
 * listed, or absent. Pure.
 */
export function lostTallyFolderFinding(
  thothHome: string,
  info: Deno.FileInfo | null,
  unlisted?: string,
  uid: number | null = null,
): Finding | undefined {
  const dir = lostTallyFolder(thothHome);
  if (info === null || (info.isDirectory && unlisted === undefined)) return undefined;
  const found = info.isDirectory
    ? judgeLostTallyFolder(dir, info, uid, `cannot be listed (${unlisted})`)!
    : judgeLostTallyFolder(dir, info, null)!;
  const fix = found.fix.startsWith("mv ")
    ? `look at it, then run: ${found.fix} (the next thoth session makes the folder)`
    : `run: ${found.fix}`;
  const lost = info.isDirectory
    ? "verify cannot tell whether a killed session left a tally there that counts decisions " +
      "or approvals the log does not tell of, and no session can keep or take in a tally there"
    : `${NO_TALLY_WORDS}, and ` +
      (info.isSymlink
        ? "verify reads no tally through it (one there may be another profile's, or no thoth's)"
        : "any tally a killed session left there is gone with it") +
      ", so verify cannot warn of what it counted";
  return {
    kind: "lost_tally_unusable",
    severity: "warning",
    source: "lost",
    message: `the lost tallies' folder ${found.problem}: ${lost}; ${fix}`,
  };
}

/**
 * What is wrong with the refused tallies' folder under the lost tallies'
 * folder `dir` (`audit/lost/refused`, see `refuse_lost_tally.ts`) when
 * something other than a folder stands there (a symbolic link among them,
 * never followed): no session sets a refused tally aside through it. Null
 * when it is a folder, or absent (a session makes it). An `lstat`.
 */
export function refusedFolderProblem(dir: string): LostTallyFolderProblem | null {
  const refused = `${dir}/${REFUSED_TALLIES}`;
  const info = lstatOrNull(refused);
  return info === null || info.isDirectory ? null : judgeLostTallyFolder(refused, info, null);
}

/** What a refused tallies' folder that is no folder means, in words (after its problem). */
export const NO_REFUSED_WORDS = "no session sets a refused lost tally aside there (each stays " +
  "in the lost tallies' folder, refused again by every session that starts), and nothing " +
  "there is read as this profile's (where a link points may be another profile's, or no " +
  "thoth's)";

/**
 * The `lost_tally_unusable` warning of `thoth audit verify` for the refused
 * tallies' folder under `dir` (see {@linkcode refusedFolderProblem});
 * undefined when nothing is wrong with it.
 */
export function refusedFolderFinding(dir: string): Finding | undefined {
  const found = refusedFolderProblem(dir);
  if (found === null) return undefined;
  return {
    kind: "lost_tally_unusable",
    severity: "warning",
    source: `lost/${REFUSED_TALLIES}`,
    message: `the refused lost tallies' folder ${found.problem}: ${NO_REFUSED_WORDS}; look at ` +
      `it, then run: ${found.fix} (the next session that refuses a tally makes the folder)`,
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
  if (info.isSymlink) return "a symbolic link";
  if (info.isFile) return "a regular file";
  if (info.isFifo) return "a FIFO";
  if (info.isSocket) return "a socket";
  return "a device";
}

/** What the owner of a folder of mode `mode` cannot do in it, in words ("" when it can do all). */
function ownerCannot(mode: number): string {
  const missing = [
    ...((mode & 0o400) === 0 ? ["list"] : []),
    ...((mode & 0o100) === 0 ? ["enter"] : []),
    ...((mode & 0o200) === 0 ? ["write"] : []),
  ];
  return missing.length <= 1
    ? missing.join("")
    : `${missing.slice(0, -1).join(", ")} or ${missing.at(-1)}`;
}
