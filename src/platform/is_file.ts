/**
 * Whether a path names an existing regular file (following symlinks). Never
 * throws: a path thoth may not stat counts as missing.
 *
 * @example
 * ```ts
 * isFile("/bin/sh"); // true
 * isFile("/nope"); // false
 * ```
 */

/** Tests `path` for being a file. */
export function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
