/**
 * The facts of a file the audit writer holds open (the state file, the open
 * segment, the batch intent), looked up by the path it was opened at. With a
 * read permission narrower than `-A`, Deno checks a stat of an open handle
 * against the path it was opened at, one `readlink` per part of that path, on
 * every call; a stat of the path itself costs one system call. The writer
 * asks each batch whether its files were removed under it (a link count of
 * 0): when the path names the very file held (same device and inode, as
 * first read from the handle), the file is linked there, so the answer is
 * no, and the path's facts (its size) are the handle's. Whenever that is not
 * shown (the path is gone, names another file, cannot be looked at, or the
 * platform gives no inode), the handle itself is asked, as before. Thin I/O.
 *
 * @example
 * ```ts
 * const info = heldFileStat(stateFile, paths.state);
 * if (info.nlink === 0) reopen();
 * ```
 */

/** The device and inode of a file held open. */
interface FileId {
  dev: number;
  ino: number;
}

/** Per handle, the file it was found to be (never a file already removed). */
const held = new WeakMap<Deno.FsFile, FileId>();

/**
 * What `file.statSync()` would say of the file open as `file` at `path`,
 * for its link count and size: taken from a stat of `path` when that names
 * the same file (linked, so its link count is at least 1), else from the
 * handle.
 */
export function heldFileStat(file: Deno.FsFile, path: string): Deno.FileInfo {
  const id = held.get(file);
  if (id !== undefined) {
    try {
      const info = Deno.statSync(path);
      if (info.ino === id.ino && info.dev === id.dev) return info;
    } catch {
      // Gone from the path, or not to be looked at: the handle says.
    }
  }
  const info = file.statSync();
  if (info.ino !== null && info.nlink !== null && info.nlink > 0) {
    held.set(file, { dev: info.dev, ino: info.ino });
  }
  return info;
}
