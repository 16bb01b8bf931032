/**
 * Opens a file for reading only when it is a regular file (or a link to
 * one). Opening a FIFO blocks until a writer comes, and reading a device
 * like `/dev/zero` never ends: a `thoth doctor` or `thoth health` that a
 * management tool polls as root would hang for ever on one swapped into
 * `THOTH_HOME`. The path is looked at before it is opened, and the handle
 * once open (a device swapped in between is refused; a FIFO swapped in
 * between can still block the open, since Deno opens without `O_NONBLOCK`
 * and `node:fs` is kept off `thoth run`'s path). Uses only `Deno.*`.
 *
 * @example
 * ```ts
 * using file = await openRegularFile("/home/ana/.thoth/policy.jsonc");
 * const segment = await openRegularFileIfThere(segmentPath); // undefined when it is gone
 * ```
 */

/** Opens `path` to read; throws `Deno.errors.InvalidData` ("it is not a regular file") otherwise. */
export async function openRegularFile(path: string): Promise<Deno.FsFile> {
  if (!(await Deno.stat(path)).isFile) throw notRegular();
  const file = await Deno.open(path, { read: true });
  try {
    if (!(await file.stat()).isFile) throw notRegular();
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

/**
 * {@linkcode openRegularFile}, or undefined when `path` is gone or is not a
 * regular file (`NotFound`, `InvalidData`): a file listed a moment ago that
 * holds nothing to read now. Other errors are thrown.
 */
export async function openRegularFileIfThere(path: string): Promise<Deno.FsFile | undefined> {
  try {
    return await openRegularFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.InvalidData) {
      return undefined;
    }
    throw error;
  }
}

/** {@linkcode openRegularFile}, synchronously. */
export function openRegularFileSync(path: string): Deno.FsFile {
  if (!Deno.statSync(path).isFile) throw notRegular();
  const file = Deno.openSync(path, { read: true });
  try {
    if (!file.statSync().isFile) throw notRegular();
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

function notRegular(): Deno.errors.InvalidData {
  return new Deno.errors.InvalidData("it is not a regular file");
}
