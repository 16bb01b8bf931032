/**
 * The permission bits of a file, to keep them when it is rewritten. Undefined
 * on Windows or when the file does not exist.
 *
 * @example
 * ```ts
 * const mode = await fileMode("/etc/hosts"); // 0o644
 * ```
 */

/** Reads `path`'s mode bits (following symlinks). */
export async function fileMode(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    return info.mode === null ? undefined : info.mode & 0o7777;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
