/**
 * Writes that survive a power loss, not only a crash. A file's bytes reach
 * the disk when it is synced; its name, and a rename over an older file,
 * when the folder holding it is synced. Evidence and keys use both: a
 * signing key that a power cut leaves empty, or a state file that vanishes
 * while the keys beside it stay, would read as a log that was removed.
 *
 * @example
 * ```ts
 * await writeFileSynced("/tmp/k.tmp", new TextEncoder().encode("key\n"), 0o600);
 * await Deno.rename("/tmp/k.tmp", "/tmp/k");
 * syncFolder("/tmp");
 * ```
 */

/** Creates or replaces `path` with `bytes` and syncs it before returning. */
export async function writeFileSynced(
  path: string,
  bytes: Uint8Array,
  mode: number,
): Promise<void> {
  await writeAllSynced(
    await Deno.open(path, { write: true, create: true, truncate: true, mode }),
    bytes,
  );
}

/** Writes all of `bytes` to an open file, syncs it, and closes it (also on failure). */
export async function writeAllSynced(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  try {
    let rest = bytes;
    while (rest.length > 0) rest = rest.subarray(await file.write(rest));
    await file.sync();
  } finally {
    file.close();
  }
}

/**
 * Syncs a folder, so names created or renamed in it are on disk. Best effort:
 * Windows cannot open a folder this way, and some file systems refuse to
 * sync one; the files' own bytes were synced already.
 */
export function syncFolder(dir: string): void {
  if (Deno.build.os === "windows") return;
  let folder: Deno.FsFile | undefined;
  try {
    folder = Deno.openSync(dir, { read: true });
    folder.syncSync();
  } catch {
    // Nothing more can be done for the name; the data is synced.
  } finally {
    folder?.close();
  }
}

/** The folder part of a path (`.` when it has none). */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return cut < 0 ? "." : cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
}
