/**
 * Sets the mode and owner of a file or folder through an open handle, never
 * through a symbolic link. `Deno.chmod` and `Deno.chown` take a path and
 * follow links: run as root by a management tool in a folder a user owns,
 * they act on whatever the user swaps in between two steps (a link to
 * `/etc/shadow` made the user's, `/etc` made 0700). Here the path is looked
 * at without following a link, must be the plain file (with no second name)
 * or folder the caller expects, is opened (non-blocking, so a FIFO swapped in
 * cannot hang the caller), must still be the same file once open, and is
 * changed through that handle (`fchmod`, `fchown`): a swap makes it fail
 * instead of reaching elsewhere.
 *
 * Deno's own file handles offer neither call, so this loads `node:fs` on
 * first use: callers skip it when nothing needs changing, which keeps it off
 * the relay's path. Windows has no POSIX modes: there it does nothing.
 *
 * @example
 * ```ts
 * await setModeNoFollow("/home/ana/.thoth/proxy_api_key.json", { kind: "file", mode: 0o600 });
 * ```
 */
import { AppError } from "../errors.ts";

/** What {@linkcode setModeNoFollow} changes, and what the path must be. */
export interface HandleModeChange {
  /** What the path must be: anything else (a link, a FIFO, a hard-linked file) is refused. */
  kind: "file" | "directory";
  /** Permission bits to set. */
  mode?: number;
  /**
   * Owner and group to give it, as far as this process may: root sets both, the
   * file's owner may still set a group of theirs; a refusal is otherwise ignored.
   */
  owner?: { uid: number; gid: number };
}

/** Changes `path` as `change` says; throws `io.unsafe_path` if it is not a plain `kind`. */
export async function setModeNoFollow(path: string, change: HandleModeChange): Promise<void> {
  if (Deno.build.os === "windows") return;
  const fs = await import("node:fs");
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = fs.constants;
  const before = fs.lstatSync(path);
  if (before.isSymbolicLink()) throw unsafe(path, change.kind, "a symbolic link");
  if (!(change.kind === "directory" ? before.isDirectory() : before.isFile())) {
    throw unsafe(path, change.kind, "not one");
  }
  // A second name for a file is how someone else's file is made to look like ours.
  if (change.kind === "file" && before.nlink > 1) throw unsafe(path, "file", "a hard link");
  let fd: number;
  try {
    fd = fs.openSync(
      path,
      O_RDONLY | O_NOFOLLOW | O_NONBLOCK | (change.kind === "directory" ? O_DIRECTORY : 0),
    );
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ELOOP") throw unsafe(path, change.kind, "a symbolic link");
    if (code === "ENOTDIR") throw unsafe(path, change.kind, "not one");
    throw error;
  }
  try {
    // Deno's file permissions resolve a path before opening it, and `O_NOFOLLOW`
    // does not hold under them: what was opened must be what was looked at.
    const info = fs.fstatSync(fd);
    if (info.dev !== before.dev || info.ino !== before.ino) {
      throw unsafe(path, change.kind, "replaced while thoth was changing it");
    }
    if (change.mode !== undefined && (info.mode & 0o7777) !== change.mode) {
      fs.fchmodSync(fd, change.mode);
    }
    const owner = change.owner;
    if (owner !== undefined && (info.uid !== owner.uid || info.gid !== owner.gid)) {
      try {
        fs.fchownSync(fd, owner.uid, owner.gid);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "EPERM") throw error;
        // Not root: the owner of a file may still give it a group of theirs.
        if (info.gid !== owner.gid) {
          try {
            fs.fchownSync(fd, info.uid, owner.gid);
          } catch (again) {
            if ((again as { code?: unknown }).code !== "EPERM") throw again;
          }
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

function unsafe(path: string, kind: string, found: string): AppError {
  return new AppError(
    "io.unsafe_path",
    `"${path}" should be a ${kind} but is ${found}: thoth does not change modes or owners through it`,
    { hints: [`remove "${path}" (or move it aside) and run the command again`] },
  );
}
