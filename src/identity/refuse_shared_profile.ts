/**
 * Refuses to put a secret into a profile someone else can change. A profile
 * folder (or its `sessions/` folder) owned by another user, or writable by a
 * group or by everyone, lets that other user plant a session token, which
 * thoth presents before any API key, or swap the key file: a key saved there
 * is a key someone else decides about. The remedy is another `THOTH_HOME`,
 * never `chown`: adopting the folder adopts whatever the other user has put
 * in it. Folders that do not exist yet are not judged (they are made 0700).
 * Root is refused a profile another user can change by `platform/root_safe_path.ts`
 * already. Windows has no POSIX owners or modes: there it does nothing.
 *
 * @example
 * ```ts
 * await refuseSharedProfile("/home/ana/.thoth", "the API key"); // throws io.shared_profile
 * ```
 */
import { AppError } from "../errors.ts";
import { joinPath } from "../platform/join_path.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";

/** Why a profile folder is not this user's alone, or undefined when it is. */
export function sharedFolderProblem(
  info: { uid: number | null; mode: number | null },
  self: number,
): string | undefined {
  if (info.uid !== null && info.uid !== self) {
    return `is owned by uid ${info.uid}, not you (uid ${self})`;
  }
  const mode = (info.mode ?? 0) & 0o777;
  if ((mode & 0o022) !== 0) {
    return `is writable by ${(mode & 0o002) !== 0 ? "every user" : "its group"} (mode 0${
      mode.toString(8).padStart(3, "0")
    })`;
  }
  return undefined;
}

/**
 * Throws `io.shared_profile` when the profile at `thothHome` or its
 * `sessions/` folder exists and is owned by another user or writable by a
 * group or everyone; `what` names the secret in the message.
 */
export async function refuseSharedProfile(thothHome: string, what: string): Promise<void> {
  const self = effectiveUid();
  // Root refuses such a profile already, in its own words (`io.unsafe_for_root`).
  if (self === null || self === 0) return;
  for (const folder of [thothHome, joinPath(thothHome, "sessions")]) {
    let info: Deno.FileInfo;
    try {
      // A link to a folder is judged by the folder it leads to (that is where the secret goes).
      info = await Deno.stat(folder);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        continue;
      }
      throw error;
    }
    if (!info.isDirectory) continue; // Setting up the profile names that.
    const problem = sharedFolderProblem(info, self);
    if (problem === undefined) continue;
    const owned = info.uid !== null && info.uid !== self;
    throw new AppError(
      "io.shared_profile",
      `not saving ${what}: "${folder}" ${problem}, so another user can plant a session ` +
        "token that thoth uses instead of it, or change the key",
      {
        hints: [
          "set THOTH_HOME to a folder of your own that does not exist yet (thoth makes it " +
          "0700), then run the command again" +
          (owned
            ? "; do not chown this folder: that would adopt whatever the other user put in it"
            : ""),
        ],
      },
    );
  }
}
