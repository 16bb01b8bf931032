/**
 * What to do when the profile cannot be set up, chosen by why the file system
 * said no: a full disk needs space (or another disk), a read-only file system
 * needs another place, and only a refused permission is about who owns what.
 * Pure: it reads the error, never the disk.
 *
 * @example
 * ```ts
 * const why = profileSetupProblem(error); // "no_space" | "read_only" | "permission" | "other"
 * const hint = profileSetupHint(why, "/home/ana/.thoth", "/home/ana/.thoth/intent_map.json");
 * ```
 */

/** Why a step of the profile's set-up failed, as far as the hint depends on it. */
export type ProfileSetupProblem = "no_space" | "read_only" | "permission" | "other";

/** The kind of failure `error` (thrown by a `Deno` file call) is. */
export function profileSetupProblem(error: unknown): ProfileSetupProblem {
  const code = (error as { code?: unknown } | null)?.code;
  // ENOSPC, or a quota (EDQUOT) that is full: both are out of space for this user.
  if (code === "ENOSPC" || code === "EDQUOT") return "no_space";
  if (code === "EROFS") return "read_only";
  if (error instanceof Deno.errors.PermissionDenied || code === "EPERM" || code === "EACCES") {
    return "permission";
  }
  // Windows names no POSIX code: its "disk full" errors are known by number.
  const message = error instanceof Error ? error.message : "";
  if (/\(os error (39|112)\)/.test(message) && Deno.build.os === "windows") return "no_space";
  return "other";
}

/** The sentence for `thoth: hint:` when setting up `thothHome` failed at `at`. */
export function profileSetupHint(
  problem: ProfileSetupProblem,
  thothHome: string,
  at: string,
): string {
  switch (problem) {
    case "no_space":
      return `free space on the disk that holds the profile "${thothHome}", or move the profile ` +
        "elsewhere with THOTH_HOME, then run again";
    case "read_only":
      return `the profile "${thothHome}" is on a read-only file system: move it with THOTH_HOME ` +
        "to a folder you own on a disk thoth can write to, then run again";
    default:
      return at === thothHome
        ? "set THOTH_HOME to a directory you own, or fix the permissions of this one"
        : `make "${at}" yours (or remove it if you did not put it there), then run again`;
  }
}
