/**
 * The files of a folder a caller picks, each with its path and mtime
 * ({@linkcode filesWithMtimes}): the loop the spool and refused-file counts
 * share. Thin, synchronous I/O: the folder's listing and a stat of each file
 * picked; no file is opened.
 *
 * @example
 * ```ts
 * for (const { name, mtimeMs } of filesWithMtimes(dir, (entry) => entry.isFile)) {
 *   console.log(name, Date.now() - (mtimeMs ?? 0));
 * }
 * ```
 */

/** A file {@linkcode filesWithMtimes} found, as its stat saw it. */
export interface FileWithMtime {
  /** Its name in the folder. */
  readonly name: string;
  /** `<dir>/<name>`. */
  readonly path: string;
  /** Its mtime in milliseconds; undefined where the platform gives none. */
  readonly mtimeMs: number | undefined;
}

/**
 * The entries of `dir` that `pick` keeps, each stat'ed (`lstat` when
 * `follow` is false: a link is looked at, never followed), with its mtime;
 * one removed or moved away between the listing and its stat is left out.
 * None when `dir` cannot be listed. Lazy: each entry is listed and stat'ed
 * as the caller reaches it.
 *
 * @example
 * ```ts
 * const refused = [...filesWithMtimes(dir, (e) => !e.isDirectory, { follow: false })];
 * ```
 */
export function* filesWithMtimes(
  dir: string,
  pick: (entry: Deno.DirEntry) => boolean,
  { follow = true }: { follow?: boolean } = {},
): Generator<FileWithMtime> {
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!pick(entry)) continue;
    const path = `${dir}/${entry.name}`;
    let mtimeMs: number | undefined;
    try {
      mtimeMs = (follow ? Deno.statSync(path) : Deno.lstatSync(path)).mtime?.getTime();
    } catch {
      continue; // Removed or moved away meanwhile.
    }
    yield { name: entry.name, path, mtimeMs };
  }
}
