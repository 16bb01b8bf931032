/**
 * Refuses to put a secret into a profile someone else can change. A profile
 * folder (or its `sessions/` folder) owned by another user who is not root
 * (root's is trusted, as every reader of the profile trusts it: a fleet's
 * `/var/lib/thoth`, `ownerOrRoot`), or writable by a group or by everyone,
 * lets that other user plant a session token, which
 * thoth presents before any API key, or swap the key file: a key saved there
 * is a key someone else decides about. The remedy is another `THOTH_HOME`,
 * never `chown`: adopting the folder adopts whatever the other user has put
 * in it, except for the user's own folder that only its group may write to
 * (a umask of 002): `chmod 700` fixes that. Folders that do not exist yet are
 * not judged (they are made 0700). Every folder above the profile, up to `/`
 * (and where links on the way lead), must be the user's or root's and not
 * writable by others, or sticky (like `/tmp`) with the folder below it
 * already there: else another user could swap the profile, or make it first.
 * On Linux, a folder of the user's or root's that no one else may enter (no
 * search permission for its group or others, such as mode 0700 or 0740)
 * shields what is below it: a folder others could write to in it (a 0777
 * drive mounted in a 0700 folder) is out of their reach, except through a
 * handle they opened before the folder was closed off. A POSIX
 * ACL's mask is the group's bits of the mode there, so an ACL that lets
 * another user in shows as the group's x and does not count as closed (so
 * udisks' `/run/media/<user>`, 0750 with an ACL for the user, shields
 * nothing). Elsewhere (macOS keeps ACLs apart from the mode, and thoth does
 * not read them) no folder shields. A part below it that another user owns
 * is refused all the same.
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
import { effectiveUid, type UnsafePart, unsafePartFor } from "../platform/root_safe_path.ts";
import { ownerOrRoot } from "./owner_file_trust.ts";

/**
 * Why a profile folder is not this user's (or root's) alone, or undefined
 * when it is: owned by another user who is not root (`ownerOrRoot`), or
 * writable by a group or everyone.
 */
export function sharedFolderProblem(
  info: { uid: number | null; mode: number | null },
  self: number,
): string | undefined {
  if (!ownerOrRoot(info.uid, self)) {
    return `is owned by uid ${info.uid}, not you (uid ${self}) or root`;
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
 * `sessions/` folder exists and is owned by another user (not root) or writable by a
 * group or everyone, or when a folder above it lets another user swap it
 * (see the module's doc); `what` names the secret in the message.
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
    const mode = (info.mode ?? 0) & 0o777;
    // The user's own folder only its group may write to: a umask of 002, most often
    // with a group of the user alone. Refused until it is fixed, which is one chmod.
    const ownGroupWritable = !owned && (mode & 0o002) === 0;
    throw new AppError(
      "io.shared_profile",
      `not saving ${what}: "${folder}" ${problem}, so another user can plant a session ` +
        "token that thoth uses instead of it, or change the key",
      {
        hints: ownGroupWritable
          ? [
            `make it yours alone: chmod 700 ${quote(folder)}, then run the command again`,
            "or, if others in its group may have put files in it, set THOTH_HOME to a " +
            "folder of your own that does not exist yet (thoth makes it 0700)",
          ]
          : [
            "set THOTH_HOME to a folder of your own that does not exist yet (thoth makes it " +
            "0700), then run the command again" +
            (owned
              ? "; do not chown this folder: that would adopt whatever the other user put in it"
              : ""),
          ],
      },
    );
  }
  // The folders above: whoever can change one of them can swap the profile for their own.
  const part = await unsafePartFor(thothHome, new Set([0, self]), { closedFolders: true });
  if (part !== undefined) throw unsafeAbove(part, thothHome, what, self);
}

/** `io.shared_profile` for a part of the profile's path another user can change. */
function unsafeAbove(part: UnsafePart, thothHome: string, what: string, self: number): AppError {
  const why = part.why === "owner"
    ? `"${part.path}" is owned by uid ${part.uid}, not you (uid ${self}) or root`
    : part.why === "dangling"
    ? `"${part.path}" is a link to a place that does not exist`
    : part.why === "unmade"
    ? `it does not exist yet, and anyone may make it before you do in "${part.path}"`
    : `"${part.path}" can be written by other users, who may rename what is in it`;
  const elsewhere = "set THOTH_HOME to a folder of your own that does not exist yet, in a " +
    "folder only you (or root) can change (thoth makes it 0700), then run the command again";
  return new AppError(
    "io.shared_profile",
    `not saving ${what}: the profile "${thothHome}" is in a place another user can change ` +
      `(${why}), so that user could swap the profile for one of their own`,
    {
      hints: part.why === "writable" && part.uid === self
        ? [
          `make it yours alone: chmod go-w ${quote(part.path)}, then run the command again`,
          `or ${elsewhere}`,
        ]
        : part.why === "unmade"
        ? [`make it first, yours alone: mkdir -p -m 700 ${quote(thothHome)}`, `or ${elsewhere}`]
        : [elsewhere],
    },
  );
}

/** `path` single-quoted for a POSIX shell. */
function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
