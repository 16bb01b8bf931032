/**
 * What to say when the approval queue folder takes no file: the remedy
 * chosen by why the file system said no, as the profile's own set-up
 * chooses it (see `profile_setup_hint.ts`): a read-only file system or a
 * full disk needs the profile moved with THOTH_HOME (or space), a write the
 * system refuses whatever the mode (`EPERM`: an immutable folder, a security
 * policy) needs that lifted, and only a refused permission (`EACCES`) is
 * mended with `chmod`. The error, with the folder and the system's words,
 * is for the person at the machine (stderr); the model hears only
 * {@linkcode QUEUE_UNWRITABLE_FOR_MODEL}. Pure: it reads the error, never
 * the disk.
 *
 * @example
 * ```ts
 * throw queueWriteError(error, "/home/ana/.thoth/approvals", "cannot make a file in");
 * // AppError approval.queue_unusable, hint: 'the profile "/home/ana/.thoth" is on a read-only …'
 * ```
 */
import { AppError, type ErrorCode, isAppError } from "../errors.ts";
import { profileSetupHint, profileSetupProblem } from "../identity/profile_setup_hint.ts";
import { folderOf } from "../platform/durable_file.ts";

/**
 * Why a call was not approved when its request could not be written to the
 * queue, as the model hears it: no path, no system error (a profile's path
 * names the user; stderr says the rest to the person at the machine).
 */
export const QUEUE_UNWRITABLE_FOR_MODEL = "the approval queue could not be written; the person " +
  "at the machine sees why in the client's log";

/** The codes of a queue folder the system would not write in (see {@linkcode queueWriteError}). */
const UNWRITABLE_CODES: readonly ErrorCode[] = [
  "approval.queue_unusable",
  "approval.queue_write_failed",
];

/**
 * Whether `error`, met while a request was put in the queue, is a write
 * the system refused (one {@linkcode queueWriteError} made, or a system
 * error no one worded): the model then hears {@linkcode QUEUE_UNWRITABLE_FOR_MODEL}.
 */
export function queueUnwritable(error: unknown): boolean {
  if (error instanceof AppError) return UNWRITABLE_CODES.some((code) => isAppError(error, code));
  return error instanceof Error;
}

/** What to do about a queue folder `dir` that cannot be used: move it aside. */
export function moveAsideHint(dir: string): string {
  return `move what is there aside, and thoth makes a new private queue folder on its next ` +
    `request: mv "${dir}" "${dir}.broken"`;
}

/** The remedies for a write refused by permission in the queue folder `dir`. */
export function permissionHints(dir: string): string[] {
  return [
    `let the user thoth runs as write in the queue folder: chmod 700 "${dir}"`,
    moveAsideHint(dir),
  ];
}

/**
 * The error for a file the system would not make or write in the queue
 * folder `dir`: `what` says which step (`cannot make a file in`), the
 * system's words follow, and the hints fit why it said no (`otherwise`,
 * for a refused permission or a cause not known here).
 */
export function queueWriteError(
  error: unknown,
  dir: string,
  what: string,
  options: { code?: ErrorCode; otherwise?: readonly string[] } = {},
): AppError {
  const words = error instanceof Error ? error.message : String(error);
  return new AppError(
    options.code ?? "approval.queue_unusable",
    `${what} the approval queue folder "${dir}": ${words}`,
    { cause: error, hints: queueWriteHints(error, dir, options.otherwise ?? permissionHints(dir)) },
  );
}

/**
 * The remedies for `error`, met writing in the queue folder `dir`:
 * `otherwise` when the file system is neither read-only nor full and the
 * system did not refuse the write whatever the mode.
 */
export function queueWriteHints(
  error: unknown,
  dir: string,
  otherwise: readonly string[],
): string[] {
  const profile = folderOf(dir);
  const problem = profileSetupProblem(error);
  if (problem === "read_only" || problem === "no_space") {
    return [profileSetupHint(problem, profile, dir)];
  }
  if ((error as { code?: unknown } | null)?.code === "EPERM") {
    return [
      `the system refuses new files in "${dir}" whatever its mode (an immutable folder, ` +
      `see lsattr -d "${dir}", or a security policy): lift that, or move the profile ` +
      `"${profile}" elsewhere with THOTH_HOME, then run again`,
    ];
  }
  return [...otherwise];
}
